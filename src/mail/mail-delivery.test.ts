// Outgoing e-mail end to end below HTTP: a notification is written to the outbox in its
// transaction, in the company's language, and delivered to a real SMTP server; a refused
// message is tried again after its backoff and given up after its last attempt; a claim whose
// process died is taken up once its lease has run out; a rolled-back cause sends nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCompany, updateCompanySettings } from '../companies/companies.service.js';
import { notify } from '../notifications/notifications.service.js';
import { addActivePerson, type UserRow } from '../people/people.service.js';
import { ManualClock } from '../test-support/clock.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { startTestSmtpServer, type TestSmtpServer } from '../test-support/smtp-server.js';
import { mailAttemptsMax, mailLeaseMs, retryDelayMs, startMailDelivery, type MailDelivery } from './mail-delivery.js';
import * as repo from './mail.repository.js';

let database: TestDatabase;
let smtp: TestSmtpServer;
let clock: ManualClock;
let delivery: MailDelivery;
let companyId: string;
let person: UserRow;
const warnings: string[] = [];
const logger = { info: () => undefined, warn: (_details: object, message: string) => void warnings.push(message) };

beforeAll(async () => {
  database = await openTestDatabase();
  smtp = await startTestSmtpServer();
  clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  const company = await createCompany(database.db, { name: 'Fjord Kaffe ApS', currency: 'DKK' });
  companyId = company.id;
  await updateCompanySettings(database.db, companyId, { actorType: 'system', actorId: null }, { locale: 'da-DK' });
  person = await addActivePerson(database.db, companyId, { email: 'mette@fjord.test', name: 'Mette', roles: ['employee'], password: 'a-long-enough-password' });
  delivery = startMailDelivery({ db: database.db, smtpUrl: smtp.url, from: 'Outlay <outlay@fjord.test>', publicUrl: 'https://outlay.fjord.test/', clock, logger, pollIntervalMs: 0 });
});

afterAll(async () => {
  await delivery?.stop();
  await smtp?.close();
  await database?.close();
});

beforeEach(() => {
  smtp.received.length = 0;
  smtp.refuseNext(0);
  warnings.length = 0;
});

let subjectNumber = 0;
async function notifyApproval(body = 'Godt købt.'): Promise<string> {
  subjectNumber += 1;
  const expenseId = `exp_${subjectNumber}`;
  await database.db.transaction().execute((trx) =>
    notify(trx, { companyId, userId: person.id, kind: 'expense_approved', subject: { type: 'expense_event', id: `eev_${subjectNumber}` }, link: { type: 'expense', id: expenseId }, title: 'Expense approved: Taxi 120,00 DKK', body }, clock.now()),
  );
  return expenseId;
}

async function stateOf(expenseLink: string) {
  const rows = await repo.listMail(database.db, companyId, { limit: 100 });
  const row = rows.find((candidate) => candidate.link_path === `/expenses/${expenseLink}`);
  if (!row) throw new Error(`no e-mail links to ${expenseLink}`);
  return row;
}

