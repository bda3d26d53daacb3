// What the tenancy suites (test/api/*tenancy.test.ts) share. Each holds the cases of its
// share of the API's routes: what a person and an API key of company A try against company
// B's rows by their ids. This module runs them: it checks that the suite has a case for each
// of its routes and no other (so a new route cannot skip tenancy), runs every case once as
// each actor, and compares company B's rows (and any other company the suite names) before
// and after, which must be exactly equal.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.js';
import type { Tables } from '../db/schema.js';
import { syncCardExpenses } from '../expenses/expense-sync.js';
import type { RunningServer } from '../server/server.js';
import { apiRoutes, snapshotRows, type ApiClient, type ApiResponse } from './api-client.js';

export type ActorKind = 'user' | 'apiKey';
export const actorKinds: readonly ActorKind[] = ['user', 'apiKey'];

/** Who attempts a case: company A's signed-in admin, or an API key of company A. */
export interface Actor {
  kind: ActorKind;
  client: ApiClient;
}

/** One case per route, by "METHOD /path" as apiRoutes() names it. */
export type TenancyCases = Record<string, (actor: Actor) => Promise<void>>;

// Which suite holds the cases of which routes; a route none of these claims belongs to the
// general suite (tenancy.test.ts).
const suiteRoutes = {
  cards: /^[A-Z]+ \/api\/v1\/(cards|card-settings)(\/|$)/,
  receipts: /^[A-Z]+ \/api\/v1\/(receipts|receipt-settings|notifications)(\/|$)|\/lost-receipt$/,
  expenses: /^[A-Z]+ \/api\/v1\/(expense-settings|expense-categories|tax-codes|tag-groups|tags|per-diem-rates|team-reviewers|review-rules|closed-periods|payee-account|expenses|expense-reviews|payouts|payout-batches|export-batches)(\/|$)/,
  banking: /^[A-Z]+ \/api\/v1\/(bank\/|wallet\/(top-up-instructions|low-balance-alert|bank-statements))/,
};

export type TenancySuiteName = keyof typeof suiteRoutes | 'general';

export function tenancySuiteOf(route: string): TenancySuiteName {
  const claimed = (Object.keys(suiteRoutes) as (keyof typeof suiteRoutes)[]).find((suite) => suiteRoutes[suite].test(route));
  return claimed ?? 'general';
}

/**
 * Every row of a company (see snapshotRows) once the server's own background step has
 * caught up: every few seconds card purchases become expenses (expense-sync.ts), and a
 * snapshot taken before that step would differ from one taken after it, though no request
 * wrote anything.
 */
export async function settledRows(db: Db, companyId: string): Promise<Record<string, string[]>> {
  await syncCardExpenses(db, new Date());
  return snapshotRows(db, companyId);
}

/** Fails unless the company holds rows in every one of the tables. */
export async function expectRowsIn(db: Db, companyId: string, tables: readonly string[]): Promise<void> {
  const rows = await settledRows(db, companyId);
  for (const table of tables) expect(rows[table]?.length, `${table} of ${companyId}`).toBeGreaterThan(0);
}

/** 404, as if the id did not exist: never 403, which would confirm that it does. `what`
 * names the attempt in a failure. */
export function expectNotFound(response: ApiResponse, options: { code?: string; what?: string } = {}): void {
  const { code = 'not_found', what = '' } = options;
  expect({ what, status: response.status, code: response.body?.code }).toEqual({ what, status: 404, code });
  expect(response.contentType).toMatch(/^application\/problem\+json/);
}

/** What API keys get on routes for people only, whatever the id: the same answer for A's
 * ids and B's, so no oracle either way. */
export function expectForbidden(response: ApiResponse): void {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status: 403, code: 'forbidden' });
  expect(response.contentType).toMatch(/^application\/problem\+json/);
}

/** Each attempt on one of the ids is a 404. */
export async function expectEachNotFound(ids: readonly string[], attempt: (id: string) => Promise<ApiResponse>): Promise<void> {
  for (const id of ids) expectNotFound(await attempt(id), { what: id });
}

export const idsOf = (response: ApiResponse): string[] => (response.body.items as { id: string }[]).map((item) => item.id);

/** The tables whose rows have an id and belong to a company. */
export type CompanyTable = { [T in keyof Tables]: Tables[T] extends { company_id: string; id: string } ? T : never }[keyof Tables];

/** Every id is a row of the company in `table`: none is another company's, nor missing. */
export async function expectOnlyCompany(db: Db, companyId: string, table: CompanyTable, ids: readonly string[]): Promise<void> {
  expect(ids.length, `ids of ${table}`).toBeGreaterThan(0);
  const rows = await sql<{ company_id: string; id: string }>`select company_id, id from ${sql.table(table)} where id in (${sql.join(ids)})`.execute(db);
  expect(ids.map((id) => rows.rows.find((row) => row.id === id)?.company_id)).toEqual(ids.map(() => companyId));
}

export interface TenancySuite {
  suite: TenancySuiteName;
  /** The server the suite's beforeAll started. */
  server: () => RunningServer;
  /** Company A's signed-in admin and API key: every case runs once as each. */
  actors: () => Record<ActorKind, ApiClient>;
  /** The companies no attempt may change, by name ("company B", "the platform"). */
  untouched: Record<string, () => string>;
  cases: TenancyCases;
  /** Attempts besides the routes' cases, run after them and before the rows are compared. */
  moreAttempts?: Record<string, () => Promise<void>>;
}

/**
 * Declares the tests every tenancy suite makes, in this order: a case for each of the
 * suite's routes, every case as each actor, the suite's other attempts, then the untouched
 * companies' rows exactly as they were. Call it inside the suite's describe, after the
 * beforeAll that sets the companies up; the rows are read before the first test.
 */
export function describeTenancy(spec: TenancySuite): void {
  const untouchedNames = Object.keys(spec.untouched);
  const snapshots = () => Promise.all(Object.values(spec.untouched).map((companyId) => settledRows(spec.server().database.db, companyId())));
  let rowsBefore: Record<string, string[]>[] = [];
  beforeAll(async () => {
    rowsBefore = await snapshots();
  });

  it(`has a case for every ${spec.suite} route, so a new route cannot skip this suite`, () => {
    const routes = apiRoutes(spec.server().app).filter((route) => tenancySuiteOf(route) === spec.suite);
    expect(routes.length).toBeGreaterThan(0);
    expect(routes).toEqual(Object.keys(spec.cases).sort());
  });

  describe.each(actorKinds)('as %s of company A', (kind) => {
    it.each(Object.keys(spec.cases).sort())(`%s never reads or changes ${untouchedNames.join(' or ')}`, async (route) => {
      await spec.cases[route]!({ kind, client: spec.actors()[kind] });
    });
  });

  for (const [title, attempt] of Object.entries(spec.moreAttempts ?? {})) it(title, attempt);

  it(`leaves every row of ${untouchedNames.join(' and of ')} exactly as it was`, async () => {
    const after = await snapshots();
    untouchedNames.forEach((name, index) => expect(after[index], name).toEqual(rowsBefore[index]));
  });
}
