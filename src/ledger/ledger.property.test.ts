// Model-based property tests of the ledger: random sequences of top-ups, spends and card
// holds run against the real database, each command in its own transaction, and after every
// command the stored ledger must equal a plain in-memory model of what it should hold.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/database.js';
import { DomainError, type ErrorCode } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import * as ledger from './ledger.service.js';
import { verifyLedger } from './verify.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

// Runs are kept few and short so the file stays fast on embedded PGlite; every run opens
// fresh companies in the one database, so runs never see each other's balances.
const sequenceRuns = 50;
const commandsPerRunMax = 40;
const raceRuns = 20;
const racingHoldsMax = 12;
const propertyTimeoutMs = 120_000;
const disconnectChecksMax = 250;
const disconnectCheckIntervalMs = 20;

type AccountKey = 'wallet' | 'funding' | 'travel' | 'software';
type Expense = 'travel' | 'software';
const accountKeys: readonly AccountKey[] = ['wallet', 'funding', 'travel', 'software'];

interface Balances {
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

interface CompanyModel {
  id: string;
  accountIds: Record<AccountKey, string>;
  balances: Record<AccountKey, Balances>;
  entries: number;
}

interface TransferModel {
  company: CompanyModel;
  id: string;
  debit: AccountKey;
  credit: AccountKey;
  amount: bigint;
  state: 'pending' | 'posted' | 'voided' | 'expired';
  postedAmount: bigint | null;
}

interface Model {
  /** The company the commands mostly touch, and a second one in another currency. */
  companies: readonly [CompanyModel, CompanyModel];
  transfers: TransferModel[];
}

type CompanyIndex = 0 | 1;
type PostAmount = { kind: 'full' } | { kind: 'partial'; seed: bigint } | { kind: 'beyond'; by: bigint };

type Command =
  | { kind: 'topUp'; company: CompanyIndex; amount: bigint }
  | { kind: 'spend'; company: CompanyIndex; expense: Expense; amount: bigint }
  | { kind: 'hold'; company: CompanyIndex; expense: Expense; amount: bigint }
  | { kind: 'incomingHold'; company: CompanyIndex; amount: bigint }
  | { kind: 'post'; transfer: number; amount: PostAmount }
  | { kind: 'void'; transfer: number }
  | { kind: 'expire'; transfer: number }
  | { kind: 'spendOtherCompanysAccount'; company: CompanyIndex; via: 'entry' | 'hold'; amount: bigint }
  | { kind: 'resolveInOtherCompany'; transfer: number };

/** What running a command against the database should do, as the model sees it. */
interface Plan {
  act(trx: Db): Promise<unknown>;
  /** Empty when the command must succeed; otherwise the codes it may be refused with. */
  refusals: readonly ErrorCode[];
  apply(result: unknown): void;
}

const noChange = () => {};

/** A hold the wallet's guard refuses comes back as a result, not an error: the model counts
 * it as a refusal, and the balances it then compares show that the refusal wrote nothing. */
async function holdOrRefusal(trx: Db, input: ledger.PendingInput) {
  const result = await ledger.createPending(trx, input);
  if (!result.reserved) throw new DomainError(result.reason, result.detail);
  return result.transfer;
}

function zeroBalances(): Balances {
  return { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n };
}

/** The wallet's funds not yet spent or held: what a new spend or hold may take. */
function walletAvailable(company: CompanyModel): bigint {
  const wallet = company.balances.wallet;
  return wallet.debitsPosted - wallet.creditsPosted - wallet.creditsPending;
}

async function openCompany(currency: string): Promise<CompanyModel> {
  const id = newId('company');
  await database.db.insertInto('companies').values({ id, name: 'Property Co', currency }).execute();
  return database.db.transaction().execute(async (trx) => {
    const open = (code: AccountKey, type: 'asset' | 'equity' | 'expense', noOverdraft = false) =>
      ledger.openAccount(trx, { companyId: id, code, name: code, type, currency, noOverdraft });
    const accounts = {
      wallet: await open('wallet', 'asset', true),
      funding: await open('funding', 'equity'),
      travel: await open('travel', 'expense'),
      software: await open('software', 'expense'),
    };
    return {
      id,
      accountIds: { wallet: accounts.wallet.id, funding: accounts.funding.id, travel: accounts.travel.id, software: accounts.software.id },
      balances: { wallet: zeroBalances(), funding: zeroBalances(), travel: zeroBalances(), software: zeroBalances() },
      entries: 0,
    };
  });
}

function planEntry(company: CompanyModel, debit: AccountKey, credit: AccountKey, amount: bigint, kind: string): Plan {
  const overdraws = credit === 'wallet' && walletAvailable(company) < amount;
  return {
    act: (trx) =>
      ledger.postEntry(trx, { effectiveAt: new Date(),
        companyId: company.id,
        kind,
        description: kind,
        postings: [
          { accountId: company.accountIds[debit], amount },
          { accountId: company.accountIds[credit], amount: -amount },
        ],
      }),
    refusals: overdraws ? ['insufficient_funds'] : [],
    apply() {
      company.balances[debit].debitsPosted += amount;
      company.balances[credit].creditsPosted += amount;
      company.entries++;
    },
  };
}

function planHold(model: Model, company: CompanyModel, debit: AccountKey, credit: AccountKey, amount: bigint): Plan {
  const overdraws = credit === 'wallet' && walletAvailable(company) < amount;
  return {
    act: (trx) =>
      holdOrRefusal(trx, {
        companyId: company.id,
        debitAccountId: company.accountIds[debit],
        creditAccountId: company.accountIds[credit],
        amount,
        description: 'hold',
      }),
    refusals: overdraws ? ['insufficient_funds'] : [],
    apply(result) {
      company.balances[debit].debitsPending += amount;
      company.balances[credit].creditsPending += amount;
      const { id } = result as Awaited<ReturnType<typeof holdOrRefusal>>;
      model.transfers.push({ company, id, debit, credit, amount, state: 'pending', postedAmount: null });
    },
  };
}

function release(transfer: TransferModel): void {
  transfer.company.balances[transfer.debit].debitsPending -= transfer.amount;
  transfer.company.balances[transfer.credit].creditsPending -= transfer.amount;
}

function pickTransfer(model: Model, ref: number): TransferModel | undefined {
  return model.transfers.length === 0 ? undefined : model.transfers[ref % model.transfers.length];
}

/** A transfer id no company has: resolving it must be refused as not found. */
function planUnknownTransfer(model: Model): Plan {
  const id = newId('pendingTransfer');
  return { act: (trx) => ledger.voidPending(trx, { now: new Date(), companyId: model.companies[0].id, id }), refusals: ['not_found'], apply: noChange };
}

function planPost(model: Model, ref: number, requested: PostAmount): Plan {
  const transfer = pickTransfer(model, ref);
  if (!transfer) return planUnknownTransfer(model);
  const amount =
    requested.kind === 'full' ? transfer.amount
    : requested.kind === 'partial' ? ((requested.seed - 1n) % transfer.amount) + 1n
    : transfer.amount + requested.by;
  let refusals: ErrorCode[] = [];
  if (requested.kind === 'beyond') {
    // Both refusals are right for an oversized post of a resolved transfer; neither may book.
    refusals = transfer.state === 'pending' ? ['transfer_amount_exceeds_pending'] : ['transfer_amount_exceeds_pending', 'transfer_already_resolved'];
  } else if (transfer.state !== 'pending') {
    refusals = ['transfer_already_resolved'];
  }
  return {
    act: (trx) =>
      ledger.postPending(trx, { now: new Date(),
        companyId: transfer.company.id,
        id: transfer.id,
        // A full post leaves the amount out, as clearing the whole hold does.
        amount: requested.kind === 'full' ? undefined : amount,
      }),
    refusals,
    apply() {
      release(transfer);
      transfer.company.balances[transfer.debit].debitsPosted += amount;
      transfer.company.balances[transfer.credit].creditsPosted += amount;
      transfer.company.entries++;
      transfer.state = 'posted';
      transfer.postedAmount = amount;
    },
  };
}

function planRelease(model: Model, ref: number, outcome: 'voided' | 'expired'): Plan {
  const transfer = pickTransfer(model, ref);
  if (!transfer) return planUnknownTransfer(model);
  const params = { companyId: transfer.company.id, id: transfer.id, now: new Date() };
  return {
    act: (trx) => (outcome === 'voided' ? ledger.voidPending(trx, params) : ledger.expirePending(trx, params)),
    refusals: transfer.state === 'pending' ? [] : ['transfer_already_resolved'],
    apply() {
      release(transfer);
      transfer.state = outcome;
    },
  };
}

/** A company books against an account of the other company: the ledger must not find it. */
function planSpendOtherCompanysAccount(model: Model, index: CompanyIndex, via: 'entry' | 'hold', amount: bigint): Plan {
  const company = model.companies[index];
  const foreignExpense = model.companies[index === 0 ? 1 : 0].accountIds.travel;
  const act =
    via === 'entry'
      ? (trx: Db) =>
          ledger.postEntry(trx, { effectiveAt: new Date(),
            companyId: company.id,
            kind: 'spend',
            description: 'spend',
            postings: [
              { accountId: foreignExpense, amount },
              { accountId: company.accountIds.wallet, amount: -amount },
            ],
          })
      : (trx: Db) =>
          holdOrRefusal(trx, {
            companyId: company.id,
            debitAccountId: foreignExpense,
            creditAccountId: company.accountIds.wallet,
            amount,
            description: 'hold',
          });
  return { act, refusals: ['not_found'], apply: noChange };
}

function planResolveInOtherCompany(model: Model, ref: number): Plan {
  const transfer = pickTransfer(model, ref);
  if (!transfer) return planUnknownTransfer(model);
  const other = model.companies.find((company) => company !== transfer.company)!;
  return { act: (trx) => ledger.voidPending(trx, { now: new Date(), companyId: other.id, id: transfer.id }), refusals: ['not_found'], apply: noChange };
}

function plan(model: Model, command: Command): Plan {
  switch (command.kind) {
    case 'topUp':
      return planEntry(model.companies[command.company], 'wallet', 'funding', command.amount, 'top_up');
    case 'spend':
      return planEntry(model.companies[command.company], command.expense, 'wallet', command.amount, 'spend');
    case 'hold':
      return planHold(model, model.companies[command.company], command.expense, 'wallet', command.amount);
    case 'incomingHold':
      // Funds on their way into the wallet, such as a bank transfer announced but not booked.
      return planHold(model, model.companies[command.company], 'wallet', 'funding', command.amount);
    case 'post':
      return planPost(model, command.transfer, command.amount);
    case 'void':
      return planRelease(model, command.transfer, 'voided');
    case 'expire':
      return planRelease(model, command.transfer, 'expired');
    case 'spendOtherCompanysAccount':
      return planSpendOtherCompanysAccount(model, command.company, command.via, command.amount);
    case 'resolveInOtherCompany':
      return planResolveInOtherCompany(model, command.transfer);
  }
}

async function execute(command: Command, planned: Plan): Promise<void> {
  const outcome = await database.db.transaction().execute((trx) => planned.act(trx)).then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (planned.refusals.length === 0) {
    if (!outcome.ok) throw outcome.error;
    planned.apply(outcome.result);
    return;
  }
  expect(outcome.ok, `${JSON.stringify(command, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))} should be refused`).toBe(false);
  if (outcome.ok) return;
  expect(outcome.error).toBeInstanceOf(DomainError);
  expect(planned.refusals).toContain((outcome.error as DomainError).code);
}

/** The stored ledger of both companies equals the model, and verify finds nothing wrong. */
async function expectLedgerMatches(model: Model): Promise<void> {
  const companyIds = model.companies.map((company) => company.id);
  const accounts = await database.db.selectFrom('ledger_accounts').selectAll().where('company_id', 'in', companyIds).execute();
  for (const company of model.companies) {
    for (const key of accountKeys) {
      const row = accounts.find((account) => account.id === company.accountIds[key])!;
      expect({ key, debitsPosted: row.debits_posted, creditsPosted: row.credits_posted, debitsPending: row.debits_pending, creditsPending: row.credits_pending })
        .toEqual({ key, ...company.balances[key] });
    }
    const wallet = accounts.find((account) => account.id === company.accountIds.wallet)!;
    expect(wallet.debits_posted - wallet.credits_posted - wallet.credits_pending).toBeGreaterThanOrEqual(0n);
  }

  const entries = await database.db
    .selectFrom('journal_entries')
    .select(['company_id', (eb) => eb.fn.countAll<bigint>().as('count')])
    .where('company_id', 'in', companyIds)
    .groupBy('company_id')
    .execute();
  for (const company of model.companies) {
    expect(entries.find((row) => row.company_id === company.id)?.count ?? 0n).toBe(BigInt(company.entries));
  }

  const transfers = await database.db.selectFrom('pending_transfers').selectAll().where('company_id', 'in', companyIds).execute();
  expect(transfers).toHaveLength(model.transfers.length);
  for (const expected of model.transfers) {
    const row = transfers.find((transfer) => transfer.id === expected.id)!;
    expect({ id: row.id, company: row.company_id, state: row.state, postedAmount: row.posted_amount, amount: row.amount })
      .toEqual({ id: expected.id, company: expected.company.id, state: expected.state, postedAmount: expected.postedAmount, amount: expected.amount });
    expect(row.entry_id !== null).toBe(expected.state === 'posted');
  }

  const report = await verifyLedger(database.db);
  expect(report.violations).toEqual([]);
  expect(report.ok).toBe(true);
}

const companyIndex = fc.constantFrom<CompanyIndex>(0, 0, 0, 1);
// Spends and holds are smaller than top-ups, so most succeed and some find the wallet short.
const topUpAmount = fc.bigInt({ min: 1n, max: 20_000n });
const amount = fc.bigInt({ min: 1n, max: 4_000n });
const expense = fc.constantFrom<Expense>('travel', 'software');
const transferRef = fc.nat({ max: 30 });
const postAmount: fc.Arbitrary<PostAmount> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'full' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('partial' as const), seed: fc.bigInt({ min: 1n, max: 10_000n }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('beyond' as const), by: fc.bigInt({ min: 1n, max: 1_000n }) }) },
);

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('topUp' as const), company: companyIndex, amount: topUpAmount }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('spend' as const), company: companyIndex, expense, amount }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('hold' as const), company: companyIndex, expense, amount }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('incomingHold' as const), company: companyIndex, amount: topUpAmount }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('post' as const), transfer: transferRef, amount: postAmount }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), transfer: transferRef }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire' as const), transfer: transferRef }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('spendOtherCompanysAccount' as const), company: companyIndex, via: fc.constantFrom('entry' as const, 'hold' as const), amount }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resolveInOtherCompany' as const), transfer: transferRef }) },
);

