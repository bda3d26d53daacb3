// Card purchases' expenses brought in step many at once (syncTransactions), on a real database
// with no server (so nothing syncs them behind the test's back): the batch makes the same
// expenses, flags, lines and history as one at a time, and a purchase with something to take
// in (a receipt declared lost, a clearing, a reversal) still goes the long way within it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizePurchase } from '../cards/authorization.service.js';
import { listTransactionsWithReceipts, markExpenseUnsynced } from '../cards/card-transactions.service.js';
import { applyNetworkEvent } from '../cards/network-events.service.js';
import type { Db } from '../db/database.js';
import { declareReceiptLost } from '../receipts/lost-receipts.service.js';
import { asUser, openCardWorld, type CardWorld } from '../test-support/cards.js';
import { recordTopUp } from '../wallet/wallet.service.js';
import { updateExpenseSettings } from './expense-settings.service.js';
import { syncChanged, syncTransaction, syncTransactions } from './expense-sync.js';
import * as repo from './expenses.repository.js';

const system = { actorType: 'system' as const, actorId: null };
let world: CardWorld;
let db: Db;
let emmaCard: string;
let felixCard: string;
let sequence = 0;

const bikeShop = { id: 'm-bike', name: 'Bike Parts ApS', mcc: '5940', country: 'DK' };
const cafe = { id: 'm-cafe', name: 'Café Nord', mcc: '5814', country: 'DK' };

async function purchase(cardId: string, amount: string, merchant = bikeShop): Promise<{ id: string; networkId: string }> {
  const networkId = `sync-${++sequence}`;
  const outcome = await authorizePurchase(db, { networkId, cardId, amount, currency: 'EUR', merchant, channel: 'in_person', occurredAt: new Date() }, new Date());
  expect(outcome.approved, `purchase ${networkId}`).toBe(true);
  return { id: outcome.transaction!.id, networkId };
}

/** What a test compares of an expense: everything but ids and times. */
async function expenseOf(transactionId: string) {
  const companyId = world.company.id;
  const [expense] = await db.selectFrom('expenses').selectAll().where('company_id', '=', companyId).where('card_transaction_id', '=', transactionId).execute();
  if (!expense) return null;
  const lines = await repo.listLines(db, companyId, [expense.id]);
  const events = await db.selectFrom('expense_events').select(['action', 'details']).where('company_id', '=', companyId).where('expense_id', '=', expense.id).orderBy('id').execute();
  const audits = await db.selectFrom('audit_events').select('action').where('company_id', '=', companyId).where('subject_id', '=', expense.id).execute();
  return {
    state: expense.state,
    amount: expense.amount,
    merchant: expense.merchant,
    spentOn: expense.spent_on,
    flags: [...expense.flags].sort(),
    lines: lines.map((line) => ({ amount: line.amount, category: line.category_id, vat: line.vat_amount })),
    events: events.map((event) => event.action),
    audits: audits.map((audit) => audit.action).sort(),
  };
}

async function synced(ids: readonly string[]): Promise<boolean[]> {
  const rows = await listTransactionsWithReceipts(db, world.company.id, ids);
  const byId = new Map(rows.map((row) => [row.id, row.expense_synced]));
  return ids.map((id) => byId.get(id) ?? false);
}

beforeAll(async () => {
  world = await openCardWorld();
  db = world.db;
  await recordTopUp(db, world.company.id, { amount: '50000.00', currency: 'EUR', bankReference: 'sync-funds', receivedOn: '2026-11-01' }, system, new Date());
  await updateExpenseSettings(db, world.company.id, { reviewThreshold: '500.00' });
  emmaCard = (await world.issueVirtual(world.employee)).id;
  felixCard = (await world.issueVirtual(world.colleague)).id;
});

afterAll(async () => {
  await world?.database.close();
});

