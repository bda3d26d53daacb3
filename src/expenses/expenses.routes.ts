// HTTP for expenses and their review: validate, call one service function, present.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import type { Db } from '../db/database.js';
import * as review from './expense-review.js';
import * as expenses from './expenses.service.js';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const kinds = ['card', 'out_of_pocket', 'mileage', 'per_diem'];
const states = ['draft', 'in_review', 'changes_requested', 'approved', 'rejected', 'voided'];
const literals = (values: readonly string[]) => Type.Union(values.map((value) => Type.Literal(value)));

const ExpenseSchema = Type.Object(
  {
    id: Type.String(),
    userId: Type.String(),
    kind: Type.String({ enum: kinds }),
    state: Type.String({ enum: states }),
    cardTransactionId: nullable(Type.String()),
    receipt: Type.Object({ state: Type.String({ enum: ['attached', 'lost', 'missing', 'not_required'] }), receiptId: nullable(Type.String()) }),
    spentOn: Type.String({ format: 'date' }),
    merchant: nullable(Type.String()),
    note: nullable(Type.String()),
    amount: Type.Ref('Money'),
    mileage: nullable(Type.Object({ distanceKm: Type.String(), ratePerKm: Type.Ref('Money'), route: nullable(Type.String()) })),
    perDiem: nullable(Type.Object({ country: Type.String(), days: Type.Integer(), dailyRate: Type.Ref('Money') })),
    attendees: Type.Array(Type.String()),
    lines: Type.Array(
      Type.Object({
        line: Type.Integer(),
        amount: Type.Ref('Money', { description: 'VAT included' }),
        categoryId: nullable(Type.String()),
        taxCodeId: nullable(Type.String()),
        vat: Type.Ref('Money'),
        deductibleVat: Type.Ref('Money'),
        note: nullable(Type.String()),
      }),
    ),
    tagIds: Type.Array(Type.String()),
    flags: Type.Array(Type.String({ enum: ['missing_receipt', 'category_not_allowed', 'over_threshold', 'possible_duplicate'] })),
    booked: Type.Boolean({ description: 'Whether the categorisation is booked in the ledger' }),
    reimbursement: Type.Object({ state: Type.String({ enum: ['none', 'owed', 'in_batch', 'paid'] }), payoutBatchId: nullable(Type.String()) }),
    export: Type.Object({ state: Type.String({ enum: ['not_exported', 'queued', 'exporting', 'exported', 'failed'] }), batchId: nullable(Type.String()) }),
    submittedAt: nullable(Type.String({ format: 'date-time' })),
    decidedAt: nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Expense' },
);

const ExpenseEventSchema = Type.Object(
  {
    id: Type.String(),
    actorType: Type.String({ enum: ['user', 'api_key', 'system'] }),
    actorId: nullable(Type.String()),
    action: Type.String({ description: 'filed, created_from_card, updated, corrected, submitted, approved_on_submit, approved, rejected, changes_requested, reopened, commented, booked, unbooked, amount_changed, voided, exported, paid' }),
    comment: nullable(Type.String()),
    details: Type.Object({}, { additionalProperties: true }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ExpenseEvent' },
);

const Amount = Type.String({ maxLength: 32, description: 'Decimal string in the company\'s currency' });
const LineInput = Type.Object(
  { amount: Amount, categoryId: nullable(Type.String({ maxLength: 40 })), taxCodeId: nullable(Type.String({ maxLength: 40 })), note: Type.Optional(nullable(Type.String({ maxLength: 200 }))) },
  { additionalProperties: false },
);
const DetailFields = {
  merchant: Type.Optional(nullable(Type.String({ maxLength: expenses.merchantLengthMax }))),
  note: Type.Optional(nullable(Type.String({ maxLength: expenses.noteLengthMax }))),
  route: Type.Optional(nullable(Type.String({ maxLength: expenses.routeLengthMax }))),
  categoryId: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
  taxCodeId: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
  tagIds: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
  attendees: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
  receiptId: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
};

type Details = Awaited<ReturnType<typeof expenses.detailsOf>>;
type Receipts = Awaited<ReturnType<typeof expenses.receiptsOf>>;

function presentExpense(row: expenses.ExpenseRow, details: Details, receipts: Receipts) {
  const money = (minor: bigint) => toMoneyJson(minor, row.currency);
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    state: row.state,
    cardTransactionId: row.card_transaction_id,
    receipt: receipts(row.id),
    spentOn: row.spent_on,
    merchant: row.merchant,
    note: row.note,
    amount: money(row.amount),
    mileage:
      row.kind === 'mileage' && row.mileage_meters !== null
        ? { distanceKm: expenses.metersToKilometres(row.mileage_meters), ratePerKm: money(row.mileage_rate ?? 0n), route: row.route }
        : null,
    perDiem: row.kind === 'per_diem' && row.per_diem_country ? { country: row.per_diem_country, days: row.per_diem_days ?? 0, dailyRate: money(row.per_diem_rate ?? 0n) } : null,
    attendees: row.attendees,
    lines: details.lines(row.id).map((line) => ({
      line: line.line,
      amount: money(line.amount),
      categoryId: line.category_id,
      taxCodeId: line.tax_code_id,
      vat: money(line.vat_amount),
      deductibleVat: money(line.deductible_vat),
      note: line.note,
    })),
    tagIds: details.tags(row.id),
    flags: row.flags,
    booked: row.booking_entry_id !== null,
    reimbursement: { state: row.reimbursement_state, payoutBatchId: row.payout_batch_id },
    export: { state: row.export_state, batchId: row.export_batch_id },
    submittedAt: row.submitted_at ? iso(row.submitted_at) : null,
    decidedAt: row.decided_at ? iso(row.decided_at) : null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function presentEvent(row: expenses.ExpenseEventRow) {
  return { id: row.id, actorType: row.actor_type, actorId: row.actor_id, action: row.action, comment: row.comment, details: row.details, createdAt: iso(row.created_at) };
}

async function presentAll(db: Db, companyId: string, rows: expenses.ExpenseRow[]) {
  const [details, receipts] = await Promise.all([expenses.detailsOf(db, companyId, rows), expenses.receiptsOf(db, companyId, rows)]);
  return (row: expenses.ExpenseRow) => presentExpense(row, details, receipts);
}

export function expensesRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ExpenseSchema);
  app.addSchema(ExpenseEventSchema);
  const tags = ['Expenses'];
  const one = async (companyId: string, row: expenses.ExpenseRow) => (await presentAll(db, companyId, [row]))(row);

  app.get('/api/v1/expenses', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listExpenses',
      tags,
      summary: 'Expenses, newest first: your own, or everyone\'s with expenses:read',
      querystring: Type.Object({
        ...PageQuery.properties,
        userId: Type.Optional(Type.String({ maxLength: 40 })),
        state: Type.Optional(literals(states)),
        kind: Type.Optional(literals(kinds)),
        from: Type.Optional(Type.String({ format: 'date', maxLength: 10 })),
        to: Type.Optional(Type.String({ format: 'date', maxLength: 10 })),
        exportState: Type.Optional(literals(['not_exported', 'queued', 'exporting', 'exported', 'failed'])),
        reimbursementState: Type.Optional(literals(['none', 'owed', 'in_batch', 'paid'])),
      }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('Expense')), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    const page = readPageQuery(request.query);
    const { state, kind, exportState, reimbursementState, ...rest } = request.query;
    const rows = await expenses.listExpenses(db, principal, {
      ...rest,
      states: state ? [state as expenses.ExpenseRow['state']] : undefined,
      kind: kind as expenses.ExpenseRow['kind'] | undefined,
      exportState: exportState as expenses.ExpenseRow['export_state'] | undefined,
      reimbursementState: reimbursementState as expenses.ExpenseRow['reimbursement_state'] | undefined,
      before: page.before,
      limit: page.limit + 1,
    });
    return toPage(rows, page, await presentAll(db, principal.companyId, rows));
  });

  app.post('/api/v1/expenses', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'createExpense',
      tags,
      summary: 'File an out-of-pocket, mileage or per-diem expense (card expenses come from card purchases)',
      body: Type.Object({
        kind: literals(['out_of_pocket', 'mileage', 'per_diem']),
        spentOn: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
        amount: Type.Optional(Amount),
        distanceKm: Type.Optional(Type.String({ maxLength: 12, description: 'Mileage: kilometres, e.g. "12.3"' })),
        country: Type.Optional(Type.String({ maxLength: 2, description: 'Per diem: ISO 3166-1 alpha-2' })),
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
        ...DetailFields,
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('Expense'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await expenses.fileExpense(db, principal, request.body as expenses.NewExpenseInput);
    return reply.status(201).send(await one(principal.companyId, row));
  });

  app.get('/api/v1/expenses/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getExpense', tags, summary: 'One expense', params: IdParams, response: { 200: Type.Ref('Expense'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    return one(principal.companyId, await expenses.getExpense(db, principal, request.params.id));
  });

  app.patch('/api/v1/expenses/:id', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'updateExpense',
      tags,
      summary: 'Change an expense\'s details: its owner while a draft or sent back; a bookkeeper corrects it any time before its period is closed',
      params: IdParams,
      body: Type.Object({
        spentOn: Type.Optional(Type.String({ maxLength: 10 })),
        amount: Type.Optional(Amount),
        distanceKm: Type.Optional(Type.String({ maxLength: 12 })),
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
        lines: Type.Optional(Type.Array(LineInput, { minItems: 1, maxItems: 50, description: 'The whole split; it must add up to the amount' })),
        ...DetailFields,
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('Expense'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return one(principal.companyId, await expenses.updateExpenseDetails(db, principal, request.params.id, request.body));
  });

  app.get('/api/v1/expenses/:id/history', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getExpenseHistory', tags, summary: 'Everything that happened to the expense, oldest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Type.Ref('ExpenseEvent')) }), ...problemResponses } },
  }, async (request) => ({ items: (await expenses.expenseHistory(db, principalOf(request), request.params.id)).map(presentEvent) }));

  const Comment = (required: boolean) =>
    Type.Object({ comment: required ? Type.String({ maxLength: review.commentLengthMax }) : Type.Optional(nullable(Type.String({ maxLength: review.commentLengthMax }))) }, { additionalProperties: false });
  const actions = [
    { path: 'submit', operationId: 'submitExpense', summary: 'Submit: approved at once unless flagged or above the review threshold, else sent to review', body: null, run: (id: string, request: { body: unknown }, principal: ReturnType<typeof principalOf>) => { void request; return review.submitExpense(db, principal, id); } },
    { path: 'approve', operationId: 'approveExpense', summary: 'Approve an expense in review (books it)', body: Comment(false), run: (id: string, request: { body: unknown }, principal: ReturnType<typeof principalOf>) => review.approveExpense(db, principal, id, (request.body as { comment?: string | null } | undefined)?.comment) },
    { path: 'reject', operationId: 'rejectExpense', summary: 'Reject an expense in review, saying why', body: Comment(true), run: (id: string, request: { body: unknown }, principal: ReturnType<typeof principalOf>) => review.rejectExpense(db, principal, id, (request.body as { comment: string }).comment) },
    { path: 'request-changes', operationId: 'requestExpenseChanges', summary: 'Send an expense back to its owner with what to change', body: Comment(true), run: (id: string, request: { body: unknown }, principal: ReturnType<typeof principalOf>) => review.requestChanges(db, principal, id, (request.body as { comment: string }).comment) },
    { path: 'reopen', operationId: 'reopenExpense', summary: 'Reopen a rejected expense as a draft', body: null, run: (id: string, request: { body: unknown }, principal: ReturnType<typeof principalOf>) => { void request; return review.reopenExpense(db, principal, id); } },
  ];
  for (const action of actions) {
    app.post(`/api/v1/expenses/:id/${action.path}`, {
      config: { access: 'signed-in' },
      schema: { operationId: action.operationId, tags, summary: action.summary, params: IdParams, ...(action.body ? { body: action.body } : {}), response: { 200: Type.Ref('Expense'), ...problemResponses } },
    }, async (request) => {
      const principal = principalOf(request);
      return one(principal.companyId, await action.run((request.params as { id: string }).id, request, principal));
    });
  }

  app.post('/api/v1/expenses/:id/comments', {
    config: { access: 'signed-in' },
    schema: { operationId: 'commentOnExpense', tags, summary: 'Comment on an expense (the owner answering a reviewer, or the other way round)', params: IdParams, body: Comment(true), response: { 201: Type.Ref('ExpenseEvent'), ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(presentEvent(await review.commentOnExpense(db, principalOf(request), request.params.id, (request.body as { comment: string }).comment))));

  app.get('/api/v1/expense-reviews', {
    config: { access: 'expenses:review' },
    schema: { operationId: 'listExpenseReviews', tags, summary: 'Expenses waiting for you to review, newest first', querystring: PageQuery, response: { 200: Page(Type.Ref('Expense')), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const page = readPageQuery(request.query);
    const rows = await review.reviewQueue(db, principal, page.before, page.limit + 1);
    return toPage(rows, page, await presentAll(db, principal.companyId, rows));
  });
}
