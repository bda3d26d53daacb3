// The one place the web app talks HTTP: openapi-fetch, typed with the paths of the server's
// OpenAPI document (schema.gen.ts), so a path, a parameter or a body the server does not take
// is a type error here rather than a 400 there.
//
// Cookie sessions: the browser sends the httpOnly session cookie itself (credentials
// 'same-origin'); every state-changing request also carries the session's CSRF token, and
// every POST but the two that start a session an Idempotency-Key, so that a retried request
// never acts twice. A file upload sends the file's own bytes as the body. Whatever fails, a
// problem+json answer, an answer that is no JSON at all or no answer, is thrown as an ApiProblem.
import createClient, { type Middleware } from 'openapi-fetch';
import { networkProblem, problemFromBody, unexpectedResponseProblem } from './problem';
import type { paths } from './schema.gen';

/** Signing in and accepting an invitation create the session rather than act in one: the
 * server keeps no replay of them (it would hand out the cookie again). */
const sessionStarts = new Set(['/api/v1/session', '/api/v1/invitations/{token}/accept']);

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export const apiSession = {
  /** Called with each session response (sign-in, session check, invitation accepted). */
  setCsrfToken(token: string | null): void {
    csrfToken = token;
  },
  /** Called when a request finds the session gone (expired or logged out elsewhere). */
  onUnauthenticated(handler: (() => void) | null): void {
    onUnauthenticated = handler;
  },
};

const sessionHeaders: Middleware = {
  onRequest({ request, schemaPath }) {
    request.headers.set('accept', 'application/json');
    if (request.method !== 'GET' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    if (request.method === 'POST' && !sessionStarts.has(schemaPath)) request.headers.set('idempotency-key', crypto.randomUUID());
    return request;
  },
};

const isJson = (response: Response) => /application\/(problem\+)?json/.test(response.headers.get('content-type') ?? '');

const problems: Middleware = {
  async onResponse({ response, schemaPath }) {
    if (response.status === 204) return undefined;
    if (!isJson(response)) throw unexpectedResponseProblem(response.status, response.statusText);
    if (response.ok) return undefined;
    const body: unknown = await response.json().catch(() => ({}));
    const problem = problemFromBody(response.status, (body ?? {}) as Record<string, unknown>);
    if (problem.code === 'unauthenticated' && schemaPath !== '/api/v1/session') onUnauthenticated?.();
    throw problem;
  },
  onError: () => networkProblem(),
};

export const api = createClient<paths>({ credentials: 'same-origin' });
api.use(sessionHeaders, problems);

/**
 * The data of a request, for `await ok(api.GET(...))`. Failures never get this far: the
 * middleware above throws them as ApiProblems.
 */
export async function ok<Data>(request: Promise<{ data?: Data; error?: unknown }>): Promise<Data> {
  const { data } = await request;
  return data as Data;
}

/** Sends a file's bytes as they are, declaring `contentType`, instead of a JSON body. */
export function fileBody(contentType: string) {
  return { bodySerializer: (file: Blob) => file, headers: { 'content-type': contentType } };
}
