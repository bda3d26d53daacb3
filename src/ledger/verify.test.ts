// verifyLedger must find every way a ledger can be broken behind the service's back. Each
// test corrupts one invariant with raw SQL in a company of its own and expects verify to name
// exactly that invariant and what it concerns, and nothing else.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountType } from '../db/schema.js';
import { newId } from '../shared/ids.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import type { AccountRow } from './ledger.repository.js';
import * as ledger from './ledger.service.js';
import { verifyLedger, violationsPerCheckMax, type VerifyReport } from './verify.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

interface TestCompany {
  id: string;
  wallet: AccountRow;
  funding: AccountRow;
  spend: AccountRow;
}

async function openCompany(): Promise<TestCompany> {
  const id = newId('company');
  await database.db.insertInto('companies').values({ id, name: 'Verify Co', currency: 'EUR' }).execute();
  return database.db.transaction().execute(async (trx) => ({
    id,
    wallet: await ledger.openAccount(trx, { companyId: id, code: 'wallet', name: 'Wallet', type: 'asset', currency: 'EUR', noOverdraft: true }),
    funding: await ledger.openAccount(trx, { companyId: id, code: 'funding', name: 'Funding', type: 'equity', currency: 'EUR' }),
    spend: await ledger.openAccount(trx, { companyId: id, code: 'spend', name: 'Spend', type: 'expense', currency: 'EUR' }),
  }));
}

async function openAccount(company: TestCompany, code: string, type: AccountType, currency = 'EUR'): Promise<AccountRow> {
  return database.db.transaction().execute((trx) => ledger.openAccount(trx, { companyId: company.id, code, name: code, type, currency }));
}

async function book(company: TestCompany, debit: AccountRow, credit: AccountRow, amount: bigint): Promise<void> {
  await database.db.transaction().execute((trx) =>
    ledger.postEntry(trx, { effectiveAt: new Date(),
      companyId: company.id,
      kind: 'test',
      description: 'test',
      postings: [
        { accountId: debit.id, amount },
        { accountId: credit.id, amount: -amount },
      ],
    }),
  );
}

async function hold(company: TestCompany, amount: bigint): Promise<string> {
  const transfer = await database.db.transaction().execute((trx) =>
    ledger.createPending(trx, { companyId: company.id, debitAccountId: company.spend.id, creditAccountId: company.wallet.id, amount, description: 'hold' }),
  );
  if (!transfer.reserved) throw new Error(`the test hold of ${amount} was refused`);
  return transfer.transfer.id;
}

/** Writes an entry straight into the tables, past every check the service makes. */
async function insertEntryAroundLedger(
  companyId: string,
  postings: readonly { account: AccountRow; amount: bigint; currency?: string }[],
): Promise<string> {
  const entryId = newId('entry');
  await sql`insert into journal_entries (company_id, id, kind, description, effective_at)
            values (${companyId}, ${entryId}, 'manual', 'written around the ledger', now())`.execute(database.db);
  for (const [index, posting] of postings.entries()) {
    await sql`insert into postings (company_id, entry_id, line, account_id, amount, currency)
              values (${companyId}, ${entryId}, ${index + 1}, ${posting.account.id}, ${posting.amount},
                      ${posting.currency ?? posting.account.currency})`.execute(database.db);
  }
  return entryId;
}

/** Moves an account's stored posted balances as an entry written around the ledger would. */
async function addPostedAroundLedger(account: AccountRow, debits: bigint, credits: bigint): Promise<void> {
  await sql`update ledger_accounts set debits_posted = debits_posted + ${debits}, credits_posted = credits_posted + ${credits}
            where company_id = ${account.company_id} and id = ${account.id}`.execute(database.db);
}

function subjectOf(account: AccountRow): string {
  return `${account.code} (${account.id})`;
}

function found(report: VerifyReport) {
  return report.violations.map(({ invariant, companyId, subject }) => ({ invariant, companyId, subject }));
}

