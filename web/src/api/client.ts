// The one place the web app talks HTTP. Cookie sessions: the browser sends the httpOnly
// session cookie itself (credentials 'same-origin'); every state-changing request also
// carries the session's CSRF token, and every POST but the login an Idempotency-Key so that
// a retried request never acts twice. A file upload sends the file's own bytes as the body.
import { networkProblem, problemFromBody, unexpectedResponseProblem } from './problem';

const basePath = '/api/v1';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Query = Record<string, string | number | undefined>;

interface RequestOptions {
  body?: unknown;
  /** Sent as the raw body with this content type, instead of a JSON body. */
  file?: { blob: Blob; contentType: string };
  /** False only for the login POST, which creates the session rather than acting in one. */
  idempotencyKey?: boolean;
}

export class ApiClient {
  #csrfToken: string | null = null;
  #onUnauthenticated: (() => void) | null = null;

  /** Called with each session response (login, session check, invitation accepted). */
  setCsrfToken(token: string | null): void {
    this.#csrfToken = token;
  }

  /** Called when a request finds the session gone (expired or logged out elsewhere). */
  onUnauthenticated(handler: (() => void) | null): void {
    this.#onUnauthenticated = handler;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.#request<T>('GET', withQuery(path, query), {});
  }

  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}): Promise<T> {
    return this.#request<T>('POST', path, { ...options, body });
  }

  /** Sets a thing whose address names it (a country's rate, a team's reviewers). */
  put<T>(path: string, body: unknown): Promise<T> {
    return this.#request<T>('PUT', path, { body });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.#request<T>('PATCH', path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.#request<T>('DELETE', path, {});
  }

  /** POSTs a file's bytes as the request body (a File is a Blob). */
  upload<T>(path: string, blob: Blob, options: { contentType: string; query?: Query }): Promise<T> {
    return this.#request<T>('POST', withQuery(path, options.query), { file: { blob, contentType: options.contentType } });
  }

  async #request<T>(method: Method, path: string, options: RequestOptions): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    // An empty body must not claim to be JSON: the server rejects an empty JSON body.
    if (options.file) headers['content-type'] = options.file.contentType;
    else if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.#csrfToken) headers['x-csrf-token'] = this.#csrfToken;
    if (method === 'POST' && options.idempotencyKey !== false) headers['idempotency-key'] = crypto.randomUUID();

    let response: Response;
    try {
      response = await fetch(basePath + path, {
        method,
        headers,
        credentials: 'same-origin',
        body: options.file ? options.file.blob : options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch {
      throw networkProblem();
    }

    if (response.status === 204) return undefined as T;
    const contentType = response.headers.get('content-type') ?? '';
    const isJson = contentType.includes('application/json') || contentType.includes('application/problem+json');
    if (!isJson) throw unexpectedResponseProblem(response.status, response.statusText);
    const body: unknown = await response.json();
    if (response.ok) return body as T;

    const problem = problemFromBody(response.status, (body ?? {}) as Record<string, unknown>);
    if (problem.code === 'unauthenticated' && !path.startsWith('/session')) this.#onUnauthenticated?.();
    throw problem;
  }
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export const api = new ApiClient();
