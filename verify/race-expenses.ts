// The race part's second half: on the same three processes and database, a company of its own
// whose expenses wait for each step (submitted card and out-of-pocket expenses in review,
// approved out-of-pocket ones owed, approved ones not exported), and then, all at once over the
// three processes through the public HTTP API, several reviewers deciding the same expense
// (approve against reject), admins asking for payout batches and marking the same batch paid,
// and bookkeepers asking for exports of the same days, with and without the same
// Idempotency-Key. Afterwards, from the database: one decision per expense and a history that
// says so, each expense in at most one payout batch and paid at most once (every batch that
// was acknowledged paid, with one balanced entry, each person's payable what is still owed),
// each expense in at most one export and exported once (every acknowledged export written),
// and every loser told so with a 4xx problem+json, never a 5xx.
import { sql } from 'kysely';
import { systemActor } from '../src/auth/actor.js';
import { permissionsOfRoles } from '../src/auth/permissions.js';
import type { Principal } from '../src/auth/principal.js';
import { issueCard } from '../src/cards/card-issuing.service.js';
import { createCompany } from '../src/companies/companies.service.js';
import type { Db } from '../src/db/database.js';
import type { Role } from '../src/db/schema.js';
import { createCategory } from '../src/expenses/categories.service.js';
import { updateExpenseDetails } from '../src/expenses/expense-editing.service.js';
import { fileExpense } from '../src/expenses/expense-filing.service.js';
import { approveExpense, submitExpense } from '../src/expenses/expense-review.service.js';
import { updateExpenseSettings } from '../src/expenses/expense-settings.service.js';
import { syncCardExpenses } from '../src/expenses/expense-sync.js';
import { setPayeeAccount } from '../src/expenses/payee-accounts.service.js';
import { replaceReviewRules } from '../src/expenses/review-rules.service.js';
import { createTaxCode } from '../src/expenses/tax-codes.service.js';
import { addActivePerson } from '../src/people/people.service.js';
import { kioskPurchase } from '../src/test-support/kiosk-purchase.js';
import { testPasswordCost } from '../src/test-support/server.js';
import type { ServerProcess } from '../src/test-support/server-process.js';
import { recordTopUp } from '../src/wallet/wallet.service.js';
import { networkOf, type FleetDatabase } from './server-fleet.js';
import { ProcessSession, type ProcessAnswer } from './process-client.js';
import type { Violations } from './verify-run.js';

/** Expenses submitted for review (half card, half out of pocket), approved and owed, approved card ones. */
const reviewExpenses = { short: 12, long: 60 };
const owedExpenses = { short: 8, long: 40 };
const cardExpensesApproved = { short: 4, long: 20 };
/** Requests for a payout batch, and for an export, in each of the two waves. */
const batchRequestsPerWave = { short: 8, long: 24 };
/** Requests to mark each acknowledged payout batch paid, at once. */
const paidRequestsPerBatch = 4;
/** How long the export jobs of the three processes may take to write every file. */
const exportsWrittenWaitMs = 60_000;
const password = 'correct horse battery';
const employeeCount = 4;
const reviewerCount = 3;

interface Sent {
  kind: 'review' | 'payout' | 'paid' | 'export';
  /** The expense decided, or the payout batch marked paid. */
  subject: string | null;
  action: string;
  idempotencyKey: string | null;
  sender: string;
  answer: ProcessAnswer | null;
}

interface Seeded {
  companyId: string;
  employees: { id: string; email: string }[];
  reviewers: string[];
  admins: string[];
  bookkeepers: string[];
  inReview: string[];
}

type UserPrincipal = Principal & { kind: 'user'; userId: string };

const principalOf = (companyId: string, userId: string, roles: Role[]): UserPrincipal => ({ kind: 'user', companyId, userId, sessionId: 'verify-race', roles, permissions: permissionsOfRoles(roles) });

async function addPeople(db: Db, companyId: string, roles: Role[], prefix: string, count: number) {
  const people = [];
  for (let i = 0; i < count; i++) {
    const person = await addActivePerson(db, companyId, { email: `${prefix}${i}@race-books.test`, name: `${prefix} ${i}`, roles, password }, testPasswordCost);
    people.push({ id: person.id, email: person.email });
  }
  return people;
}

