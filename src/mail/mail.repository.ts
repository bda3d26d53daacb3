// SQL of outgoing e-mail: the outbox that is also its own delivery queue.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { OutgoingMailTable } from '../db/schema.js';
import { unsentChanges, type UnsentOutcome } from '../shared/outbox-rounds.js';

export type OutgoingMailRow = Selectable<OutgoingMailTable>;

export interface Recipient {
  email: string;
  name: string;
  companyName: string;
  locale: string;
}

/** An active person's address, and their company's name and locale, in one query. */
export async function activeRecipient(db: Db, companyId: string, userId: string): Promise<Recipient | undefined> {
  return db
    .selectFrom('users')
    .innerJoin('companies', 'companies.id', 'users.company_id')
    .select(['users.email as email', 'users.name as name', 'companies.name as companyName', 'companies.locale as locale'])
    .where('users.company_id', '=', companyId)
    .where('users.id', '=', userId)
    .where('users.status', '=', 'active')
    .executeTakeFirst();
}

/** The company's name and locale, which an e-mail to someone without a person yet is written in. */
export async function companyOf(db: Db, companyId: string): Promise<{ name: string; locale: string } | undefined> {
  return db.selectFrom('companies').select(['name', 'locale']).where('id', '=', companyId).executeTakeFirst();
}

export async function insertMail(db: Db, row: Insertable<OutgoingMailTable>): Promise<void> {
  await db.insertInto('outgoing_mail').values(row).execute();
}

/**
 * Claims up to `limit` messages that are due (queued and their time has come, or being sent by
 * a process whose lease ran out) for this process, counting the attempt. SKIP LOCKED: several
 * processes claim different messages at once.
 */
export async function claimDue(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<OutgoingMailRow[]> {
  const result = await sql<OutgoingMailRow>`
    update outgoing_mail as m
       set status = 'sending', lease_until = ${leaseUntil}, attempts = m.attempts + 1
      from (select company_id, id from outgoing_mail
             where (status = 'queued' and next_attempt_at <= ${now}) or (status = 'sending' and lease_until <= ${now})
             order by next_attempt_at
             limit ${limit}
             for update skip locked) as due
     where m.company_id = due.company_id and m.id = due.id
    returning m.*`.execute(db);
  return result.rows;
}

/** Ends a claim (only while it is still this attempt's): sent, queued again, or failed. */
export async function finishAttempt(
  db: Db,
  row: Pick<OutgoingMailRow, 'company_id' | 'id' | 'attempts'>,
  outcome: { status: 'sent'; at: Date; scrubLink: boolean } | UnsentOutcome,
): Promise<boolean> {
  const update =
    outcome.status === 'sent'
      ? { status: 'sent' as const, sent_at: outcome.at, lease_until: null, last_error: null, ...(outcome.scrubLink ? { link_path: null } : {}) }
      : unsentChanges(outcome);
  const result = await db
    .updateTable('outgoing_mail')
    .set(update)
    .where('company_id', '=', row.company_id)
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', row.attempts)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listMail(db: Db, companyId: string, filter: { before?: string; limit: number }): Promise<OutgoingMailRow[]> {
  let query = db.selectFrom('outgoing_mail').selectAll().where('company_id', '=', companyId);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}
