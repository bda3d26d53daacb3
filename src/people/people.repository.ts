import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { InvitationsTable, Role, TeamsTable, UsersTable, UserStatus } from '../db/schema.js';

export type UserRow = Selectable<UsersTable>;
export type TeamRow = Selectable<TeamsTable>;
export type InvitationRow = Selectable<InvitationsTable>;

/** The first key of the advisory locks this module takes (the second is the company's). */
const peopleLockClass = 7_301;

/** Serialises changes to a company's people, so checks like "one admin must remain" hold
 * under concurrent requests: a transaction-scoped advisory lock on the company's id, held
 * until the caller's transaction ends. Two companies whose ids hash alike only wait on each
 * other now and then. */
export async function lockCompanyPeople(db: Db, companyId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${peopleLockClass}, hashtext(${companyId}))`.execute(db);
}

export async function insertUser(
  db: Db,
  row: { companyId: string; id: string; email: string; name: string; roles: Role[]; teamId: string | null; status: UserStatus; passwordHash: string | null },
): Promise<UserRow> {
  const user = await db
    .insertInto('users')
    .values({
      company_id: row.companyId,
      id: row.id,
      email: row.email,
      name: row.name,
      roles: row.roles,
      team_id: row.teamId,
      status: row.status,
      password_hash: row.passwordHash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.insertInto('logins').values({ email: row.email, company_id: row.companyId, user_id: row.id }).execute();
  return user;
}

/** Whether the address is a person of this company already; other companies' people are no
 * concern of it. */
export async function emailTaken(db: Db, companyId: string, email: string): Promise<boolean> {
  return (await db.selectFrom('logins').select('email').where('email', '=', email).where('company_id', '=', companyId).executeTakeFirst()) !== undefined;
}

/** The people the address is in every company, at most `limit`, in company order. */
export async function findLogins(db: Db, email: string, limit: number): Promise<UserRow[]> {
  return db
    .selectFrom('logins')
    .innerJoin('users', (join) => join.onRef('users.company_id', '=', 'logins.company_id').onRef('users.id', '=', 'logins.user_id'))
    .selectAll('users')
    .where('logins.email', '=', email)
    .orderBy('logins.company_id')
    .limit(limit)
    .execute();
}

export async function findUser(db: Db, companyId: string, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Db, companyId: string, before: string | undefined, limit: number): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll().where('company_id', '=', companyId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

export async function updateUser(
  db: Db,
  companyId: string,
  id: string,
  patch: Partial<{ name: string; roles: Role[]; team_id: string | null; status: UserStatus; password_hash: string }>,
): Promise<UserRow> {
  return db
    .updateTable('users')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces the hash only while it is still `previous`; whether it did. */
export async function replacePasswordHash(db: Db, companyId: string, id: string, previous: string, next: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ password_hash: next })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('password_hash', '=', previous)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function countActiveAdmins(db: Db, companyId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .where('company_id', '=', companyId)
    .where('status', '=', 'active')
    .where(sql<boolean>`'admin' = any(roles)`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The ids of the company's active admins, in id order. */
export async function listActiveAdminIds(db: Db, companyId: string): Promise<string[]> {
  const rows = await db.selectFrom('users').select('id').where('company_id', '=', companyId).where('status', '=', 'active').where(sql<boolean>`'admin' = any(roles)`).orderBy('id').execute();
  return rows.map((row) => row.id);
}

export async function insertTeam(db: Db, row: { companyId: string; id: string; name: string }): Promise<TeamRow> {
  return db.insertInto('teams').values({ company_id: row.companyId, id: row.id, name: row.name }).returningAll().executeTakeFirstOrThrow();
}

export async function findTeam(db: Db, companyId: string, id: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

export async function findTeamByName(db: Db, companyId: string, name: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('company_id', '=', companyId).where('name', '=', name).executeTakeFirst();
}

export async function listTeams(db: Db, companyId: string, before: string | undefined, limit: number): Promise<TeamRow[]> {
  let query = db.selectFrom('teams').selectAll().where('company_id', '=', companyId);
  if (before) query = query.where('id', '<', before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

export async function insertInvitation(db: Db, row: Omit<InvitationRow, 'created_at' | 'accepted_at'>): Promise<InvitationRow> {
  return db.insertInto('invitations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findInvitation(db: Db, companyId: string, id: string): Promise<InvitationRow | undefined> {
  return db.selectFrom('invitations').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** Marks an invitation used; returns nothing if it was used already (at most once). */
export async function markInvitationAccepted(db: Db, companyId: string, id: string, now: Date): Promise<InvitationRow | undefined> {
  return db
    .updateTable('invitations')
    .set({ accepted_at: now })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes up to `limit` invitations accepted or expired before `before`; how many went. */
export async function deleteSpentInvitations(db: Db, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from invitations
    where (company_id, id) in (
      select company_id, id from invitations
      where accepted_at < ${before} or expires_at < ${before}
      limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

export async function countUsersByCompany(db: Db, companyIds: readonly string[]): Promise<{ company_id: string; people: number }[]> {
  if (companyIds.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['company_id', (eb) => eb.fn.countAll<bigint>().as('people')])
    .where('company_id', 'in', companyIds)
    .groupBy('company_id')
    .execute();
  return rows.map((row) => ({ company_id: row.company_id, people: Number(row.people) }));
}

export async function listTeamIds(db: Db, companyId: string, ids: readonly string[]): Promise<{ id: string; team_id: string | null }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'team_id']).where('company_id', '=', companyId).where('id', 'in', [...new Set(ids)]).execute();
}

/** The names of the people with these ids. */
export async function listNames(db: Db, companyId: string, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'name']).where('company_id', '=', companyId).where('id', 'in', ids).execute();
}

export async function findTeams(db: Db, companyId: string, ids: readonly string[]): Promise<TeamRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('teams').selectAll().where('company_id', '=', companyId).where('id', 'in', ids).execute();
}

/** Active people who review expenses: those with the role reviewer or admin. */
export async function listActiveReviewerIds(db: Db, companyId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select id from users
    where company_id = ${companyId} and status = 'active' and (roles @> array['reviewer']::text[] or roles @> array['admin']::text[])
    order by id`.execute(db);
  return rows.rows.map((row) => row.id);
}

export async function findUserByEmail(db: Db, companyId: string, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('company_id', '=', companyId).where('email', '=', email).executeTakeFirst();
}

/** Marks a person's open invitations used: they joined another way (single sign-on). */
export async function closeInvitationsOf(db: Db, companyId: string, userId: string, now: Date): Promise<void> {
  await db.updateTable('invitations').set({ accepted_at: now }).where('company_id', '=', companyId).where('user_id', '=', userId).where('accepted_at', 'is', null).execute();
}
