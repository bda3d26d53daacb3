// A person's session against real server processes over HTTP (fetch), as a browser holds it:
// signed in on one process, the session cookie and CSRF token work on every process of the
// deployment (sessions live in the database). The in-process client (test-support/api-client.ts)
// talks to one Fastify instance; this one picks the process per request.
import { csrfHeader, sessionCookie } from '../src/http/authenticate.js';
import { idempotencyHeader } from '../src/http/idempotency.js';
import type { ServerProcess } from '../src/test-support/server-process.js';

export interface ProcessAnswer {
  status: number;
  contentType: string;
  /** The parsed JSON (or problem+json) body; undefined for other bodies. */
  body: Record<string, unknown> | undefined;
  /** The body as text (a file's content). */
  text: string;
  /** Whether the server answered from an earlier run of the same Idempotency-Key. */
  replayed: boolean;
}

export class ProcessSession {
  private constructor(
    readonly email: string,
    private readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  /** Signs in through POST /api/v1/session on `server`. */
  static async signIn(server: ServerProcess, email: string, password: string): Promise<ProcessSession> {
    const response = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const cookie = new RegExp(`${sessionCookie}=([^;]*)`).exec(response.headers.get('set-cookie') ?? '')?.[1];
    const body = (await response.json()) as { csrfToken?: string };
    if (response.status !== 200 || !cookie || !body.csrfToken) throw new Error(`signing ${email} in failed: ${response.status} ${JSON.stringify(body)}`);
    return new ProcessSession(email, cookie, body.csrfToken);
  }

  async request(server: ServerProcess, method: string, url: string, body?: object, idempotencyKey?: string): Promise<ProcessAnswer> {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        cookie: `${sessionCookie}=${this.cookie}`,
        ...(method === 'GET' ? {} : { [csrfHeader]: this.csrfToken }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(idempotencyKey === undefined ? {} : { [idempotencyHeader]: idempotencyKey }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    const json = /^application\/(problem\+)?json/.test(contentType) && text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    return { status: response.status, contentType, body: json, text, replayed: response.headers.get('idempotent-replayed') === 'true' };
  }
}