/** Card purchases of each employee (through a process, as the network sends them), their expenses categorised as drafts. */
async function cardDrafts(fleet: FleetDatabase, server: ServerProcess, companyId: string, owners: readonly UserPrincipal[], count: number, books: { categoryId: string; taxCodeId: string }, now: Date): Promise<{ id: string; owner: UserPrincipal }[]> {
  const db = fleet.database.db;
  const network = networkOf(fleet, server);
  const networkIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const owner = owners[i % owners.length]!;
    const card = await issueCard(db, fleet.encryptionKey, companyId, { userId: owner.userId, kind: 'virtual' }, systemActor, now);
    const purchase = kioskPurchase(card.card.id, 1_000 + 137 * i);
    const answer = await network.authorize(purchase);
    if (answer.body.approved !== true) throw new Error(`the seeding purchase ${purchase.id} was not approved: ${JSON.stringify(answer.body)}`);
    networkIds.push(purchase.id);
  }
  await syncCardExpenses(db, new Date());
  const drafts = await sql<{ id: string; user_id: string }>`select e.id, e.user_id from expenses e join card_transactions t on t.company_id = e.company_id and t.id = e.card_transaction_id
    where e.company_id = ${companyId} and t.network_id in (${sql.join(networkIds)}) order by e.id`.execute(db);
  if (drafts.rows.length !== count) throw new Error(`${count} card purchases made ${drafts.rows.length} expenses`);
  const categorised = drafts.rows.map((row) => ({ id: row.id, owner: owners.find((owner) => owner.userId === row.user_id)! }));
  for (const draft of categorised) await updateExpenseDetails(db, draft.owner, draft.id, books, now);
  return categorised;
}

/** The company, its people and books, and expenses waiting for each step. */
async function seed(fleet: FleetDatabase, server: ServerProcess, short: boolean): Promise<Seeded> {
  const db = fleet.database.db;
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const company = await createCompany(db, { name: 'Race Books Co', currency: 'EUR', timeZone: 'UTC' });
  const companyId = company.id;
  await recordTopUp(db, companyId, { amount: '100000.00', currency: 'EUR', bankReference: 'verify-race-books', receivedOn: today }, systemActor, now);
  const employees = await addPeople(db, companyId, ['employee'], 'employee', employeeCount);
  const reviewers = await addPeople(db, companyId, ['reviewer'], 'reviewer', reviewerCount);
  const admins = await addPeople(db, companyId, ['admin'], 'admin', 2);
  const bookkeepers = await addPeople(db, companyId, ['bookkeeper'], 'bookkeeper', 2);
  const books = { categoryId: (await createCategory(db, companyId, { accountCode: '6110', name: 'Travel' })).id, taxCodeId: (await createTaxCode(db, companyId, { code: 'VAT25', name: 'VAT 25 %', rate: '25', vatAccountCode: '2640' })).id };
  await updateExpenseSettings(db, companyId, { debtor: { name: 'Race Books ApS', iban: 'DK5000400440116243', bic: 'NDEADKKK' } });
  // The last employee has no bank account on file: what they are owed stays owed.
  for (const [i, employee] of employees.slice(0, -1).entries()) await setPayeeAccount(db, companyId, employee.id, { holderName: `Employee ${i}`, iban: 'DE89370400440532013000' });
  // Every submitted expense waits for a reviewer: the contested decisions need one.
  await replaceReviewRules(db, companyId, { policyApproves: false, steps: [], budgetOwners: [] }, systemActor);
  const owners = employees.map((employee) => principalOf(companyId, employee.id, ['employee']));
  const approver = principalOf(companyId, admins[0]!.id, ['admin']);
  const outOfPocket = async (i: number) => {
    const owner = owners[i % owners.length]!;
    return { id: (await fileExpense(db, owner, { kind: 'out_of_pocket', spentOn: today, merchant: `Taxi ${i}`, amount: `${20 + i}.50`, ...books }, now)).id, owner };
  };

  const reviewCount = short ? reviewExpenses.short : reviewExpenses.long;
  const approvedCards = short ? cardExpensesApproved.short : cardExpensesApproved.long;
  const cards = await cardDrafts(fleet, server, companyId, owners, reviewCount / 2 + approvedCards, books, now);
  const inReview = cards.slice(0, reviewCount / 2);
  for (let i = 0; i < reviewCount / 2; i++) inReview.push(await outOfPocket(1000 + i));
  const approved = cards.slice(reviewCount / 2);
  for (let i = 0; i < (short ? owedExpenses.short : owedExpenses.long); i++) approved.push(await outOfPocket(i));
  for (const expense of [...inReview, ...approved]) await submitExpense(db, expense.owner, expense.id, now);
  for (const expense of approved) await approveExpense(db, approver, expense.id, null, now);
  const emails = (people: { email: string }[]) => people.map((person) => person.email);
  return { companyId, employees, reviewers: emails(reviewers), admins: emails(admins), bookkeepers: emails(bookkeepers), inReview: inReview.map((expense) => expense.id) };
}

