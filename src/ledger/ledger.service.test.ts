import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { newId } from '../shared/ids.js';
import * as ledger from './ledger.service.js';
import { verifyLedger } from './verify.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function company(currency = 'EUR') {
  const id = newId('company');
  await database.db.insertInto('companies').values({ id, name: 'Test Co', currency }).execute();
  return database.db.transaction().execute(async (trx) => {
    const wallet = await ledger.openAccount(trx, { companyId: id, code: 'wallet', name: 'Wallet', type: 'asset', currency, noOverdraft: true });
    const funding = await ledger.openAccount(trx, { companyId: id, code: 'funding', name: 'Funding', type: 'equity', currency });
    const spend = await ledger.openAccount(trx, { companyId: id, code: 'spend', name: 'Spend', type: 'expense', currency });
    return { id, wallet, funding, spend };
  });
}

describe('ledger', () => {
  it('books a balanced entry and moves both balances', async () => {
    const c = await company();
    await database.db.transaction().execute((trx) =>
      ledger.postEntry(trx, { effectiveAt: new Date(),
        companyId: c.id,
        kind: 'top_up',
        description: 'top-up',
        postings: [
          { accountId: c.wallet.id, amount: 10_000n },
          { accountId: c.funding.id, amount: -10_000n },
        ],
      }),
    );
    const wallet = await database.db.selectFrom('ledger_accounts').selectAll().where('id', '=', c.wallet.id).executeTakeFirstOrThrow();
    expect(wallet.debits_posted).toBe(10_000n);
    expect((await verifyLedger(database.db, c.id)).ok).toBe(true);
  });

  it('refuses an unbalanced entry and writes nothing', async () => {
    const c = await company();
    await expect(
      database.db.transaction().execute((trx) =>
        ledger.postEntry(trx, { effectiveAt: new Date(),
          companyId: c.id,
          kind: 'bad',
          description: 'bad',
          postings: [
            { accountId: c.wallet.id, amount: 100n },
            { accountId: c.funding.id, amount: -99n },
          ],
        }),
      ),
    ).rejects.toMatchObject({ code: 'unbalanced_entry' });
    const entries = await database.db.selectFrom('journal_entries').select('id').where('company_id', '=', c.id).execute();
    expect(entries).toHaveLength(0);
  });

  it('holds, partly posts and releases the rest; a hold resolves once', async () => {
    const c = await company();
    await database.db.transaction().execute((trx) =>
      ledger.postEntry(trx, { effectiveAt: new Date(), companyId: c.id, kind: 'top_up', description: 't', postings: [
        { accountId: c.wallet.id, amount: 5_000n }, { accountId: c.funding.id, amount: -5_000n }] }),
    );
    const held = await database.db.transaction().execute((trx) =>
      ledger.createPending(trx, { companyId: c.id, debitAccountId: c.spend.id, creditAccountId: c.wallet.id, amount: 4_000n, description: 'hold' }),
    );
    if (!held.reserved) throw new Error('the first hold was refused');
    const hold = held.transfer;
    const refused = await database.db.transaction().execute((trx) =>
      ledger.createPending(trx, { companyId: c.id, debitAccountId: c.spend.id, creditAccountId: c.wallet.id, amount: 1_001n, description: 'too much' }),
    );
    expect(refused).toMatchObject({ reserved: false, reason: 'insufficient_funds' });
    await database.db.transaction().execute((trx) => ledger.postPending(trx, { now: new Date(), companyId: c.id, id: hold.id, amount: 3_000n }));
    await expect(
      database.db.transaction().execute((trx) => ledger.voidPending(trx, { now: new Date(), companyId: c.id, id: hold.id })),
    ).rejects.toMatchObject({ code: 'transfer_already_resolved' });
    const wallet = await database.db.selectFrom('ledger_accounts').selectAll().where('id', '=', c.wallet.id).executeTakeFirstOrThrow();
    expect(wallet.credits_posted).toBe(3_000n);
    expect(wallet.credits_pending).toBe(0n);
    expect((await verifyLedger(database.db, c.id)).ok).toBe(true);
  });

  it('settles holds and posts entries beside them in one go, and refuses the whole when an entry is unbalanced, overdraws or names another company\'s account', async () => {
    const c = await company();
    const other = await company();
    await database.db.transaction().execute((trx) =>
      ledger.postEntry(trx, { effectiveAt: new Date(), companyId: c.id, kind: 'top_up', description: 't', postings: [
        { accountId: c.wallet.id, amount: 5_000n }, { accountId: c.funding.id, amount: -5_000n }] }),
    );
    const held = await database.db.transaction().execute((trx) =>
      ledger.createPending(trx, { companyId: c.id, debitAccountId: c.spend.id, creditAccountId: c.wallet.id, amount: 4_000n, description: 'hold' }),
    );
    if (!held.reserved) throw new Error('the hold was refused');
    const settle = [{ companyId: c.id, id: held.transfer.id, post: { amount: 3_000n, description: 'booked' } }];
    const entry = (amount: bigint, accountId = c.spend.id, allowOverdraft = false): ledger.EntryInput => ({
      companyId: c.id, effectiveAt: new Date(), kind: 'card_refund', description: 'back', allowOverdraft,
      postings: [{ accountId, amount: -amount }, { accountId: c.wallet.id, amount }],
    });
    const attempt = (entries: ledger.EntryInput[]) => database.db.transaction().execute((trx) => ledger.settlePendingMany(trx, settle, new Date(), entries));
    await expect(attempt([{ ...entry(100n), postings: [{ accountId: c.spend.id, amount: -100n }, { accountId: c.wallet.id, amount: 99n }] }])).rejects.toMatchObject({ code: 'unbalanced_entry' });
    await expect(attempt([entry(100n, other.spend.id)])).rejects.toMatchObject({ code: 'not_found' });
    // Taking 2,500 out of the wallet leaves 5,000 - 3,000 - 2,500 below zero: refused, unless allowed.
    await expect(attempt([entry(-2_500n)])).rejects.toMatchObject({ code: 'insufficient_funds' });
    const untouched = await database.db.selectFrom('ledger_accounts').select(['code', 'debits_posted', 'credits_posted', 'credits_pending']).where('company_id', '=', c.id).orderBy('code').execute();
    expect(untouched).toEqual([
      { code: 'funding', debits_posted: 0n, credits_posted: 5_000n, credits_pending: 0n },
      { code: 'spend', debits_posted: 0n, credits_posted: 0n, credits_pending: 0n },
      { code: 'wallet', debits_posted: 5_000n, credits_posted: 0n, credits_pending: 4_000n },
    ]);
    const { wallets } = await attempt([entry(700n), entry(200n)]);
    // 5,000 in, 3,000 booked from the hold (the other 1,000 released), 900 back.
    expect(wallets.get(c.id)).toMatchObject({ balance: 2_900n, available: 2_900n, reserved: 0n });
    const entries = await database.db.selectFrom('journal_entries').select(['kind']).where('company_id', '=', c.id).orderBy('kind').execute();
    expect(entries.map((row) => row.kind)).toEqual(['card_refund', 'card_refund', 'pending_posted', 'top_up']);
    expect((await verifyLedger(database.db, c.id)).violations).toEqual([]);
    // Each entry is checked after those before it, as one postEntry after another: money
    // brought back to a wallet a forced entry took below zero is not an overdraft.
    const forced = { ...entry(-300n), companyId: other.id, allowOverdraft: true, postings: [{ accountId: other.spend.id, amount: 300n }, { accountId: other.wallet.id, amount: -300n }] };
    const back = { ...entry(100n), companyId: other.id, postings: [{ accountId: other.spend.id, amount: -100n }, { accountId: other.wallet.id, amount: 100n }] };
    const { wallets: after } = await database.db.transaction().execute((trx) => ledger.settlePendingMany(trx, [], new Date(), [forced, back]));
    expect(after.get(other.id)).toMatchObject({ balance: -200n });
    await expect(database.db.transaction().execute((trx) => ledger.settlePendingMany(trx, [], new Date(), [{ ...back, allowOverdraft: false, postings: [...back.postings].map((p) => ({ ...p, amount: -p.amount })) }]))).rejects.toMatchObject({ code: 'insufficient_funds' });
  });

  it('refuses a hold beyond the funds with a result, changing nothing, and the transaction goes on', async () => {
    // The expense account is opened first, so its id sorts before the wallet's: the side that
    // is not guarded comes first in lock order, and must still be left as it was.
    const id = newId('company');
    await database.db.insertInto('companies').values({ id, name: 'Order Co', currency: 'EUR' }).execute();
    // Ids begin with their millisecond and end at random: a later millisecond sorts after.
    const laterMillisecond = () => new Promise((resolve) => setTimeout(resolve, 2));
    const accounts = await database.db.transaction().execute(async (trx) => {
      const spend = await ledger.openAccount(trx, { companyId: id, code: 'spend', name: 'Spend', type: 'expense', currency: 'EUR' });
      await laterMillisecond();
      const wallet = await ledger.openAccount(trx, { companyId: id, code: 'wallet', name: 'Wallet', type: 'asset', currency: 'EUR', noOverdraft: true });
      const funding = await ledger.openAccount(trx, { companyId: id, code: 'funding', name: 'Funding', type: 'equity', currency: 'EUR' });
      return { spend, wallet, funding };
    });
    expect(accounts.spend.id < accounts.wallet.id).toBe(true);
    const outcome = await database.db.transaction().execute(async (trx) => {
      await ledger.postEntry(trx, { effectiveAt: new Date(), companyId: id, kind: 'top_up', description: 't', postings: [
        { accountId: accounts.wallet.id, amount: 500n }, { accountId: accounts.funding.id, amount: -500n }] });
      const refused = await ledger.createPending(trx, { companyId: id, debitAccountId: accounts.spend.id, creditAccountId: accounts.wallet.id, amount: 501n, description: 'too much' });
      // What a decline records after the refusal commits with it.
      const fits = await ledger.createPending(trx, { companyId: id, debitAccountId: accounts.spend.id, creditAccountId: accounts.wallet.id, amount: 200n, description: 'fits' });
      return { refused, fits };
    });
    expect(outcome.refused).toEqual({ reserved: false, reason: 'insufficient_funds', detail: 'account wallet has too little available' });
    expect(outcome.fits.reserved).toBe(true);
    const rows = await database.db.selectFrom('ledger_accounts').select(['code', 'debits_pending', 'credits_pending']).where('company_id', '=', id).orderBy('code').execute();
    expect(rows).toEqual([
      { code: 'funding', debits_pending: 0n, credits_pending: 0n },
      { code: 'spend', debits_pending: 200n, credits_pending: 0n },
      { code: 'wallet', debits_pending: 0n, credits_pending: 200n },
    ]);
    expect((await verifyLedger(database.db, id)).violations).toEqual([]);
  });
});