/**
 * Runs the race on connections of its own. On PGlite that is the one shared connection, so
 * the holds queue; on a server it is a pool of its own, so they really run side by side.
 * The pool is closed, and its connections seen gone from the server, before the test ends:
 * the test database is dropped by force afterwards, and a connection still saying goodbye
 * would be cut off with an error nobody handles.
 */
async function withRacingConnections(race: (db: Db) => Promise<void>): Promise<void> {
  if (!database.url) return race(database.db);
  const before = await connectedBackends();
  const racing = await openDatabase({ kind: 'postgres', url: database.url, poolSize: racingHoldsMax });
  try {
    await race(racing.db);
  } finally {
    await racing.close();
  }
  for (let check = 0; ; check++) {
    const left = (await connectedBackends()).filter((pid) => !before.includes(pid));
    if (left.length === 0) return;
    if (check >= disconnectChecksMax) throw new Error(`${left.length} racing connections did not end`);
    await new Promise((resolve) => setTimeout(resolve, disconnectCheckIntervalMs));
  }
}

async function connectedBackends(): Promise<number[]> {
  const connected = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(database.db);
  return connected.rows.map((row) => row.pid);
}

async function expectRacingHoldsWithinFunds(racingDb: Db, funds: bigint, holds: bigint[]): Promise<void> {
  const company = await openCompany('EUR');
  if (funds > 0n) {
    const topUp = planEntry(company, 'wallet', 'funding', funds, 'top_up');
    await database.db.transaction().execute((trx) => topUp.act(trx));
  }
  const results = await Promise.allSettled(
    holds.map((amount) =>
      racingDb.transaction().execute((trx) =>
        holdOrRefusal(trx, {
          companyId: company.id,
          debitAccountId: company.accountIds.travel,
          creditAccountId: company.accountIds.wallet,
          amount,
          description: 'racing hold',
        }),
      ),
    ),
  );
  const reserved = holds.filter((_, index) => results[index]!.status === 'fulfilled').reduce((sum, held) => sum + held, 0n);
  expect(reserved).toBeLessThanOrEqual(funds);

  // Reservations only grow during the race, so a refused hold was larger than what is left
  // now: no hold is refused while the wallet could still cover it.
  const left = funds - reserved;
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') return;
    expect(result.reason).toMatchObject({ code: 'insufficient_funds' });
    expect(holds[index]!).toBeGreaterThan(left);
  });

  const wallet = await database.db.selectFrom('ledger_accounts').selectAll().where('id', '=', company.accountIds.wallet).executeTakeFirstOrThrow();
  expect(wallet.credits_pending).toBe(reserved);
  expect(wallet.debits_posted - wallet.credits_posted - wallet.credits_pending).toBe(left);
  const report = await verifyLedger(database.db, company.id);
  expect(report.violations).toEqual([]);
}

describe('ledger properties', () => {
  it(
    'keeps balances equal to the model, the wallet never overdrawn and each transfer resolved once',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: commandsPerRunMax, size: 'max' }), async (commands) => {
          const model: Model = { companies: [await openCompany('EUR'), await openCompany('JPY')], transfers: [] };
          for (const next of commands) {
            await execute(next, plan(model, next));
            await expectLedgerMatches(model);
          }
        }),
        { numRuns: sequenceRuns },
      );
    },
    propertyTimeoutMs,
  );

  it(
    'never lets concurrent holds reserve more than the wallet holds',
    async () => {
      await withRacingConnections(async (racingDb) => {
        await fc.assert(
          fc.asyncProperty(
            fc.bigInt({ min: 0n, max: 1_000n }),
            fc.array(fc.bigInt({ min: 1n, max: 400n }), { minLength: 2, maxLength: racingHoldsMax }),
            (funds, holds) => expectRacingHoldsWithinFunds(racingDb, funds, holds),
          ),
          { numRuns: raceRuns },
        );
      });
    },
    propertyTimeoutMs,
  );
});
