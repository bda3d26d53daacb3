// Talks to the HTTP API in-process (Fastify's `app.inject`) the way a browser or an
// integrator would: as a signed-in person (session cookie plus the CSRF token on writes),
// with an API key, or anonymously. Also sets up extra companies for tenancy tests.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Role } from '../db/schema.js';
import type { Database } from '../db/database.js';
import { createCompany, type CompanyRow } from '../companies/companies.service.js';
import { csrfHeader, sessionCookie } from '../http/authenticate.js';
import { idempotencyHeader } from '../http/idempotency.js';
import { addActivePerson, type UserRow } from '../people/people.service.js';
import { testPasswordCost } from './server.js';

// Tests read response bodies freely and assert the fields they rely on; a typed body is
// one type argument away (`client.get<Person>(...)`).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonBody = any;

export interface ApiResponse<Body = JsonBody> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The raw response text. */
  text: string;
  /** The parsed JSON body, or undefined when the response is not JSON. */
  body: Body;
  contentType: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as the Idempotency-Key header. */
  idempotencyKey?: string;
  /** Overrides the CSRF token a session client sends on writes; null sends none. */
  csrfToken?: string | null;
  /** A raw request body (sent as is, with the given content type) instead of JSON. */
  rawBody?: string | Buffer;
  /** The client's network address as the server sees it (Fastify's inject uses 127.0.0.1). */
  remoteAddress?: string;
}

type Credentials =
  | { kind: 'anonymous' }
  | { kind: 'session'; cookie: string; csrfToken: string }
  | { kind: 'api_key'; secret: string };

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export class ApiClient {
  constructor(
    readonly app: FastifyInstance,
    readonly credentials: Credentials = { kind: 'anonymous' },
  ) {}

  async request<Body = JsonBody>(method: string, url: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse<Body>> {
    const headers: Record<string, string> = {};
    const cookies: Record<string, string> = {};
    const { credentials } = this;
    if (credentials.kind === 'api_key') headers.authorization = `Bearer ${credentials.secret}`;
    if (credentials.kind === 'session') {
      cookies[sessionCookie] = credentials.cookie;
      const csrf = options.csrfToken === undefined ? credentials.csrfToken : options.csrfToken;
      if (!safeMethods.has(method) && csrf !== null) headers[csrfHeader] = csrf;
    }
    if (options.idempotencyKey !== undefined) headers[idempotencyHeader] = options.idempotencyKey;
    let payload: string | Buffer | undefined;
    if (options.rawBody !== undefined) {
      payload = options.rawBody;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, options.headers);
    const response = await this.app.inject({ method: method as 'GET', url, headers, cookies, ...(payload !== undefined ? { payload } : {}), ...(options.remoteAddress !== undefined ? { remoteAddress: options.remoteAddress } : {}) });
    const contentType = String(response.headers['content-type'] ?? '');
    const isJson = contentType.startsWith('application/json') || contentType.startsWith('application/problem+json');
    return {
      status: response.statusCode,
      headers: response.headers,
      text: response.body,
      body: (isJson && response.body.length > 0 ? JSON.parse(response.body) : undefined) as Body,
      contentType,
    };
  }

  get<Body = JsonBody>(url: string, options?: RequestOptions) {
    return this.request<Body>('GET', url, undefined, options);
  }

  post<Body = JsonBody>(url: string, body?: unknown, options?: RequestOptions) {
    return this.request<Body>('POST', url, body, options);
  }

  patch<Body = JsonBody>(url: string, body?: unknown, options?: RequestOptions) {
    return this.request<Body>('PATCH', url, body, options);
  }

  delete<Body = JsonBody>(url: string, options?: RequestOptions) {
    return this.request<Body>('DELETE', url, undefined, options);
  }
}

export interface SessionClient extends ApiClient {
  credentials: { kind: 'session'; cookie: string; csrfToken: string };
}

export function anonymous(app: FastifyInstance): ApiClient {
  return new ApiClient(app);
}

export function withApiKey(app: FastifyInstance, secret: string): ApiClient {
  return new ApiClient(app, { kind: 'api_key', secret });
}

/** A client holding the given session cookie and CSRF token. */
export function withSession(app: FastifyInstance, cookie: string, csrfToken: string): SessionClient {
  return new ApiClient(app, { kind: 'session', cookie, csrfToken }) as SessionClient;
}

/** Reads the session cookie and CSRF token out of a sign-in (or invitation accept) response. */
export function sessionFrom(app: FastifyInstance, response: ApiResponse<{ csrfToken?: string }>): SessionClient {
  const setCookie = [response.headers['set-cookie'] ?? []].flat().map(String);
  const cookie = setCookie.map((line) => new RegExp(`^${sessionCookie}=([^;]*)`).exec(line)?.[1]).find(Boolean);
  const csrfToken = response.body?.csrfToken;
  if (response.status !== 200 || !cookie || !csrfToken) {
    throw new Error(`no session in the response (status ${response.status}): ${response.text}`);
  }
  return withSession(app, cookie, csrfToken);
}

/** Signs in through POST /api/v1/session, as the web app does, from 127.0.0.1 or the given address. */
export async function signIn(app: FastifyInstance, email: string, password: string, from?: { remoteAddress: string }): Promise<SessionClient> {
  return sessionFrom(app, await anonymous(app).post('/api/v1/session', { email, password }, from));
}

/** Creates an API key through the API and returns a client using it, with the key's id. */
export async function createApiKey(admin: ApiClient, name: string, scopes: readonly string[]): Promise<{ id: string; secret: string; client: ApiClient }> {
  const response = await admin.post<{ apiKey: { id: string }; secret: string }>('/api/v1/api-keys', { name, scopes });
  if (response.status !== 201) throw new Error(`creating an API key failed (${response.status}): ${response.text}`);
  return { id: response.body.apiKey.id, secret: response.body.secret, client: withApiKey(admin.app, response.body.secret) };
}

export const testPassword = 'correct-horse-battery-staple';

export interface Tenant {
  company: CompanyRow;
  admin: UserRow;
  adminEmail: string;
  /** The admin, signed in through the API. */
  client: SessionClient;
}

/**
 * Creates a company with its first admin straight through the services (there is no
 * sign-up endpoint yet), then signs the admin in over HTTP.
 */
export async function createTenant(
  server: { app: FastifyInstance; database: Database },
  options: { name: string; currency?: string; adminEmail: string; adminName?: string; roles?: Role[] },
): Promise<Tenant> {
  const company = await createCompany(server.database.db, { name: options.name, currency: options.currency ?? 'EUR' });
  const admin = await addActivePerson(server.database.db, company.id, {
    email: options.adminEmail,
    name: options.adminName ?? `Admin of ${options.name}`,
    roles: options.roles ?? ['admin'],
    password: testPassword,
  }, testPasswordCost);
  const client = await signIn(server.app, options.adminEmail, testPassword);
  return { company, admin, adminEmail: admin.email, client };
}

/**
 * Invites a person as `admin`, accepts the invitation with a password and returns the new
 * person's id and signed-in client: the same path a real invitee takes.
 */
export async function addPerson(
  admin: SessionClient,
  person: { email: string; name: string; roles: Role[]; teamId?: string | null },
): Promise<{ id: string; email: string; client: SessionClient }> {
  const invited = await admin.post<{ person: { id: string }; invitation: { url: string } }>('/api/v1/people/invitations', person);
  if (invited.status !== 201) throw new Error(`inviting ${person.email} failed (${invited.status}): ${invited.text}`);
  const token = invitationToken(invited.body.invitation.url);
  const accepted = await anonymous(admin.app).post(`/api/v1/invitations/${token}/accept`, { password: testPassword });
  return { id: invited.body.person.id, email: person.email, client: sessionFrom(admin.app, accepted) };
}

/** The bearer token at the end of an invitation link. */
export function invitationToken(url: string): string {
  const token = /\/invite\/([^/?#]+)$/.exec(url)?.[1];
  if (!token) throw new Error(`${url} is not an invitation link`);
  return token;
}

/**
 * Every API route as "METHOD /path" (Fastify's path syntax, HEAD left out), read from the
 * router itself so that a route added later shows up without anyone listing it here.
 */
export function apiRoutes(app: FastifyInstance, prefix = '/api/v1/'): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    // Each level of the tree is four characters of "│   " or "    " before "├── " or "└── ".
    const match = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack.push(path);
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) {
      if (method && method !== 'HEAD' && path.startsWith(prefix)) routes.push(`${method} ${path}`);
    }
  }
  return routes.sort();
}

