// SQL of in-app notifications.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { NotificationsTable } from '../db/schema.js';

export type NotificationRow = Selectable<NotificationsTable>;

/** Inserts the notifications, each unless one of its kind about its subject exists (or comes
 * twice in the list); returns the ids of those inserted. */
export async function insertNotifications(db: Db, rows: readonly Insertable<NotificationsTable>[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('notifications')
    .values([...rows])
    .onConflict((oc) => oc.columns(['company_id', 'kind', 'subject_id']).doNothing())
    .returning('id')
    .execute();
  return inserted.map((row) => row.id);
}

export async function listNotifications(db: Db, companyId: string, userId: string, filter: { unreadOnly: boolean; before?: string; limit: number }): Promise<NotificationRow[]> {
  let query = db.selectFrom('notifications').selectAll().where('company_id', '=', companyId).where('user_id', '=', userId);
  if (filter.unreadOnly) query = query.where('read_at', 'is', null);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function countUnread(db: Db, companyId: string, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select(sql<string>`count(*)`.as('unread'))
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.unread);
}

export async function markRead(db: Db, companyId: string, userId: string, id: string, at: Date): Promise<NotificationRow | undefined> {
  return db
    .updateTable('notifications')
    .set({ read_at: sql<Date>`coalesce(read_at, ${at})` })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
