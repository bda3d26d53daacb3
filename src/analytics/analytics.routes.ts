// HTTP for the spend overview (analytics:read: admins and bookkeepers): spend by month,
// category, team, person, merchant, tag, kind (card or out of pocket) and original currency;
// this month against last month and the same month last year; declines by reason; missing
// receipts by person. Every series takes the same filters and format=csv downloads it.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { sendCsv, writeCsv } from '../http/csv-download.js';
import { FormatQuery } from '../http/list-query.js';
import { problemResponses } from '../http/schemas.js';
import { comparisonCsvColumns, comparisonCsvRows, presentComparison, presentHome, presentSeries, seriesCsvColumns } from './analytics.presenters.js';
import { compareMonths, declines, homeOverview, missingReceipts, spendBy, type Series, type SpendDimension } from './analytics.service.js';
import { readSeriesLimit, seriesItemsMax } from './overview-filter.js';

const spendDimensions: readonly SpendDimension[] = ['month', 'category', 'team', 'person', 'merchant', 'tag', 'kind', 'currency'];

const Id = (description: string) => Type.Optional(Type.String({ maxLength: 40, description }));
const PeriodFilters = {
  from: Type.Optional(Type.String({ maxLength: 10, description: 'First day (YYYY-MM-DD, the company\'s calendar), included; by default the first of the month eleven months before `to`' })),
  to: Type.Optional(Type.String({ maxLength: 10, description: 'Last day, included; by default today' })),
};
const PeopleFilters = {
  teamId: Id('The people of one team (their team now)'),
  userId: Id('One person'),
  cardId: Id('Purchases with one card'),
};
const BookFilters = {
  categoryId: Id('Expenses with a line in this category (by category: only those lines)'),
  tagId: Id('Expenses with this tag'),
};
const SeriesOptions = {
  limit: Type.Optional(Type.String({ maxLength: 5, description: `The largest items only, 1 to ${seriesItemsMax} (the default)` })),
  format: FormatQuery,
};

const SeriesSchema = Type.Object({
  series: Type.String({ description: 'What the items are: month, category, team, person, merchant, tag, kind, currency, decline_reason or missing_receipts' }),
  currency: Type.String({ description: 'The company\'s currency, of every amount' }),
  from: Type.String(),
  to: Type.String(),
  items: Type.Array(Type.Object({
    key: Type.Union([Type.String(), Type.Null()], { description: 'The month (YYYY-MM), the id (category, team, person, tag), the merchant\'s name, the kind, the currency code or the decline reason; null: none (no team, no category, no merchant)' }),
    label: Type.Union([Type.String(), Type.Null()], { description: 'Its name, where the key is an id' }),
    amount: Type.Ref('Money'),
    count: Type.Integer({ description: 'Expenses (or declined purchases) counted' }),
    original: Type.Union([Type.Ref('Money'), Type.Null()], { description: 'by=currency: the sum in that currency as paid' }),
  })),
}, { $id: 'AnalyticsSeries' });

const ComparedMonth = Type.Object({ month: Type.String({ description: 'YYYY-MM' }), amount: Type.Ref('Money'), count: Type.Integer() });
const ComparisonSchema = Type.Object({ currency: Type.String(), thisMonth: ComparedMonth, lastMonth: ComparedMonth, sameMonthLastYear: ComparedMonth }, { $id: 'AnalyticsComparison' });

const HomeSchema = Type.Object({
  currency: Type.String({ description: 'The company\'s currency, of every amount' }),
  today: Type.String({ description: 'Today in the company\'s calendar (YYYY-MM-DD), the last day of every window' }),
  balance: Type.Ref('Money'),
  available: Type.Ref('Money'),
  burn: Type.Array(Type.Object({
    windowDays: Type.Integer({ description: 'The trailing window, today included: 30 or 90 days' }),
    spent: Type.Ref('Money'),
    dailyAverage: Type.Ref('Money', { description: 'spent / windowDays, rounded down to the minor unit' }),
    runwayDays: Type.Union([Type.Integer(), Type.Null()], { description: 'Whole days the available balance lasts at this rate (rounded down); null when nothing was spent' }),
  })),
  spentThisMonth: Type.Object({ amount: Type.Ref('Money'), count: Type.Integer({ description: 'Expenses counted' }) }),
  pendingReviews: Type.Integer({ description: 'Expenses in review, of any date' }),
  missingReceipts: Type.Integer({ description: 'Expenses that count as spend and still miss their receipt, of any date' }),
  lowBalance: Type.Object({
    below: Type.Union([Type.Ref('Money'), Type.Null()], { description: 'The low-balance alert\'s threshold; null: none set' }),
    alertedAt: Type.Union([Type.String(), Type.Null()], { description: 'When the admins were last told' }),
    isLow: Type.Boolean({ description: 'The available balance is under the threshold now' }),
  }),
}, { $id: 'AnalyticsHome' });