describe('verifyLedger', () => {
  it('reports ok on a healthy ledger with entries and holds in every state', async () => {
    const company = await openCompany();
    await book(company, company.wallet, company.funding, 10_000n);
    await book(company, company.spend, company.wallet, 1_000n);
    const [posted, voided, expired] = [await hold(company, 2_000n), await hold(company, 500n), await hold(company, 300n)];
    await hold(company, 700n);
    await database.db.transaction().execute(async (trx) => {
      await ledger.postPending(trx, { now: new Date(), companyId: company.id, id: posted, amount: 1_500n });
      await ledger.voidPending(trx, { now: new Date(), companyId: company.id, id: voided });
      await ledger.expirePending(trx, { now: new Date(), companyId: company.id, id: expired });
    });

    const report = await verifyLedger(database.db, company.id);
    expect(report.violations).toEqual([]);
    expect(report).toMatchObject({ ok: true, accounts: 3, entries: 3 });
  });

  it('names an entry without postings', async () => {
    const company = await openCompany();
    const entryId = await insertEntryAroundLedger(company.id, []);

    const report = await verifyLedger(database.db, company.id);
    expect(report.ok).toBe(false);
    expect(found(report)).toEqual([{ invariant: 'entry_has_too_few_postings', companyId: company.id, subject: entryId }]);
    expect(report.violations[0]!.detail).toBe('has 0 postings');
  });

  it('names an entry whose debits and credits differ', async () => {
    const company = await openCompany();
    const entryId = await insertEntryAroundLedger(company.id, [
      { account: company.spend, amount: 100n },
      { account: company.funding, amount: -90n },
    ]);
    await addPostedAroundLedger(company.spend, 100n, 0n);
    await addPostedAroundLedger(company.funding, 0n, 90n);

    const report = await verifyLedger(database.db, company.id);
    expect(found(report)).toEqual([{ invariant: 'entry_unbalanced', companyId: company.id, subject: entryId }]);
    expect(report.violations[0]!.detail).toBe('EUR postings sum to 10');
  });

  it('names an entry balanced in total but not in each currency', async () => {
    const company = await openCompany();
    const dollars = await openAccount(company, 'usd-float', 'asset', 'USD');
    const entryId = await insertEntryAroundLedger(company.id, [
      { account: company.spend, amount: 100n },
      { account: dollars, amount: -100n },
    ]);
    await addPostedAroundLedger(company.spend, 100n, 0n);
    await addPostedAroundLedger(dollars, 0n, 100n);

    const report = await verifyLedger(database.db, company.id);
    expect(found(report)).toEqual([
      { invariant: 'entry_unbalanced', companyId: company.id, subject: entryId },
      { invariant: 'entry_unbalanced', companyId: company.id, subject: entryId },
    ]);
    expect(report.violations.map((violation) => violation.detail).sort()).toEqual(['EUR postings sum to 100', 'USD postings sum to -100']);
  });

  it('names each posting in a currency other than its account', async () => {
    const company = await openCompany();
    const entryId = await insertEntryAroundLedger(company.id, [
      { account: company.spend, amount: 100n, currency: 'USD' },
      { account: company.funding, amount: -100n, currency: 'USD' },
    ]);
    await addPostedAroundLedger(company.spend, 100n, 0n);
    await addPostedAroundLedger(company.funding, 0n, 100n);

    const report = await verifyLedger(database.db, company.id);
    expect(found(report)).toEqual([
      { invariant: 'posting_currency_differs_from_account', companyId: company.id, subject: `${entryId} line 1` },
      { invariant: 'posting_currency_differs_from_account', companyId: company.id, subject: `${entryId} line 2` },
    ]);
  });

  it('names an account whose stored posted balance disagrees with its postings', async () => {
    const company = await openCompany();
    await book(company, company.wallet, company.funding, 10_000n);
    await addPostedAroundLedger(company.funding, 0n, 1n);

    const report = await verifyLedger(database.db, company.id);
    expect(found(report)).toEqual([{ invariant: 'posted_balance_mismatch', companyId: company.id, subject: subjectOf(company.funding) }]);
    expect(report.violations[0]!.detail).toBe('stored debits/credits 0/10001, postings give 0/10000');
  });

  it('names both accounts of a hold marked voided without releasing it', async () => {
    const company = await openCompany();
    await book(company, company.wallet, company.funding, 1_000n);
    const transferId = await hold(company, 400n);
    await sql`update pending_transfers set state = 'voided', resolved_at = now()
              where company_id = ${company.id} and id = ${transferId}`.execute(database.db);

    const report = await verifyLedger(database.db, company.id);
    expect(found(report)).toEqual(
      [company.spend, company.wallet]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((account) => ({ invariant: 'pending_balance_mismatch', companyId: company.id, subject: subjectOf(account) })),
    );
  });

  it.each([
    { name: 'an asset whose credits exceed its debits', type: 'asset' as const, debited: false },
    { name: 'a liability whose debits exceed its credits', type: 'liability' as const, debited: true },
  ])('names a no-overdraft account that is overdrawn: $name', async ({ type, debited }) => {
    const company = await openCompany();
    const account = await openAccount(company, 'float', type);
    // Booked while the account could still go below zero; the flag is set afterwards.
    if (debited) await book(company, account, company.funding, 500n);
    else await book(company, company.spend, account, 500n);
    await sql`update ledger_accounts set no_overdraft = true where company_id = ${company.id} and id = ${account.id}`.execute(database.db);

    const report = await verifyLedger(database.db, company.id);
    expect(found(report)).toEqual([{ invariant: 'account_overdrawn', companyId: company.id, subject: subjectOf(account) }]);
    expect(report.violations[0]!.detail).toBe('available balance is -500 minor units');
  });

  it('names a wallet whose holds exceed its funds', async () => {
    const company = await openCompany();
    await book(company, company.wallet, company.funding, 1_000n);
    const transferId = await hold(company, 1_000n);
    // A hold reserved twice over, on the transfer and on both accounts alike.
    await sql`update pending_transfers set amount = 1200 where company_id = ${company.id} and id = ${transferId}`.execute(database.db);
    await sql`update ledger_accounts set credits_pending = 1200 where company_id = ${company.id} and id = ${company.wallet.id}`.execute(database.db);
    await sql`update ledger_accounts set debits_pending = 1200 where company_id = ${company.id} and id = ${company.spend.id}`.execute(database.db);

    const report = await verifyLedger(database.db, company.id);
    expect(found(report)).toEqual([{ invariant: 'account_overdrawn', companyId: company.id, subject: subjectOf(company.wallet) }]);
    expect(report.violations[0]!.detail).toBe('available balance is -200 minor units');
  });

  it('names a transfer marked posted with no entry booking it', async () => {
    const company = await openCompany();
    await book(company, company.wallet, company.funding, 1_000n);
    const transferId = await hold(company, 400n);
    // Resolved and released as a post would, but the entry that books it was never written.
    await sql`update pending_transfers set state = 'posted', posted_amount = amount, resolved_at = now()
              where company_id = ${company.id} and id = ${transferId}`.execute(database.db);
    await sql`update ledger_accounts set debits_pending = debits_pending - 400 where company_id = ${company.id} and id = ${company.spend.id}`.execute(database.db);
    await sql`update ledger_accounts set credits_pending = credits_pending - 400 where company_id = ${company.id} and id = ${company.wallet.id}`.execute(database.db);

    const report = await verifyLedger(database.db, company.id);
    expect(found(report)).toEqual([{ invariant: 'posted_transfer_without_entry', companyId: company.id, subject: transferId }]);
  });

  it("checks one company without seeing another's faults, and all companies without a filter", async () => {
    const [broken, healthy] = [await openCompany(), await openCompany()];
    await book(broken, broken.wallet, broken.funding, 1_000n);
    await book(healthy, healthy.wallet, healthy.funding, 1_000n);
    await addPostedAroundLedger(broken.wallet, 1n, 0n);

    expect((await verifyLedger(database.db, healthy.id)).ok).toBe(true);
    const everything = await verifyLedger(database.db);
    expect(everything.ok).toBe(false);
    expect(found(everything)).toContainEqual({ invariant: 'posted_balance_mismatch', companyId: broken.id, subject: subjectOf(broken.wallet) });
    expect(found(everything).filter((violation) => violation.companyId === healthy.id)).toEqual([]);
  });

  it(`reports at most ${violationsPerCheckMax} violations of one invariant`, async () => {
    const company = await openCompany();
    const entries = Array.from({ length: violationsPerCheckMax + 5 }, () => ({
      company_id: company.id,
      id: newId('entry'),
      kind: 'manual',
      description: 'written around the ledger',
      effective_at: new Date(),
    }));
    await database.db.insertInto('journal_entries').values(entries).execute();

    const report = await verifyLedger(database.db, company.id);
    expect(report.entries).toBe(violationsPerCheckMax + 5);
    expect(report.violations).toHaveLength(violationsPerCheckMax);
    expect(new Set(report.violations.map((violation) => violation.invariant))).toEqual(new Set(['entry_has_too_few_postings']));
  });
});