/** What the senders share: the sessions (each signed in on one process, used on all) and the log of requests. */
class Senders {
  readonly sent: Sent[] = [];
  /** Answers of 503 database_busy sent again. */
  busyRetried = 0;
  private turn = 0;
  constructor(
    private readonly servers: readonly ServerProcess[],
    private readonly sessions: ReadonlyMap<string, ProcessSession>,
    private readonly violations: Violations,
  ) {}

  /** One request through the next process in turn; a 5xx, or a refusal that is not problem+json with a code, is a violation. */
  async send(email: string, request: Omit<Sent, 'sender' | 'answer'>, method: string, url: string, body?: object): Promise<Sent> {
    const sent: Sent = { ...request, sender: email, answer: null };
    this.sent.push(sent);
    const server = this.servers[this.turn++ % this.servers.length]!;
    try {
      sent.answer = await this.sessions.get(email)!.request(server, method, url, body, request.idempotencyKey ?? undefined);
      // 503 database_busy says the request changed nothing and to try again: a client does, up to
      // three times; one still busy after that is a violation below.
      for (let again = 0; again < 3 && sent.answer.status === 503 && sent.answer.body?.code === 'database_busy'; again++) {
        this.busyRetried++;
        await new Promise((resolve) => setTimeout(resolve, 200 * (again + 1)));
        sent.answer = await this.sessions.get(email)!.request(server, method, url, body, request.idempotencyKey ?? undefined);
      }
    } catch (error) {
      this.violations.add(`${request.kind} ${request.action} ${request.subject ?? ''} by ${email} got no answer: ${error instanceof Error ? error.message : String(error)}`);
      return sent;
    }
    const { status, contentType, body: answered } = sent.answer;
    if (status >= 500) this.violations.add(`${request.kind} ${request.action} ${request.subject ?? ''} by ${email} was answered ${status}: ${JSON.stringify(answered).slice(0, 300)}`);
    else if (status >= 400 && (!contentType.startsWith('application/problem+json') || typeof answered?.code !== 'string')) this.violations.add(`${request.kind} ${request.action} ${request.subject ?? ''} was refused ${status} without a problem+json code: ${contentType}`);
    return sent;
  }
}

const succeeded = (sent: Sent) => sent.answer !== null && sent.answer.status >= 200 && sent.answer.status < 300;

/**
 * Every reviewer and an admin decide each expense in review at once: on every other expense
 * they all approve, on the rest half approve and half reject.
 */
function reviewRequests(senders: Senders, seeded: Seeded): Promise<Sent>[] {
  const deciders = [...seeded.reviewers, seeded.admins[1]!];
  return seeded.inReview.flatMap((expenseId, index) => deciders.map((email, which) => {
    const action = index % 2 === 0 || which % 2 === 0 ? 'approve' : 'reject';
    return senders.send(email, { kind: 'review', subject: expenseId, action, idempotencyKey: null }, 'POST', `/api/v1/expenses/${expenseId}/${action}`, action === 'reject' ? { comment: 'Not a business expense.' } : {});
  }));
}

/** Requests for the same thing from two people at once: half of each one's with one Idempotency-Key of the wave, half with none. */
function contested(emails: readonly string[], count: number, wave: string, request: (email: string, key: string | null) => Promise<Sent>): Promise<Sent>[] {
  return Array.from({ length: count }, (_, i) => request(emails[i % emails.length]!, i % 4 < 2 ? `race-${wave}` : null));
}

