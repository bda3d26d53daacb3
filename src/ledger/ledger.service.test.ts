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
      ledger.postEntry(trx, {
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
        ledger.postEntry(trx, {
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
      ledger.postEntry(trx, { companyId: c.id, kind: 'top_up', description: 't', postings: [
        { accountId: c.wallet.id, amount: 5_000n }, { accountId: c.funding.id, amount: -5_000n }] }),
    );
    const hold = await database.db.transaction().execute((trx) =>
      ledger.createPending(trx, { companyId: c.id, debitAccountId: c.spend.id, creditAccountId: c.wallet.id, amount: 4_000n, description: 'hold' }),
    );
    await expect(
      database.db.transaction().execute((trx) =>
        ledger.createPending(trx, { companyId: c.id, debitAccountId: c.spend.id, creditAccountId: c.wallet.id, amount: 1_001n, description: 'too much' }),
      ),
    ).rejects.toMatchObject({ code: 'insufficient_funds' });
    await database.db.transaction().execute((trx) => ledger.postPending(trx, { companyId: c.id, id: hold.id, amount: 3_000n }));
    await expect(
      database.db.transaction().execute((trx) => ledger.voidPending(trx, { companyId: c.id, id: hold.id })),
    ).rejects.toMatchObject({ code: 'transfer_already_resolved' });
    const wallet = await database.db.selectFrom('ledger_accounts').selectAll().where('id', '=', c.wallet.id).executeTakeFirstOrThrow();
    expect(wallet.credits_posted).toBe(3_000n);
    expect(wallet.credits_pending).toBe(0n);
    expect((await verifyLedger(database.db, c.id)).ok).toBe(true);
  });
});
