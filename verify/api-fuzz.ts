// The API fuzzed from its OpenAPI document: every route as each caller (admin, bookkeeper,
// employee, API key), with generated path parameters, query, bodies and headers. A 5xx, an
// error that is not problem+json with a code, a request slower than the bound, a value that
// got past a route's schema to PostgreSQL, or heap grown past the bound is a violation.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { demoIds, isSound, operationsOf, requestOf, send, skipped, visibleIds, type FuzzRequest } from '../src/test-support/openapi-requests.js';
import { demoCallers, startDemoServer } from './api-harness.js';
import { progress, Violations } from './verify-run.js';

/** A request slower than this counts as a hang. */
export const apiRequestMsMax = 10_000;
/** The server's heap grown past this over the run (after full collections) counts as a leak. */
export const apiHeapGrowthBytesMax = 128 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const heapNow = () => {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

const shown = (request: FuzzRequest) => JSON.stringify({ ...request, payload: String(request.payload ?? '').slice(0, 200) }).slice(0, 500);

async function withinBound<T>(work: Promise<T>): Promise<T | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), apiRequestMsMax)));
  try {
    return await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}

export async function fuzzApi(requestsWanted: number, seed: number, violations: Violations) {
  const logLines: string[] = [];
  const { server, document } = await startDemoServer({ write: (line: string) => void logLines.push(line) });
  try {
    const callers = await demoCallers(server);
    const excluded = new Set(callers.flatMap((caller) => caller.ownIds));
    const ids = [...new Set([...(await demoIds(callers[0]!.client, excluded)), ...(await visibleIds(callers[0]!.client, document))])].filter((id) => !excluded.has(id)).sort();
    const operations = operationsOf(document).filter((operation) => !skipped.has(`${operation.method} ${operation.path}`));
    const perRoute = Math.max(1, Math.ceil(requestsWanted / (operations.length * callers.length)));
    const statuses: Record<string, number> = {};
    let requests = 0;
    let server5xx = 0;
    let hangs = 0;
    let renewals = 0;
    const heapBefore = heapNow();
    for (const [index, operation] of operations.entries()) {
      const generated = fc.sample(requestOf(document, operation, ids, { headers: true }), { numRuns: perRoute, seed: seed + index });
      for (const caller of callers) {
        for (const request of generated) {
          requests++;
          const response = await withinBound(send(caller.client, request));
          if (response === 'hang') {
            hangs++;
            violations.add(`hang: ${caller.name} ${shown(request)} had no answer within ${apiRequestMsMax} ms`);
            continue;
          }
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          if (response.status >= 500) server5xx++;
          // A request may end the caller's own sessions; the next ones would all be 401.
          if (response.status === 401 && caller.renew && !(await caller.client.get('/api/v1/session')).status.toString().startsWith('2')) {
            await caller.renew();
            renewals++;
          }
          if (!isSound(response)) violations.add(`${response.status} for ${caller.name}: ${shown(request)} -> ${response.text.slice(0, 200)}`);
        }
      }
      if (index % 25 === 24) progress(`  API: ${index + 1} of ${operations.length} routes, ${requests} requests`);
    }
    const growth = heapNow() - heapBefore;
    if (growth > apiHeapGrowthBytesMax) violations.add(`the server's heap grew ${Math.round(growth / 2 ** 20)} MB over the API fuzz (bound ${apiHeapGrowthBytesMax / 2 ** 20} MB)`);
    const pastValidation = logLines.filter((line) => line.includes('got past validation'));
    for (const line of pastValidation) violations.add(`a value got past a route's schema to PostgreSQL: ${line.slice(0, 400)}`);
    return {
      routes: operations.length,
      routes_left_out: Object.fromEntries(skipped),
      callers: callers.map((caller) => caller.name),
      sessions_renewed: renewals,
      ids_used: ids.length,
      requests,
      by_status: statuses,
      server_5xx: server5xx,
      hangs,
      past_validation: pastValidation.length,
      heap_growth_mb: Math.round((growth / 2 ** 20) * 10) / 10,
    };
  } finally {
    await server.close();
  }
}
