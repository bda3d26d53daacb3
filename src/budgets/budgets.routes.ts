// HTTP for budgets: admins set them (budgets:manage); those who read the spend overview
// (analytics:read) see every budget with its figures, and anyone signed in sees the budgets
// they own. format=csv downloads the list.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { sendCsv, writeCsv, type CsvColumn } from '../http/csv-download.js';
import { FormatQuery } from '../http/list-query.js';
import { problemResponses } from '../http/schemas.js';
import { formatAmount } from '../money/money.js';
import { budgetPeriods } from './budget-rules.js';
import { archiveBudget, budgetScopes, createBudget, getBudgetView, listBudgetViews, thresholdsMax, updateBudget, type BudgetView } from './budgets.service.js';

const Money = (description: string) => Type.Ref('Money', { description });
const idPattern = '^[A-Za-z0-9_-]{1,40}$';

const BudgetSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scope: Type.String({ enum: [...budgetScopes], description: 'team, person or tag: whose spending counts' }),
  subjectId: Type.String({ description: 'The team, person or tag' }),
  subjectName: Type.String({ description: 'The team\'s or person\'s name, or the tag as group: name' }),
  period: Type.String({ enum: [...budgetPeriods], description: 'A calendar month, quarter or year in the company\'s time zone' }),
  amount: Money('What may be spent per period, in the company\'s currency'),
  enforced: Type.Boolean({ description: 'Card purchases that would take more than is left are declined (over_budget); team and person budgets only' }),
  thresholds: Type.Array(Type.Integer(), { description: 'Percents of the amount at which the owner is told' }),
  ownerId: Type.Union([Type.String(), Type.Null()]),
  ownerName: Type.Union([Type.String(), Type.Null()]),
  periodFrom: Type.String({ format: 'date', description: 'The current period\'s first day' }),
  periodTo: Type.String({ format: 'date', description: 'The current period\'s last day' }),
  spent: Money('Cleared card purchases less refunds, and out-of-pocket expenses submitted (tag budgets: tagged expenses), this period'),
  pending: Money('Card purchases approved and not yet cleared (their holds), this period'),
  remaining: Money('The amount less what is spent and pending; below zero when overspent'),
  percentUsed: Type.Integer({ description: 'Spent and pending, as a whole percent of the amount (rounded down)' }),
}, { $id: 'Budget', additionalProperties: false });

const BudgetListSchema = Type.Object({ items: Type.Array(Type.Ref('Budget')) }, { $id: 'BudgetList', additionalProperties: false });

const Thresholds = Type.Array(Type.Integer({ minimum: 1, maximum: 200 }), { maxItems: thresholdsMax, description: 'Percents of the amount at which the owner is told (default 80 and 100)' });
const AmountText = Type.String({ maxLength: 24, description: 'Decimal, in the company\'s currency' });
const OwnerId = Type.Union([Type.String({ pattern: idPattern }), Type.Null()], { description: 'Told at the thresholds; for a team budget, approves at a "budget owner" review step when the review rules name nobody' });

const CreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  scope: Type.Union(budgetScopes.map((scope) => Type.Literal(scope))),
  subjectId: Type.String({ pattern: idPattern }),
  period: Type.Union(budgetPeriods.map((period) => Type.Literal(period))),
  amount: AmountText,
  enforced: Type.Optional(Type.Boolean()),
  thresholds: Type.Optional(Thresholds),
  ownerId: Type.Optional(OwnerId),
}, { additionalProperties: false });

const PatchBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  amount: Type.Optional(AmountText),
  enforced: Type.Optional(Type.Boolean()),
  thresholds: Type.Optional(Thresholds),
  ownerId: Type.Optional(OwnerId),
}, { additionalProperties: false, minProperties: 1 });

function present(view: BudgetView): Static<typeof BudgetSchema> {
  const { budget } = view;
  const money = (amount: bigint) => ({ amount: formatAmount(amount, budget.currency), currency: budget.currency });
  return {
    id: budget.id,
    name: budget.name,
    scope: budget.scope,
    subjectId: (budget.team_id ?? budget.user_id ?? budget.tag_id)!,
    subjectName: view.subjectName,
    period: budget.period,
    amount: money(budget.amount),
    enforced: budget.enforced,
    thresholds: budget.thresholds,
    ownerId: budget.owner_id,
    ownerName: view.ownerName,
    periodFrom: view.range.from,
    periodTo: view.range.to,
    spent: money(view.figures.spent),
    pending: money(view.figures.pending),
    remaining: money(view.remaining),
    percentUsed: view.percentUsed,
  };
}