function payoutRequests(senders: Senders, seeded: Seeded, count: number, wave: string): Promise<Sent>[] {
  return contested(seeded.admins, count, `payout-${wave}`, (email, key) => senders.send(email, { kind: 'payout', subject: null, action: 'create', idempotencyKey: key }, 'POST', '/api/v1/payout-batches', {}));
}

function exportRequests(senders: Senders, seeded: Seeded, count: number, wave: string): Promise<Sent>[] {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return contested(seeded.bookkeepers, count, `export-${wave}`, (email, key) => senders.send(email, { kind: 'export', subject: null, action: 'create', idempotencyKey: key }, 'POST', '/api/v1/export-batches', { format: 'csv', from: day(-1), to: day(1) }));
}

/** Each acknowledged, not yet paid payout batch marked paid by both admins at once, some with one key. */
function paidRequests(senders: Senders, seeded: Seeded, batchIds: readonly string[]): Promise<Sent>[] {
  return batchIds.flatMap((batchId) => Array.from({ length: paidRequestsPerBatch }, (_, i) => {
    const key = i < 2 ? `race-paid-${batchId}` : null;
    return senders.send(seeded.admins[i % 2]!, { kind: 'paid', subject: batchId, action: 'mark_paid', idempotencyKey: key }, 'POST', `/api/v1/payout-batches/${batchId}/paid`);
  }));
}

const batchIdOf = (sent: Sent) => (sent.kind === 'payout' ? (sent.answer?.body?.batch as { id?: string } | undefined)?.id : (sent.answer?.body?.id as string | undefined)) ?? null;

/** The acknowledged payout batches among `sent`, each once. */
const acknowledgedBatches = (sent: readonly Sent[], kind: Sent['kind']) => [...new Set(sent.filter((request) => request.kind === kind && succeeded(request)).map(batchIdOf).filter((id): id is string => id !== null))];

const count = (text: string | number) => Number(text);

/** One decision per expense in review: one request won, the state is its decision, the history has it once. */
async function checkReviews(db: Db, seeded: Seeded, sent: readonly Sent[], violations: Violations): Promise<number> {
  const rows = await sql<{ id: string; state: string; decisions: string; approvals: string }>`
    select e.id, e.state,
      (select count(*) from expense_events v where v.company_id = e.company_id and v.expense_id = e.id and v.action in ('approved', 'rejected')) as decisions,
      (select count(*) from expense_approvals a where a.company_id = e.company_id and a.expense_id = e.id) as approvals
    from expenses e where e.company_id = ${seeded.companyId} and e.id in (${sql.join(seeded.inReview)})`.execute(db);
  let decidedTwice = 0;
  for (const row of rows.rows) {
    const won = sent.filter((request) => request.kind === 'review' && request.subject === row.id && succeeded(request));
    const expected = won.length === 1 ? (won[0]!.action === 'approve' ? 'approved' : 'rejected') : null;
    if (won.length !== 1 || count(row.decisions) !== 1) decidedTwice++;
    if (won.length !== 1) violations.add(`expense ${row.id}: ${won.length} of the decisions sent at once were acknowledged (${won.map((request) => request.action).join(', ')})`);
    if (count(row.decisions) !== 1) violations.add(`expense ${row.id} has ${row.decisions} decisions in its history`);
    if (expected && row.state !== expected) violations.add(`expense ${row.id} is ${row.state}, but the acknowledged decision was to ${won[0]!.action} it`);
    if (count(row.approvals) !== (row.state === 'approved' ? 1 : 0)) violations.add(`expense ${row.id} is ${row.state} with ${row.approvals} approvals recorded`);
  }
  return decidedTwice;
}

/** Within one principal's Idempotency-Key, every acknowledged answer names the same batch. */
function checkKeys(sent: readonly Sent[], violations: Violations): void {
  const byKey = new Map<string, Set<string>>();
  for (const request of sent) {
    const id = batchIdOf(request);
    if (!request.idempotencyKey || !succeeded(request) || request.kind === 'review' || !id) continue;
    const scope = `${request.sender} ${request.idempotencyKey}`;
    byKey.set(scope, (byKey.get(scope) ?? new Set()).add(id));
  }
  for (const [scope, ids] of byKey) if (ids.size > 1) violations.add(`the requests of ${scope} were acknowledged as ${ids.size} different batches: ${[...ids].join(', ')}`);
}