/**
 * Every row the database holds, as text per table, optionally only one company's rows
 * (the tables with a company_id column, and the company itself). Tables are read from the
 * catalogue, so a table added later is covered too. Two snapshots are equal exactly when
 * nothing was written in between by a request. `scheduled_runs` and `job_leases` are left
 * out: the server's own sweeps record each minute's tick there whatever the test does, and a
 * background job's lease is renewed on a timer while it runs, so a snapshot taken across a
 * minute boundary or a renewal would differ for no request's sake.
 */
const CLOCK_TABLES = new Set(['scheduled_runs', 'job_leases']);

export async function snapshotRows(db: Database['db'], companyId?: string): Promise<Record<string, string[]>> {
  const tables = await sql<{ table_name: string; has_company: boolean }>`
    select table_name, bool_or(column_name = 'company_id') as has_company
    from information_schema.columns
    where table_schema = current_schema()
    group by table_name
    order by table_name`.execute(db);
  const snapshot: Record<string, string[]> = {};
  for (const { table_name: table, has_company: hasCompany } of tables.rows) {
    if (CLOCK_TABLES.has(table)) continue;
    let filter = sql`true`;
    if (companyId && table === 'companies') filter = sql`id = ${companyId}`;
    else if (companyId && hasCompany) filter = sql`company_id = ${companyId}`;
    else if (companyId) continue;
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t where ${filter}`.execute(db);
    snapshot[table] = rows.rows.map((r) => r.row).sort();
  }
  return snapshot;
}
