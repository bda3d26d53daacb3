// In-app notifications: what Outlay tells a person (a receipt is missing, a card was frozen).
// Each is written in the transaction of the change it tells of, once per subject and kind.
// Each is also e-mailed (src/mail), in the same transaction, except the instant receipt prompt.
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import type { NotificationKind, NotificationLinkType } from '../db/schema.js';
import { DomainError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { liveEvents } from '../shared/live-events.js';
import { mailNotification } from '../mail/mail.service.js';
import * as repo from './notifications.repository.js';

export type { NotificationRow } from './notifications.repository.js';

export interface NewNotification {
  companyId: string;
  userId: string;
  kind: NotificationKind;
  /** What it is about, once: a second notification of its kind about it is not sent. */
  subject: { type: string; id: string };
  /** The item the person opens from it. */
  link: { type: NotificationLinkType; id: string } | null;
  title: string;
  body: string;
}

/** Notifies a person; a second notification of the same kind about the same subject is
 * dropped, so sweeps can run any number of times. Returns true when it was new. */
export async function notify(trx: Db, notification: NewNotification, now: Date): Promise<boolean> {
  return (await notifyMany(trx, [notification], now)) === 1;
}

/** Notifies many at once, with one insert for all (each dropped as `notify` drops it);
 * returns how many were new. */
export async function notifyMany(trx: Db, notifications: readonly NewNotification[], now: Date): Promise<number> {
  if (notifications.length === 0) return 0;
  const rows = notifications.map((notification) => ({
    company_id: notification.companyId,
    id: newId('notification', now.getTime()),
    user_id: notification.userId,
    kind: notification.kind,
    subject_type: notification.subject.type,
    subject_id: notification.subject.id,
    link_type: notification.link?.type ?? null,
    link_id: notification.link?.id ?? null,
    title: notification.title.slice(0, 200),
    body: notification.body.slice(0, 2000),
  }));
  const created = new Set(await repo.insertNotifications(trx, rows));
  for (const [index, notification] of notifications.entries()) {
    const id = rows[index]!.id;
    if (!created.has(id)) continue;
    // The purchase's receipt prompt is the app's, at the till: its e-mail would come after the
    // moment; the reminder sweep e-mails the receipts still missing.
    if (notification.kind !== 'receipt_wanted') {
      await mailNotification(trx, { companyId: notification.companyId, userId: notification.userId, kind: notification.kind, title: notification.title, body: notification.body, linkPath: linkPathOf(notification.link) }, now);
    }
    // Told before the caller's transaction commits (notify runs inside it): a page that reads
    // its notifications at once may not see it yet, and sees it at the next event or read.
    await liveEvents.publish({ companyId: notification.companyId, type: 'notification.created', subject: { type: 'notification', id }, audience: { userIds: [notification.userId], permission: null } });
  }
  return created.size;
}

/** The web app's page of a notification's item (web/src/notifications/notification-links.ts). */
function linkPathOf(link: NewNotification['link']): string | null {
  if (!link) return null;
  switch (link.type) {
    case 'expense':
      return `/expenses/${encodeURIComponent(link.id)}`;
    case 'card_transaction':
      return '/';
    case 'card':
      return '/my-cards';
    case 'payout_batch':
      return '/reimbursements';
    case 'wallet':
      return '/wallet';
    case 'budget':
      return '/budgets';
  }
}

function personOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'notifications belong to people; an API key has none');
  return principal.userId;
}

export async function listMyNotifications(db: Db, principal: Principal, filter: { unreadOnly: boolean; before?: string; limit: number }) {
  const userId = personOf(principal);
  const [items, unread] = await Promise.all([repo.listNotifications(db, principal.companyId, userId, filter), repo.countUnread(db, principal.companyId, userId)]);
  return { items, unread };
}

export async function markNotificationRead(db: Db, principal: Principal, id: string, now: Date) {
  const row = await repo.markRead(db, principal.companyId, personOf(principal), id, now);
  if (!row) throw notFound('notification');
  return row;
}