function sendSeries(reply: FastifyReply, format: string | undefined, series: Series, name: string) {
  if (format === 'csv') return sendCsv(reply, `${name.replaceAll('_', '-')}.csv`, writeCsv(seriesCsvColumns(series), series.rows));
  return presentSeries(series, name);
}

function homeRoute(base: AppContext['app'], db: AppContext['database']['db'], tags: string[]): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(HomeSchema);
  app.get('/api/v1/analytics/home', {
    config: { access: 'analytics:read' },
    schema: {
      operationId: 'getAnalyticsHome',
      tags,
      summary: 'The admin\'s home figures: balance, runway at the burn rate of the last 30 and 90 days, spend this month, pending reviews, missing receipts and the low-balance state',
      response: { 200: Type.Ref('AnalyticsHome'), ...problemResponses },
    },
  }, async (request) => presentHome(await homeOverview(db, principalOf(request), request.now)));
}

export function analyticsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(SeriesSchema);
  app.addSchema(ComparisonSchema);
  const tags = ['Analytics'];
  const series = { 200: Type.Ref('AnalyticsSeries'), ...problemResponses };

  homeRoute(base, db, tags);

  app.get('/api/v1/analytics/spend', {
    config: { access: 'analytics:read' },
    schema: {
      operationId: 'getSpendSeries',
      tags,
      summary: 'Spend in the company\'s currency by month (every month of the period), or by category, team, person, merchant, tag, kind or original currency (largest first); format=csv downloads it',
      querystring: Type.Object({ by: Type.Optional(Type.String({ enum: [...spendDimensions], description: 'month (default)' })), ...PeriodFilters, ...PeopleFilters, ...BookFilters, ...SeriesOptions }, { additionalProperties: false }),
      response: series,
    },
  }, async (request, reply) => {
    const { by = 'month', format, limit, ...filters } = request.query;
    const found = await spendBy(db, principalOf(request), by as SpendDimension, { ...filters, limit: readSeriesLimit(limit) }, request.now);
    return sendSeries(reply, format, found, `spend_by_${by}`);
  });

  app.get('/api/v1/analytics/comparison', {
    config: { access: 'analytics:read' },
    schema: {
      operationId: 'getSpendComparison',
      tags,
      summary: 'Spend of a month (by default this one) against the month before and the same month a year earlier, with the same filters but the period; format=csv downloads it',
      querystring: Type.Object({ month: Type.Optional(Type.String({ maxLength: 7, description: 'YYYY-MM' })), ...PeopleFilters, ...BookFilters, format: FormatQuery }, { additionalProperties: false }),
      response: { 200: Type.Ref('AnalyticsComparison'), ...problemResponses },
    },
  }, async (request, reply) => {
    const { format, ...filters } = request.query;
    const comparison = await compareMonths(db, principalOf(request), filters, request.now);
    if (format === 'csv') return sendCsv(reply, 'spend-comparison.csv', writeCsv(comparisonCsvColumns, comparisonCsvRows(comparison)));
    return presentComparison(comparison);
  });

  app.get('/api/v1/analytics/declines', {
    config: { access: 'analytics:read' },
    schema: {
      operationId: 'getDeclinesByReason',
      tags,
      summary: 'Declined card purchases by reason (most first), with their amounts in the company\'s currency; categories and tags do not apply; format=csv downloads it',
      querystring: Type.Object({ ...PeriodFilters, ...PeopleFilters, ...SeriesOptions }, { additionalProperties: false }),
      response: series,
    },
  }, async (request, reply) => {
    const { format, limit, ...filters } = request.query;
    return sendSeries(reply, format, await declines(db, principalOf(request), { ...filters, limit: readSeriesLimit(limit) }, request.now), 'decline_reason');
  });

  app.get('/api/v1/analytics/missing-receipts', {
    config: { access: 'analytics:read' },
    schema: {
      operationId: 'getMissingReceiptsByPerson',
      tags,
      summary: 'Expenses still missing their receipt, by person (most first); format=csv downloads it',
      querystring: Type.Object({ ...PeriodFilters, ...PeopleFilters, ...BookFilters, ...SeriesOptions }, { additionalProperties: false }),
      response: series,
    },
  }, async (request, reply) => {
    const { format, limit, ...filters } = request.query;
    return sendSeries(reply, format, await missingReceipts(db, principalOf(request), { ...filters, limit: readSeriesLimit(limit) }, request.now), 'missing_receipts');
  });
}
