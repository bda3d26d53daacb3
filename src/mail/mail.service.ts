// Outgoing e-mail: messages are written to the outbox in the caller's transaction (so one
// exists exactly when its cause committed) and delivered by mail-delivery.ts.
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import { isMailKind, renderMail, type MailKind } from './mail-templates.js';
import * as repo from './mail.repository.js';

export type { OutgoingMailRow } from './mail.repository.js';

/** Kinds whose link signs someone in: the link is cleared from the outbox once sent. */
const signInKinds: ReadonlySet<string> = new Set<MailKind>(['invitation', 'password_reset']);

export function linkSignsIn(kind: string): boolean {
  return signInKinds.has(kind);
}

/** E-mails a notification to its person (an active one) in their company's language; a kind
 * without e-mail wording is not e-mailed. Returns whether a message was queued. */
export async function mailNotification(
  trx: Db,
  notification: { companyId: string; userId: string; kind: string; title: string; body: string; linkPath: string | null },
  now: Date,
): Promise<boolean> {
  if (!isMailKind(notification.kind) || signInKinds.has(notification.kind)) return false;
  const recipient = await repo.activeRecipient(trx, notification.companyId, notification.userId);
  if (!recipient) return false;
  const content = renderMail({ kind: notification.kind, locale: recipient.locale, values: { company: recipient.companyName }, detail: { title: notification.title, body: notification.body } });
  await repo.insertMail(trx, {
    company_id: notification.companyId,
    id: newId('mail', now.getTime()),
    kind: notification.kind,
    user_id: notification.userId,
    to_address: recipient.email,
    locale: recipient.locale,
    subject: content.subject,
    text_body: content.text,
    html_body: content.html,
    link_path: notification.linkPath,
    next_attempt_at: now,
  });
  return true;
}

/** E-mails an invitation to an address that has no account yet. `linkPath` holds the token. */
export async function mailInvitation(
  trx: Db,
  invitation: { companyId: string; userId: string; email: string; inviterName: string | null; expiresAt: Date; linkPath: string },
  now: Date,
): Promise<void> {
  const company = await repo.companyOf(trx, invitation.companyId);
  if (!company) throw new Error(`company ${invitation.companyId} not found`);
  const expires = new Intl.DateTimeFormat(company.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(invitation.expiresAt) + ' UTC';
  const content = renderMail({ kind: 'invitation', locale: company.locale, values: { company: company.name, inviter: invitation.inviterName ?? company.name, expires } });
  await repo.insertMail(trx, {
    company_id: invitation.companyId,
    id: newId('mail', now.getTime()),
    kind: 'invitation',
    user_id: invitation.userId,
    to_address: invitation.email,
    locale: company.locale,
    subject: content.subject,
    text_body: content.text,
    html_body: content.html,
    link_path: invitation.linkPath,
    next_attempt_at: now,
  });
}

/** E-mails a link that sets a new password to a person who asked for one. `linkPath` holds the token. */
export async function mailPasswordReset(
  trx: Db,
  reset: { companyId: string; userId: string; email: string; validMinutes: number; linkPath: string },
  now: Date,
): Promise<void> {
  await mailAccountNotice(trx, 'password_reset', reset, { minutes: String(reset.validMinutes) }, now);
}

/** Tells a person that wrong passwords locked their address out, linking to the page that asks
 * for a reset (the e-mail holds no token: whoever caused it cannot make it carry one). */
export async function mailSignInLockout(trx: Db, person: { companyId: string; userId: string; email: string }, now: Date): Promise<void> {
  await mailAccountNotice(trx, 'sign_in_locked_out', { ...person, linkPath: '/forgot-password' }, {}, now);
}

async function mailAccountNotice(
  trx: Db,
  kind: MailKind,
  to: { companyId: string; userId: string; email: string; linkPath: string },
  values: Record<string, string>,
  now: Date,
): Promise<void> {
  const company = await repo.companyOf(trx, to.companyId);
  if (!company) throw new Error(`company ${to.companyId} not found`);
  const content = renderMail({ kind, locale: company.locale, values: { company: company.name, ...values } });
  await repo.insertMail(trx, {
    company_id: to.companyId,
    id: newId('mail', now.getTime()),
    kind,
    user_id: to.userId,
    to_address: to.email,
    locale: company.locale,
    subject: content.subject,
    text_body: content.text,
    html_body: content.html,
    link_path: to.linkPath,
    next_attempt_at: now,
  });
}

/** The company's sent and waiting e-mails, newest first. */
export async function listCompanyMail(db: Db, principal: Principal, filter: { before?: string; limit: number }) {
  return repo.listMail(db, principal.companyId, filter);
}
