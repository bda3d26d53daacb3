// HTTP for expenses: list, file, read, change and their history. Review is in
// expense-review.routes.ts.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { sendCsv, writeCsv } from '../http/csv-download.js';
import { FlagQuery, FormatQuery, SortOrderQuery } from '../http/list-query.js';
import { IdParams, PageQuery, problemResponses, readPageSize } from '../http/schemas.js';
import { expenseSortKeys, searchTextLengthMax } from './expense-search.js';
import { expenseCsvColumns, ExpenseListItemSchema, ExpenseListSchema, presentExpensePage } from './expense-search.presenters.js';
import { searchAllExpenses, searchExpensePage } from './expense-search.service.js';
import { updateExpenseDetails } from './expense-editing.service.js';
import { mismatchNoteLengthMax } from '../receipts/receipt-checks.js';
import { merchantLengthMax, noteLengthMax, routeLengthMax } from './expense-fields.js';
import { fileExpense, type NewExpenseInput } from './expense-filing.service.js';
import { expenseHistory } from './expense-history.service.js';
import { getExpense, type ExpenseRow } from './expenses.service.js';
import { expenseKinds, expensePresenter, ExpenseEventSchema, ExpenseReviewSchema, ExpenseSchema, expenseStates, exportStates, literals, nullable, presentEvent, reimbursementStates } from './expenses.presenters.js';

const Amount = Type.String({ maxLength: 32, description: 'Decimal string in the company\'s currency' });
const PaidAmount = Type.String({ maxLength: 32, description: 'Out of pocket: what was paid, a decimal string in `currency`' });
const PaidCurrency = Type.String({ maxLength: 3, description: 'Out of pocket: ISO 4217 code of what was paid (the company\'s when left out); another is converted at the ECB rate of spentOn' });
const ReceiptNote = Type.String({ maxLength: mismatchNoteLengthMax, description: 'Why the receipt belongs to the expense although its reading disagrees with it (required then: receipt_mismatch)' });
const LineInput = Type.Object(
  { amount: Amount, categoryId: nullable(Type.String({ maxLength: 40 })), taxCodeId: nullable(Type.String({ maxLength: 40 })), note: Type.Optional(nullable(Type.String({ maxLength: 200 }))) },
  { additionalProperties: false },
);
const DetailFields = {
  merchant: Type.Optional(nullable(Type.String({ maxLength: merchantLengthMax }))),
  note: Type.Optional(nullable(Type.String({ maxLength: noteLengthMax }))),
  route: Type.Optional(nullable(Type.String({ maxLength: routeLengthMax }))),
  categoryId: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
  taxCodeId: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
  tagIds: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
  attendees: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
  receiptId: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
  receiptNote: Type.Optional(nullable(ReceiptNote)),
  currency: Type.Optional(PaidCurrency),
};

const ExpenseQuery = Type.Object({
  ...PageQuery.properties,
  userId: Type.Optional(Type.String({ maxLength: 40, description: 'One person\'s (with expenses:read; others always get their own)' })),
  teamId: Type.Optional(Type.String({ maxLength: 40, description: 'The people of one team' })),
  state: Type.Optional(literals(expenseStates)),
  kind: Type.Optional(literals(expenseKinds)),
  categoryId: Type.Optional(Type.String({ maxLength: 40, description: 'Any line in this category' })),
  from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: 'Spent on or after (the company\'s calendar date)' })),
  to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: 'Spent on or before (the company\'s calendar date)' })),
  amountMin: Type.Optional(Type.String({ maxLength: 32, description: 'Decimal string in the company\'s currency, included' })),
  amountMax: Type.Optional(Type.String({ maxLength: 32, description: 'Decimal string in the company\'s currency, included' })),
  missingReceipt: FlagQuery('true: only those flagged missing_receipt; false: none of those'),
  flagged: FlagQuery('true: only those with a policy flag; false: only those without'),
  q: Type.Optional(Type.String({ maxLength: searchTextLengthMax, description: 'Text in the merchant, the note or the person\'s name (case-insensitive)' })),
  sort: Type.Optional(Type.String({ enum: [...expenseSortKeys], description: 'spentOn (default), amount, merchant or person' })),
  order: SortOrderQuery,
  format: FormatQuery,
  exportState: Type.Optional(literals(exportStates)),
  reimbursementState: Type.Optional(literals(reimbursementStates)),
}, { additionalProperties: false });