/**
 * Each expense in at most one batch and paid at most once; every acknowledged batch marked paid
 * by exactly one request, with one balanced entry for its total; each person's payable account
 * holds what is still owed to them.
 */
async function checkPayouts(db: Db, seeded: Seeded, sent: readonly Sent[], violations: Violations): Promise<{ batches: number; paid: number; paidTwice: number }> {
  const acknowledged = new Set(acknowledgedBatches(sent, 'payout'));
  const events = await sql<{ id: string; paid: string; batched: string; state: string; batch: string | null }>`
    select e.id, e.reimbursement_state as state, e.payout_batch_id as batch,
      (select count(*) from expense_events v where v.company_id = e.company_id and v.expense_id = e.id and v.action = 'paid') as paid,
      (select count(*) from expense_events v where v.company_id = e.company_id and v.expense_id = e.id and v.action = 'in_payout_batch') as batched
    from expenses e where e.company_id = ${seeded.companyId} and e.kind <> 'card'`.execute(db);
  let paidTwice = 0;
  for (const row of events.rows) {
    if (count(row.paid) > 1 || count(row.batched) > 1) {
      paidTwice++;
      violations.add(`expense ${row.id} was put in a payout batch ${row.batched} times and paid ${row.paid} times`);
    }
    if (row.batch && acknowledged.has(row.batch) && row.state !== 'paid') violations.add(`expense ${row.id} is in acknowledged batch ${row.batch}, which was marked paid, but is ${row.state}`);
  }
  const batches = await sql<{ id: string; state: string; total: string; items: string; expenses: string; entries: string; entry_sum: string | null; bank: string | null }>`
    select b.id, b.state, b.total::text,
      (select coalesce(sum(i.amount), 0) from payout_items i where i.company_id = b.company_id and i.batch_id = b.id)::text as items,
      (select coalesce(sum(e.amount), 0) from expenses e where e.company_id = b.company_id and e.payout_batch_id = b.id)::text as expenses,
      (select count(*) from journal_entries j where j.company_id = b.company_id and j.cause_type = 'payout_batch' and j.cause_id = b.id) as entries,
      (select sum(p.amount) from journal_entries j join postings p on p.company_id = j.company_id and p.entry_id = j.id where j.company_id = b.company_id and j.cause_type = 'payout_batch' and j.cause_id = b.id)::text as entry_sum,
      (select sum(p.amount) filter (where p.amount < 0) from journal_entries j join postings p on p.company_id = j.company_id and p.entry_id = j.id where j.company_id = b.company_id and j.cause_type = 'payout_batch' and j.cause_id = b.id)::text as bank
    from payout_batches b where b.company_id = ${seeded.companyId}`.execute(db);
  for (const batch of batches.rows) {
    const wins = sent.filter((request) => request.kind === 'paid' && request.subject === batch.id && succeeded(request) && !request.answer!.replayed).length;
    if (!acknowledged.has(batch.id)) violations.add(`payout batch ${batch.id} exists, but no request was acknowledged with it`);
    if (batch.items !== batch.total || batch.expenses !== batch.total) violations.add(`payout batch ${batch.id} totals ${batch.total}, its transfers ${batch.items}, its expenses ${batch.expenses}`);
    if (batch.state !== 'paid' || wins !== 1) violations.add(`payout batch ${batch.id} is ${batch.state} after ${wins} acknowledged (not replayed) requests to mark it paid`);
    if (count(batch.entries) !== (batch.state === 'created' ? 0 : 1) || (batch.entries !== '0' && (batch.entry_sum !== '0' || batch.bank !== `-${batch.total}`))) {
      violations.add(`payout batch ${batch.id} (${batch.state}, ${batch.total}) has ${batch.entries} ledger entries summing to ${batch.entry_sum}, ${batch.bank} from the bank`);
    }
  }
  await checkPayables(db, seeded, violations);
  return { batches: batches.rows.length, paid: events.rows.filter((row) => row.state === 'paid').length, paidTwice };
}