describe('bringing many purchases\' expenses in step at once', () => {
  it('makes the expenses, flags, lines and history that one at a time settles into', async () => {
    // The same shapes twice: one set synced one by one, the other in one batch. One at a time,
    // the first of two twins is flagged once it is next brought in step (when it clears, say);
    // in a batch both are flagged at once.
    const shapes = async () => [
      await purchase(emmaCard, '40.00'),
      await purchase(emmaCard, '40.00'), // a twin of the one before: same person, amount, day and shop
      await purchase(emmaCard, '40.00', cafe), // same amount, another shop: no twin
      await purchase(felixCard, '612.50'), // above the review threshold
      await purchase(felixCard, '12.00', cafe),
    ];
    const alone = await shapes();
    for (const { id } of alone) await syncTransaction(db, world.company.id, id, new Date());
    expect((await expenseOf(alone[0]!.id))!.flags).toEqual(['missing_receipt']);
    for (const { id } of alone) {
      await markExpenseUnsynced(db, world.company.id, id);
      await syncTransaction(db, world.company.id, id, new Date());
    }
    const expectedAlone = await Promise.all(alone.map(({ id }) => expenseOf(id)));

    // The second set would twin with the first: the first's expenses are voided, as twins skip those.
    const aloneExpenses = (await db.selectFrom('expenses').select('id').where('company_id', '=', world.company.id).execute()).map((row) => row.id);
    await db.updateTable('expenses').set({ state: 'voided' }).where('company_id', '=', world.company.id).where('id', 'in', aloneExpenses).execute();

    const together = await shapes();
    expect(await synced(together.map(({ id }) => id))).toEqual([false, false, false, false, false]);
    await syncTransactions(db, world.company.id, together.map(({ id }) => id), new Date());
    expect(await synced(together.map(({ id }) => id))).toEqual([true, true, true, true, true]);
    const made = await Promise.all(together.map(({ id }) => expenseOf(id)));
    expect(made).toEqual(expectedAlone);

    expect(made[0]!.flags).toEqual(['missing_receipt', 'possible_duplicate']);
    expect(made[1]!.flags).toEqual(['missing_receipt', 'possible_duplicate']);
    expect(made[2]!.flags).toEqual(['missing_receipt']);
    expect(made[3]!.flags).toEqual(['missing_receipt', 'over_threshold']);
    expect(made.map((expense) => expense!.events)).toEqual(made.map(() => ['created_from_card']));
    expect(made.map((expense) => expense!.audits)).toEqual(made.map(() => ['expense.created_from_card']));
    expect(made.map((expense) => expense!.lines.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('takes in a lost receipt, a clearing and a reversal within the batch, and leaves what has no expense alone', async () => {
    const companyId = world.company.id;
    const lost = await purchase(emmaCard, '21.00', cafe);
    await declareReceiptLost(db, asUser(world.employee), lost.id, 'Fell out of my pocket', new Date());
    const cleared = await purchase(felixCard, '30.00');
    await applyNetworkEvent(db, { id: `clr-${cleared.networkId}`, type: 'clearing', cardId: felixCard, transactionNetworkId: cleared.networkId, amount: '33.00', currency: 'EUR', occurredAt: new Date() }, new Date());
    const reversed = await purchase(felixCard, '9.00', cafe);
    await applyNetworkEvent(db, { id: `rev-${reversed.networkId}`, type: 'reversal', cardId: felixCard, transactionNetworkId: reversed.networkId, occurredAt: new Date() }, new Date());
    const plain = await purchase(emmaCard, '7.00', cafe);
    // Felix paid 33.00 at the bike shop before: the purchase clearing at 33.00 becomes its twin.
    const earlier = await purchase(felixCard, '33.00');
    await syncTransaction(db, companyId, earlier.id, new Date());
    // An expense made before its receipt was declared lost loses its flag when next in step.
    const lostLater = await purchase(emmaCard, '8.00', cafe);
    await syncTransaction(db, companyId, lostLater.id, new Date());
    expect((await expenseOf(lostLater.id))!.flags).toEqual(['missing_receipt']);
    await declareReceiptLost(db, asUser(world.employee), lostLater.id, 'Left it at the till', new Date());

    const ids = [lost.id, cleared.id, reversed.id, plain.id, lostLater.id];
    await syncTransactions(db, companyId, ids, new Date());
    expect(await synced(ids)).toEqual([true, true, true, true, true]);
    expect((await expenseOf(lost.id))!.flags).toEqual([]);
    expect((await expenseOf(lostLater.id))!.flags).toEqual([]);
    expect(await expenseOf(cleared.id)).toMatchObject({ amount: 3300n, state: 'draft', flags: ['missing_receipt', 'possible_duplicate'] });
    // Reversed before its expense was made: none is made.
    expect(await expenseOf(reversed.id)).toBeNull();
    expect((await expenseOf(plain.id))!.flags).toEqual(['missing_receipt']);
  });

  it('goes one by one when the batch fails, so one bad purchase holds up no other', async () => {
    const companyId = world.company.id;
    // A fault in the database for one shop's expenses: the batch that includes one fails.
    await sql`create function refuse_broken_shop() returns trigger language plpgsql as $$
      begin
        if new.merchant = 'Broken Shop' then raise exception 'this shop''s expenses cannot be written'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger refuse_broken_shop before insert on expenses for each row execute function refuse_broken_shop()`.execute(db);
    try {
      const good = await purchase(emmaCard, '3.00', cafe);
      const broken = await purchase(emmaCard, '5.00', { id: 'm-broken', name: 'Broken Shop', mcc: '5999', country: 'DK' });
      const alsoGood = await purchase(felixCard, '4.00', cafe);
      const failures: string[] = [];
      const count = await syncChanged(db, [good.id, broken.id, alsoGood.id, 'ctx_not_there'].map((id) => ({ companyId, id })), new Date(), (_error, transaction) => failures.push(transaction.id));
      expect(failures).toEqual([broken.id]);
      expect(count).toBe(3);
      expect(await synced([good.id, broken.id, alsoGood.id])).toEqual([true, false, true]);
      expect(await expenseOf(good.id)).not.toBeNull();
      expect(await expenseOf(broken.id)).toBeNull();
    } finally {
      await sql`drop trigger refuse_broken_shop on expenses`.execute(db);
      await sql`drop function refuse_broken_shop()`.execute(db);
    }
  });
});