const NewExpense = Type.Object({
  kind: literals(['out_of_pocket', 'mileage', 'per_diem']),
  spentOn: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
  amount: Type.Optional(PaidAmount),
  distanceKm: Type.Optional(Type.String({ maxLength: 12, description: 'Mileage: kilometres, e.g. "12.3"' })),
  country: Type.Optional(Type.String({ maxLength: 2, description: 'Per diem: ISO 3166-1 alpha-2' })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
  ...DetailFields,
}, { additionalProperties: false });

const ExpensePatch = Type.Object({
  spentOn: Type.Optional(Type.String({ maxLength: 10 })),
  amount: Type.Optional(PaidAmount),
  distanceKm: Type.Optional(Type.String({ maxLength: 12 })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
  lines: Type.Optional(Type.Array(LineInput, { minItems: 1, maxItems: 50, description: 'The whole split; it must add up to the amount' })),
  ...DetailFields,
}, { additionalProperties: false });

export function expensesRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ExpenseReviewSchema);
  app.addSchema(ExpenseSchema);
  app.addSchema(ExpenseEventSchema);
  app.addSchema(ExpenseListItemSchema);
  app.addSchema(ExpenseListSchema);
  const tags = ['Expenses'];
  const one = async (principal: Principal, row: ExpenseRow) => (await expensePresenter(db, principal, [row]))(row);

  app.get('/api/v1/expenses', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listExpenses',
      tags,
      summary: 'Expenses, newest spent first (or as sorted): your own, or the whole company\'s with expenses:read; searched, filtered, paged with a total; format=csv downloads the whole filtered list',
      querystring: ExpenseQuery,
      response: { 200: Type.Ref('ExpenseList'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const { format, limit, ...query } = request.query;
    if (format === 'csv') {
      const found = await searchAllExpenses(db, principal, query);
      return sendCsv(reply, 'expenses.csv', writeCsv(expenseCsvColumns(found), found.rows));
    }
    const page = readPageSize(limit);
    return presentExpensePage(db, principal, await searchExpensePage(db, principal, query, page));
  });

  app.post('/api/v1/expenses', {
    config: { access: 'signed-in' },
    schema: { operationId: 'createExpense', tags, summary: 'File an out-of-pocket, mileage or per-diem expense (card expenses come from card purchases)', body: NewExpense, response: { 201: Type.Ref('Expense'), ...problemResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    return reply.status(201).send(await one(principal, await fileExpense(db, principal, request.body as NewExpenseInput, request.now)));
  });

  app.get('/api/v1/expenses/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getExpense', tags, summary: 'One expense', params: IdParams, response: { 200: Type.Ref('Expense'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    return one(principal, await getExpense(db, principal, request.params.id));
  });

  app.patch('/api/v1/expenses/:id', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'updateExpense',
      tags,
      summary: 'Change an expense\'s details: its owner while a draft or sent back; a bookkeeper corrects it any time before its period is closed',
      params: IdParams,
      body: ExpensePatch,
      response: { 200: Type.Ref('Expense'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return one(principal, await updateExpenseDetails(db, principal, request.params.id, request.body, request.now));
  });

  app.get('/api/v1/expenses/:id/history', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getExpenseHistory', tags, summary: 'Everything that happened to the expense, oldest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Type.Ref('ExpenseEvent')) }), ...problemResponses } },
  }, async (request) => ({ items: (await expenseHistory(db, principalOf(request), request.params.id)).map(presentEvent) }));
}
