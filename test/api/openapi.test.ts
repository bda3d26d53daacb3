// The OpenAPI document at /openapi.json is the one contract the web app's client is generated
// from (npm run api:generate), so it must name every operation, once, and say which routes
// take a file's raw bytes instead of JSON. The routes are read from the router and probed,
// so a route added later is held to the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.js';
import { anonymous, apiRoutes } from '../../src/test-support/api-client.js';
import { startTestServer } from '../../src/test-support/server.js';

interface Operation {
  operationId?: string;
  requestBody?: { content: Record<string, { schema?: { type?: string; format?: string } }> };
}
type Document = { paths: Record<string, Record<string, Operation>> };

let server: RunningServer;
let document: Document;

beforeAll(async () => {
  server = await startTestServer();
  document = (await anonymous(server.app).get('/openapi.json')).body as Document;
});

afterAll(async () => {
  await server?.close();
});

const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));

/** "POST /api/v1/receipts/:id/match" in the document's spelling, "/api/v1/receipts/{id}/match". */
const documentPath = (fastifyPath: string) => fastifyPath.replace(/:(\w+)/g, '{$1}');

describe('operation ids', () => {
  it('names every operation, in camelCase', () => {
    const unnamed = operations().filter(({ operation }) => !operation.operationId).map(({ route }) => route);
    expect(unnamed).toEqual([]);
    const malformed = operations().filter(({ operation }) => !/^[a-z]+(?:[A-Z0-9][a-z0-9]*)*$/.test(operation.operationId ?? '')).map(({ route }) => route);
    expect(malformed).toEqual([]);
    expect(operations().length).toBe(apiRoutes(server.app).length);
  });

  it('gives no two operations the same id', () => {
    const routesById = new Map<string, string[]>();
    for (const { route, operation } of operations()) routesById.set(operation.operationId!, [...(routesById.get(operation.operationId!) ?? []), route]);
    expect([...routesById].filter(([, routes]) => routes.length > 1)).toEqual([]);
  });
});

describe('file bodies', () => {
  const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
  // Fastify parses text/plain for every route (body validation then refuses it), so whether a
  // route takes text/plain cannot be told by its parser: it is only checked where documented.
  const everywhere = new Set(['application/json', 'text/plain']);
  const commonFileTypes = ['application/octet-stream', 'application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'application/xml', 'text/xml', 'text/csv'];

  /** Whether the route's parsers take the content type: anything but 415 Unsupported Media Type.
   * Parsing comes before authentication, so an anonymous probe reaches no handler. */
  async function takes(method: string, path: string, contentType: string): Promise<boolean> {
    const url = path.replace(/:(\w+)/g, 'x');
    const response = await server.app.inject({ method: method as 'POST', url, headers: { 'content-type': contentType }, payload: Buffer.from('%PDF-1.4 probe') });
    return response.statusCode !== 415;
  }

  it('documents a binary body, in exactly the content types it takes, for every route that takes raw bytes', async () => {
    const documentedTypes = operations().flatMap(({ operation }) => Object.keys(operation.requestBody?.content ?? {}));
    const probeTypes = [...new Set([...commonFileTypes, ...documentedTypes])].filter((type) => !everywhere.has(type));
    const mismatches: { route: string; takes: string[]; documents: string[] }[] = [];
    for (const route of apiRoutes(server.app)) {
      const [method, path] = route.split(' ') as [string, string];
      if (!writeMethods.has(method)) continue;
      const content = document.paths[documentPath(path)]?.[method.toLowerCase()]?.requestBody?.content ?? {};
      const documents = Object.keys(content).filter((type) => !everywhere.has(type)).sort();
      const taken: string[] = [];
      for (const type of probeTypes) if (await takes(method, path, type)) taken.push(type);
      if (taken.sort().join() !== documents.join()) mismatches.push({ route, takes: taken, documents });
    }
    expect(mismatches).toEqual([]);
  });

  it('describes each non-JSON request body as binary, and every content type it names is taken', async () => {
    const form = 'application/x-www-form-urlencoded';
    const uploads = operations().filter(({ operation }) => Object.keys(operation.requestBody?.content ?? {}).some((type) => type !== 'application/json' && type !== form));
    expect(uploads.map(({ operation }) => operation.operationId).sort()).toEqual(['importBankStatement', 'importWalletBankStatement', 'uploadReceipt']);
    // A form is described by its fields: only SAML's assertion consumer service takes one.
    const forms = operations().filter(({ operation }) => Object.keys(operation.requestBody?.content ?? {}).includes(form));
    expect(forms.map(({ operation }) => operation.operationId)).toEqual(['finishSamlSso']);
    expect(forms[0]!.operation.requestBody!.content[form]!.schema).toMatchObject({ type: 'object', required: ['SAMLResponse'] });
    for (const { route, operation } of uploads) {
      const [method, path] = route.split(' ') as [string, string];
      for (const [type, media] of Object.entries(operation.requestBody!.content)) {
        expect({ route, type, schema: media.schema }).toEqual({ route, type, schema: expect.objectContaining({ type: 'string', format: 'binary' }) });
        expect({ route, type, taken: await takes(method, path.replace(/\{(\w+)\}/g, ':$1'), type) }).toEqual({ route, type, taken: true });
      }
    }
  });
});