/** Each person's payable account holds exactly what their approved expenses not yet paid come to. */
async function checkPayables(db: Db, seeded: Seeded, violations: Violations): Promise<void> {
  for (const employee of seeded.employees) {
    const owed = await sql<{ owed: string }>`select coalesce(sum(amount), 0)::text as owed from expenses
      where company_id = ${seeded.companyId} and user_id = ${employee.id} and kind <> 'card' and state = 'approved' and reimbursement_state in ('owed', 'in_batch')`.execute(db);
    const account = await sql<{ balance: string }>`select coalesce(sum(credits_posted - debits_posted), 0)::text as balance from ledger_accounts
      where company_id = ${seeded.companyId} and code = ${`payable:${employee.id}`}`.execute(db);
    if (owed.rows[0]!.owed !== account.rows[0]!.balance) violations.add(`${employee.email} is owed ${owed.rows[0]!.owed} by their expenses, but their payable account holds ${account.rows[0]!.balance}`);
  }
}

/** Waits for the export jobs of the processes to write every batch. */
async function exportsWritten(db: Db, companyId: string): Promise<number> {
  const deadline = Date.now() + exportsWrittenWaitMs;
  for (;;) {
    const left = await sql<{ n: string }>`select count(*) as n from export_batches where company_id = ${companyId} and state = 'exporting'`.execute(db);
    if (count(left.rows[0]!.n) === 0 || Date.now() > deadline) return count(left.rows[0]!.n);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Each expense in at most one export and exported once; every acknowledged export written, with the expenses it counted. */
async function checkExports(db: Db, seeded: Seeded, sent: readonly Sent[], readFile: (batchId: string) => Promise<string>, violations: Violations): Promise<{ batches: number; exported: number; exportedTwice: number }> {
  const unwritten = await exportsWritten(db, seeded.companyId);
  if (unwritten > 0) violations.add(`${unwritten} exports were still being written ${exportsWrittenWaitMs / 1000} s after the last request`);
  const acknowledged = new Set(acknowledgedBatches(sent, 'export'));
  const expenses = await sql<{ id: string; state: string; batch: string | null; exported: string }>`
    select e.id, e.export_state as state, e.export_batch_id as batch,
      (select count(*) from expense_events v where v.company_id = e.company_id and v.expense_id = e.id and v.action = 'exported') as exported
    from expenses e where e.company_id = ${seeded.companyId}`.execute(db);
  let exportedTwice = 0;
  for (const row of expenses.rows) {
    if (count(row.exported) > 1) {
      exportedTwice++;
      violations.add(`expense ${row.id} was exported ${row.exported} times`);
    }
    if (row.batch && acknowledged.has(row.batch) && row.state !== 'exported') violations.add(`expense ${row.id} is in acknowledged export ${row.batch} but is ${row.state}`);
  }
  const batches = await sql<{ id: string; state: string; error: string | null; expense_count: number; expenses: string }>`
    select b.id, b.state, b.error, b.expense_count, (select count(*) from expenses e where e.company_id = b.company_id and e.export_batch_id = b.id and e.export_state = 'exported') as expenses
    from export_batches b where b.company_id = ${seeded.companyId}`.execute(db);
  const inFiles = new Map<string, string[]>();
  for (const batch of batches.rows) {
    if (!acknowledged.has(batch.id)) violations.add(`export ${batch.id} exists, but no request was acknowledged with it`);
    if (batch.state !== 'exported' || count(batch.expenses) !== batch.expense_count) violations.add(`export ${batch.id} is ${batch.state} and holds ${batch.expenses} exported expenses, having taken ${batch.expense_count}${batch.error ? ` (${batch.error})` : ''}`);
    if (batch.state !== 'exported') continue;
    // The files as a bookkeeper downloads them: the CSV names each row's expense.
    const listed = new Set((await readFile(batch.id)).match(/\bexp_[0-9A-Za-z]+/g) ?? []);
    if (listed.size !== batch.expense_count) violations.add(`the file of export ${batch.id} lists ${listed.size} expenses, the export took ${batch.expense_count}`);
    for (const id of listed) inFiles.set(id, [...(inFiles.get(id) ?? []), batch.id]);
  }
  for (const [id, files] of inFiles) {
    if (files.length < 2) continue;
    if (!expenses.rows.some((row) => row.id === id && count(row.exported) > 1)) exportedTwice++;
    violations.add(`expense ${id} is in the files of ${files.length} exports: ${files.join(', ')}`);
  }
  return { batches: batches.rows.length, exported: expenses.rows.filter((row) => row.state === 'exported').length, exportedTwice };
}

/** Signs everyone who sends in, each on one process in turn (sessions hold on every process). */
async function signInAll(servers: readonly ServerProcess[], seeded: Seeded): Promise<Map<string, ProcessSession>> {
  const emails = [...seeded.reviewers, ...seeded.admins, ...seeded.bookkeepers];
  const sessions = await Promise.all(emails.map((email, i) => ProcessSession.signIn(servers[i % servers.length]!, email, password)));
  return new Map(sessions.map((session) => [session.email, session]));
}

/** Seeds, sends the contested requests in two waves and checks the outcome; the part's figures. */
export async function raceExpenses(fleet: FleetDatabase, servers: readonly ServerProcess[], short: boolean, violations: Violations): Promise<Record<string, unknown>> {
  const db = fleet.database.db;
  const seedingStarted = performance.now();
  const seeded = await seed(fleet, servers[0]!, short);
  const seedingSeconds = Math.round((performance.now() - seedingStarted) / 100) / 10;
  const sessions = await signInAll(servers, seeded);
  const senders = new Senders(servers, sessions, violations);
  const perWave = short ? batchRequestsPerWave.short : batchRequestsPerWave.long;
  const started = performance.now();
  // The first wave: decisions, payout batches and exports all at once, so that an expense
  // approved meanwhile may or may not make it into a batch, but never into two.
  await Promise.all([...reviewRequests(senders, seeded), ...payoutRequests(senders, seeded, perWave, '1'), ...exportRequests(senders, seeded, perWave, '1')]);
  const firstBatches = acknowledgedBatches(senders.sent, 'payout');
  // The second: what the first wave approved, asked for again, while the first wave's batches are marked paid.
  await Promise.all([...payoutRequests(senders, seeded, perWave, '2'), ...exportRequests(senders, seeded, perWave, '2'), ...paidRequests(senders, seeded, firstBatches)]);
  await Promise.all(paidRequests(senders, seeded, acknowledgedBatches(senders.sent, 'payout').filter((id) => !firstBatches.includes(id))));
  const sendingSeconds = Math.round((performance.now() - started) / 100) / 10;

  const { sent } = senders;
  const checkingStarted = performance.now();
  checkKeys(sent, violations);
  const decidedTwice = await checkReviews(db, seeded, sent, violations);
  const payouts = await checkPayouts(db, seeded, sent, violations);
  const readFile = async (batchId: string) => {
    const file = await sessions.get(seeded.bookkeepers[0]!)!.request(servers[servers.length - 1]!, 'GET', `/api/v1/export-batches/${batchId}/file`);
    if (file.status !== 200) violations.add(`the file of export ${batchId} was answered ${file.status}`);
    return file.text;
  };
  const exports = await checkExports(db, seeded, sent, readFile, violations);
  const checkingSeconds = Math.round((performance.now() - checkingStarted) / 100) / 10;
  const ofKind = (kind: Sent['kind']) => sent.filter((request) => request.kind === kind);
  const refusals: Record<string, number> = {};
  for (const request of sent) {
    if (!request.answer || request.answer.status < 400) continue;
    const reason = `${request.kind} ${request.answer.status} ${String(request.answer.body?.code)}`;
    refusals[reason] = (refusals[reason] ?? 0) + 1;
  }
  return {
    seeding_seconds: seedingSeconds,
    sending_seconds: sendingSeconds,
    checking_seconds: checkingSeconds,
    expenses_in_review: seeded.inReview.length,
    review_requests: ofKind('review').length,
    reviews_acknowledged: ofKind('review').filter(succeeded).length,
    decided_twice: decidedTwice,
    payout_requests: ofKind('payout').length,
    mark_paid_requests: ofKind('paid').length,
    payout_batches: payouts.batches,
    expenses_paid: payouts.paid,
    paid_twice: payouts.paidTwice,
    export_requests: ofKind('export').length,
    export_batches: exports.batches,
    expenses_exported: exports.exported,
    exported_twice: exports.exportedTwice,
    idempotent_replays: sent.filter((request) => request.answer?.replayed).length,
    refusals_by_code: refusals,
    server_5xx: sent.filter((request) => (request.answer?.status ?? 0) >= 500).length,
    busy_retried: senders.busyRetried,
  };
}