describe('outgoing e-mail', () => {
  it('delivers a notification in the company\'s language, in text and HTML, with its link under the public URL', async () => {
    const expenseId = await notifyApproval('Godt købt <b>& tak</b>.');
    expect(await delivery.deliverDue()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const { envelopeTo, mail } = smtp.received[0]!;
    expect(envelopeTo).toEqual(['mette@fjord.test']);
    expect(mail.subject).toBe('Din udgift er godkendt');
    expect(mail.from?.text).toContain('outlay@fjord.test');
    expect(mail.text).toContain('Din udgift er godkendt.');
    expect(mail.text).toContain(`Åbn i Outlay: https://outlay.fjord.test/expenses/${expenseId}`);
    expect(mail.text).toContain('Fjord Kaffe ApS');
    // The person's words are text in the HTML part, never markup.
    expect(mail.html).toContain('Godt købt &#60;b&#62;&#38; tak&#60;/b&#62;.');
    expect(mail.html).toContain(`<a href="https://outlay.fjord.test/expenses/${expenseId}">Åbn i Outlay</a>`);
    const row = await stateOf(expenseId);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(await delivery.deliverDue()).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it('writes nothing when the change that notifies rolls back', async () => {
    const before = (await repo.listMail(database.db, companyId, { limit: 100 })).length;
    await expect(
      database.db.transaction().execute(async (trx) => {
        await notify(trx, { companyId, userId: person.id, kind: 'expense_rejected', subject: { type: 'expense_event', id: 'eev_rolled_back' }, link: null, title: 'Expense rejected', body: '' }, clock.now());
        throw new Error('the review failed after notifying');
      }),
    ).rejects.toThrow('the review failed');
    expect(await repo.listMail(database.db, companyId, { limit: 100 })).toHaveLength(before);
  });

  it('tries a refused message again after its backoff, not before', async () => {
    const expenseId = await notifyApproval();
    smtp.refuseNext(1);
    expect(await delivery.deliverDue()).toBe(0);
    const refused = await stateOf(expenseId);
    expect(refused).toMatchObject({ status: 'queued', attempts: 1 });
    expect(refused.last_error).toContain('451');
    expect(refused.next_attempt_at.getTime()).toBe(clock.now().getTime() + retryDelayMs(1));
    expect(warnings).toContain('an e-mail could not be delivered and will be tried again');

    clock.advance(retryDelayMs(1) - 1_000);
    expect(await delivery.deliverDue()).toBe(0);
    clock.advance(1_000);
    expect(await delivery.deliverDue()).toBe(1);
    expect(await stateOf(expenseId)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.received.map((entry) => entry.mail.subject)).toEqual(['Din udgift er godkendt']);
  });

  it('gives a message up after its last attempt', async () => {
    const expenseId = await notifyApproval();
    smtp.refuseNext(mailAttemptsMax);
    for (let attempt = 1; attempt <= mailAttemptsMax; attempt += 1) {
      expect(await delivery.deliverDue()).toBe(0);
      clock.advance(retryDelayMs(attempt));
    }
    expect(await stateOf(expenseId)).toMatchObject({ status: 'failed', attempts: mailAttemptsMax });
    expect(await delivery.deliverDue()).toBe(0);
    expect(smtp.received).toHaveLength(0);
    expect(warnings).toContain('an e-mail could not be delivered and is given up');
  });

  it('sends again a message whose sending process died, once its lease has run out', async () => {
    const expenseId = await notifyApproval();
    // A process claims it and dies before it records anything.
    const now = clock.now();
    const claimed = await repo.claimDue(database.db, now, new Date(now.getTime() + mailLeaseMs), 10);
    expect(claimed.map((row) => row.link_path)).toEqual([`/expenses/${expenseId}`]);
    expect(await delivery.deliverDue()).toBe(0);
    clock.advance(mailLeaseMs);
    expect(await delivery.deliverDue()).toBe(1);
    expect(await stateOf(expenseId)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('does not e-mail a deactivated person, nor the receipt prompt at the till', async () => {
    const before = (await repo.listMail(database.db, companyId, { limit: 100 })).length;
    await database.db.transaction().execute((trx) =>
      notify(trx, { companyId, userId: person.id, kind: 'receipt_wanted', subject: { type: 'card_transaction', id: 'ctx_1' }, link: { type: 'card_transaction', id: 'ctx_1' }, title: 'Receipt wanted', body: '' }, clock.now()),
    );
    await database.db.updateTable('users').set({ status: 'deactivated' }).where('id', '=', person.id).execute();
    try {
      await notifyApproval();
      expect(await repo.listMail(database.db, companyId, { limit: 100 })).toHaveLength(before);
    } finally {
      await database.db.updateTable('users').set({ status: 'active' }).where('id', '=', person.id).execute();
    }
  });
});