const csvColumns: CsvColumn<BudgetView>[] = [
  { header: 'name', cell: (row) => row.budget.name },
  { header: 'scope', cell: (row) => row.budget.scope },
  { header: 'subject', cell: (row) => row.subjectName },
  { header: 'period', cell: (row) => row.budget.period },
  { header: 'period_from', cell: (row) => row.range.from },
  { header: 'period_to', cell: (row) => row.range.to },
  { header: 'amount', cell: (row) => formatAmount(row.budget.amount, row.budget.currency), numeric: true },
  { header: 'spent', cell: (row) => formatAmount(row.figures.spent, row.budget.currency), numeric: true },
  { header: 'pending', cell: (row) => formatAmount(row.figures.pending, row.budget.currency), numeric: true },
  { header: 'remaining', cell: (row) => formatAmount(row.remaining, row.budget.currency), numeric: true },
  { header: 'currency', cell: (row) => row.budget.currency },
  { header: 'enforced', cell: (row) => String(row.budget.enforced) },
  { header: 'owner', cell: (row) => row.ownerName },
];

export function budgetsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(BudgetSchema);
  app.addSchema(BudgetListSchema);
  const tags = ['Budgets'];
  const IdParams = Type.Object({ id: Type.String({ pattern: idPattern }) }, { additionalProperties: false });

  app.get('/api/v1/budgets', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listBudgets',
      tags,
      summary: 'Budgets with what they have spent, hold and leave this period: every one with analytics:read, else those you own; format=csv downloads them',
      querystring: Type.Object({ format: FormatQuery }, { additionalProperties: false }),
      response: { 200: Type.Ref('BudgetList'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const viewer = { seesAll: principal.permissions.has('analytics:read'), userId: principal.kind === 'user' ? principal.userId : null };
    const views = await listBudgetViews(db, principal.companyId, viewer, request.now);
    if (request.query.format === 'csv') return sendCsv(reply, 'budgets.csv', writeCsv(csvColumns, views));
    return { items: views.map(present) };
  });

  app.post('/api/v1/budgets', {
    config: { access: 'budgets:manage' },
    schema: {
      operationId: 'createBudget',
      tags,
      summary: 'Set a budget for a team, a person or a tag, per month, quarter or year; 409 when the subject has one for that period',
      body: CreateBody,
      response: { 201: Type.Ref('Budget'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const row = await createBudget(db, principal.companyId, request.body, actorOf(principal));
    return reply.status(201).send(present(await getBudgetView(db, principal.companyId, row.id, request.now)));
  });

  app.get('/api/v1/budgets/:id', {
    config: { access: 'analytics:read' },
    schema: { operationId: 'getBudget', tags, summary: 'A budget with its figures this period', params: IdParams, response: { 200: Type.Ref('Budget'), ...problemResponses } },
  }, async (request) => present(await getBudgetView(db, principalOf(request).companyId, request.params.id, request.now)));

  app.patch('/api/v1/budgets/:id', {
    config: { access: 'budgets:manage' },
    schema: { operationId: 'updateBudget', tags, summary: 'Change a budget\'s name, amount, enforcement, thresholds or owner', params: IdParams, body: PatchBody, response: { 200: Type.Ref('Budget'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    await updateBudget(db, principal.companyId, request.params.id, request.body, actorOf(principal), request.now);
    return present(await getBudgetView(db, principal.companyId, request.params.id, request.now));
  });

  app.delete('/api/v1/budgets/:id', {
    config: { access: 'budgets:manage' },
    schema: { operationId: 'archiveBudget', tags, summary: 'Archive a budget: no longer shown, counted or enforced', params: IdParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await archiveBudget(db, principal.companyId, request.params.id, actorOf(principal), request.now);
    return reply.status(204).send(null);
  });
}
