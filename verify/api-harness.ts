// A real Outlay server on embedded PostgreSQL (PGlite) with the demo company, its people
// signed in as each role, and the OpenAPI document the API parts of the suite generate from.
import type { DestinationStream } from 'pino';
import { demoLogins } from '../src/demo/seed.js';
import type { RunningServer } from '../src/server/server.js';
import { createApiKey, signIn, type ApiClient } from '../src/test-support/api-client.js';
import type { OpenApiDocument } from '../src/test-support/openapi-requests.js';
import { startTestServer, testConfig } from '../src/test-support/server.js';

export interface Caller {
  name: string;
  client: ApiClient;
  /** The person's or key's own id, which generated requests leave alone. */
  ownIds: string[];
  /** Signs the person in again, for after a request ended the session (DELETE /api/v1/me/sessions). */
  renew: (() => Promise<void>) | null;
}

/** One day: no sweep runs again while a part compares rows before and after. */
const sweepsQuietMs = 24 * 3600 * 1000;

export async function startDemoServer(logStream?: DestinationStream): Promise<{ server: RunningServer; document: OpenApiDocument }> {
  // No receipt reading: uploads would queue OCR work that outlives the part.
  const server = await startTestServer({
    demo: true,
    config: { logLevel: logStream ? 'warn' : 'silent', receipts: { ...testConfig().receipts, readers: 0 } },
    sweeps: { routineIntervalMs: sweepsQuietMs },
    ...(logStream ? { logStream } : {}),
  });
  const document = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
  return { server, document };
}

/** Every scope an API key can hold, as the API lists them. */
export async function apiKeyScopes(admin: ApiClient): Promise<string[]> {
  const response = await admin.get<{ groups: { scopes: { scope: string }[] }[] }>('/api/v1/api-keys/scopes');
  return response.body.groups.flatMap((group) => group.scopes.map((scope) => scope.scope));
}

/**
 * Where a caller signs in again from once a fuzzed request ended its session. The fuzzed
 * requests come from 127.0.0.1 and include sign-ins with wrong passwords, which lock that
 * address out of signing in for a while (as they should); the person's own sign-in comes from
 * another network, as it would after an attack from elsewhere.
 */
export const renewalAddress = { remoteAddress: '198.51.100.7' };

/** The demo company's admin, bookkeeper and an employee signed in, and an API key with every scope. */
export async function demoCallers(server: RunningServer): Promise<Caller[]> {
  const callers: Caller[] = [];
  for (const role of ['admin', 'bookkeeper', 'employee'] as const) {
    const login = demoLogins.find((candidate) => candidate.role === role)!;
    const client = await signIn(server.app, login.email, login.password);
    const me = (await client.get('/api/v1/session')).body.person.id as string;
    const caller: Caller = { name: role, client, ownIds: [me], renew: null };
    caller.renew = async () => {
      caller.client = await signIn(server.app, login.email, login.password, renewalAddress);
    };
    callers.push(caller);
  }
  const admin = callers[0]!.client;
  const key = await createApiKey(admin, 'Verification', await apiKeyScopes(admin));
  callers.push({ name: 'API key (every scope)', client: key.client, ownIds: [key.id], renew: null });
  return callers;
}
