// HTTP for what the books are kept with: expense settings, chart of accounts, tax codes,
// tags, per diem rates, team reviewers, closed periods, and each person's payee account.
// Everyone in the company reads them (to fill in their expenses); expenses:manage changes them.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { principalId } from '../auth/principal.js';
import { getCompany } from '../companies/companies.service.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, problemResponses } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { DomainError, notFound } from '../shared/errors.js';
import * as books from './books.service.js';
import { ratePercent } from './vat.js';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const list = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

const CategorySchema = Type.Object(
  { id: Type.String(), accountCode: Type.String(), name: Type.String(), allowedTeamIds: nullable(Type.Array(Type.String())), active: Type.Boolean() },
  { $id: 'ExpenseCategory' },
);
const TaxCodeSchema = Type.Object(
  {
    id: Type.String(),
    code: Type.String(),
    name: Type.String(),
    rate: Type.String({ description: 'Percent, e.g. "25"' }),
    deductible: Type.String({ description: 'Percent of the VAT that may be deducted' }),
    vatAccountCode: nullable(Type.String()),
    datevTaxKey: nullable(Type.Integer()),
    active: Type.Boolean(),
  },
  { $id: 'TaxCode' },
);
const TagGroupSchema = Type.Object(
  { id: Type.String(), name: Type.String(), tags: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), active: Type.Boolean() })) },
  { $id: 'TagGroup' },
);
const ExpenseSettingsSchema = Type.Object(
  {
    reviewThreshold: nullable(Type.Ref('Money')),
    mileageRate: Type.Ref('Money', { description: 'Per kilometre' }),
    walletAccountCode: Type.String(),
    payableAccountCode: Type.String(),
    debtor: nullable(Type.Object({ name: Type.String(), iban: Type.String(), bic: nullable(Type.String()) })),
    organisationNumber: nullable(Type.String()),
    datevConsultantNumber: nullable(Type.Integer()),
    datevClientNumber: nullable(Type.Integer()),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ExpenseSettings' },
);
const PerDiemRateSchema = Type.Object({ country: Type.String({ description: 'ISO 3166-1 alpha-2' }), dailyRate: Type.Ref('Money') }, { $id: 'PerDiemRate' });
const TeamReviewerSchema = Type.Object({ teamId: Type.String(), userId: Type.String() }, { $id: 'TeamReviewer' });
const ClosedPeriodSchema = Type.Object({ period: Type.String({ description: 'YYYY-MM' }), closedBy: Type.String(), closedAt: Type.String({ format: 'date-time' }) }, { $id: 'ClosedPeriod' });
const PayeeAccountSchema = Type.Object({ holderName: Type.String(), iban: Type.String(), bic: nullable(Type.String()), updatedAt: Type.String({ format: 'date-time' }) }, { $id: 'PayeeAccount' });

const presentCategory = (row: books.CategoryRow) => ({ id: row.id, accountCode: row.account_code, name: row.name, allowedTeamIds: row.allowed_team_ids, active: row.active });
const presentTaxCode = (row: books.TaxCodeRow) => ({
  id: row.id,
  code: row.code,
  name: row.name,
  rate: ratePercent(row.rate_bp),
  deductible: ratePercent(row.deductible_bp),
  vatAccountCode: row.vat_account_code,
  datevTaxKey: row.datev_tax_key,
  active: row.active,
});
const presentPayee = (row: books.PayeeAccountRow) => ({ holderName: row.holder_name, iban: row.iban, bic: row.bic, updatedAt: iso(row.updated_at) });

function presentSettings(row: books.ExpenseSettingsRow, currency: string) {
  return {
    reviewThreshold: row.review_threshold === null ? null : toMoneyJson(row.review_threshold, currency),
    mileageRate: toMoneyJson(row.mileage_rate, currency),
    walletAccountCode: row.wallet_account_code,
    payableAccountCode: row.payable_account_code,
    debtor: row.debtor_iban && row.debtor_name ? { name: row.debtor_name, iban: row.debtor_iban, bic: row.debtor_bic } : null,
    organisationNumber: row.organisation_number,
    datevConsultantNumber: row.datev_consultant_number,
    datevClientNumber: row.datev_client_number,
    updatedAt: iso(row.updated_at),
  };
}

const Name = (lengthMax: number) => Type.String({ maxLength: lengthMax });

export function booksRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  for (const schema of [CategorySchema, TaxCodeSchema, TagGroupSchema, ExpenseSettingsSchema, PerDiemRateSchema, TeamReviewerSchema, ClosedPeriodSchema, PayeeAccountSchema]) app.addSchema(schema);
  const tags = ['Books'];
  const companyOf = (request: Parameters<typeof principalOf>[0]) => principalOf(request).companyId;
  const settingsView = async (companyId: string) => presentSettings(await books.getExpenseSettings(db, companyId), (await getCompany(db, companyId)).currency);

  app.get('/api/v1/expense-settings', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getExpenseSettings', tags, summary: 'Review threshold, mileage rate, the books\' account codes and the account reimbursements are paid from', response: { 200: Type.Ref('ExpenseSettings'), ...problemResponses } },
  }, async (request) => settingsView(companyOf(request)));

  app.patch('/api/v1/expense-settings', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'updateExpenseSettings',
      tags,
      summary: 'Change the expense settings',
      body: Type.Object({
        reviewThreshold: Type.Optional(nullable(Name(32))),
        mileageRate: Type.Optional(Name(32)),
        walletAccountCode: Type.Optional(Name(10)),
        payableAccountCode: Type.Optional(Name(10)),
        debtor: Type.Optional(nullable(Type.Object({ name: Name(70), iban: Name(42), bic: Type.Optional(nullable(Name(11))) }, { additionalProperties: false }))),
        organisationNumber: Type.Optional(nullable(Name(20))),
        datevConsultantNumber: Type.Optional(nullable(Type.Integer({ minimum: 1000, maximum: 9999999 }))),
        datevClientNumber: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 99999 }))),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('ExpenseSettings'), ...problemResponses },
    },
  }, async (request) => {
    await books.updateExpenseSettings(db, companyOf(request), request.body);
    return settingsView(companyOf(request));
  });

  app.get('/api/v1/expense-categories', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listExpenseCategories', tags, summary: 'The chart of accounts expenses are categorised with', response: { 200: list(Type.Ref('ExpenseCategory')), ...problemResponses } },
  }, async (request) => ({ items: (await books.listCategories(db, companyOf(request))).map(presentCategory) }));

  app.post('/api/v1/expense-categories', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'createExpenseCategory',
      tags,
      summary: 'Add an account to the chart',
      body: Type.Object({ accountCode: Name(10), name: Name(100), allowedTeamIds: Type.Optional(nullable(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 100 }))) }, { additionalProperties: false }),
      response: { 201: Type.Ref('ExpenseCategory'), ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(presentCategory(await books.createCategory(db, companyOf(request), request.body))));

  app.patch('/api/v1/expense-categories/:id', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'updateExpenseCategory',
      tags,
      summary: 'Rename, limit to teams, or retire an account of the chart',
      params: IdParams,
      body: Type.Object({ name: Type.Optional(Name(100)), allowedTeamIds: Type.Optional(nullable(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 100 }))), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: Type.Ref('ExpenseCategory'), ...problemResponses },
    },
  }, async (request) => presentCategory(await books.updateCategory(db, companyOf(request), request.params.id, request.body)));

  app.get('/api/v1/tax-codes', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listTaxCodes', tags, summary: 'VAT codes with rate and deductible share', response: { 200: list(Type.Ref('TaxCode')), ...problemResponses } },
  }, async (request) => ({ items: (await books.listTaxCodes(db, companyOf(request))).map(presentTaxCode) }));

  app.post('/api/v1/tax-codes', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'createTaxCode',
      tags,
      summary: 'Add a tax code (never changed afterwards, only retired)',
      body: Type.Object({
        code: Name(20),
        name: Name(100),
        rate: Name(6),
        deductible: Type.Optional(Name(6)),
        vatAccountCode: Type.Optional(nullable(Name(10))),
        datevTaxKey: Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: 9999 }))),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('TaxCode'), ...problemResponses },
    },
  }, async (request, reply) => reply.status(201).send(presentTaxCode(await books.createTaxCode(db, companyOf(request), request.body))));

  app.patch('/api/v1/tax-codes/:id', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'updateTaxCode', tags, summary: 'Retire or restore a tax code', params: IdParams, body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }), response: { 200: Type.Ref('TaxCode'), ...problemResponses } },
  }, async (request) => presentTaxCode(await books.setTaxCodeActive(db, companyOf(request), request.params.id, request.body.active)));

  app.get('/api/v1/tag-groups', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listTagGroups', tags, summary: 'Tag groups (project, cost centre, ...) with their tags', response: { 200: list(Type.Ref('TagGroup')), ...problemResponses } },
  }, async (request) => ({
    items: (await books.listTagGroupsWithTags(db, companyOf(request))).map(({ group, tags: groupTags }) => ({ id: group.id, name: group.name, tags: groupTags.map((tag) => ({ id: tag.id, name: tag.name, active: tag.active })) })),
  }));

  app.post('/api/v1/tag-groups', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'createTagGroup', tags, summary: 'Add a tag group', body: Type.Object({ name: Name(60) }, { additionalProperties: false }), response: { 201: Type.Ref('TagGroup'), ...problemResponses } },
  }, async (request, reply) => {
    const group = await books.createTagGroup(db, companyOf(request), request.body.name);
    return reply.status(201).send({ id: group.id, name: group.name, tags: [] });
  });

  app.post('/api/v1/tag-groups/:id/tags', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'createTag',
      tags,
      summary: 'Add a tag to a group',
      params: IdParams,
      body: Type.Object({ name: Name(60) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.String(), groupId: Type.String(), name: Type.String(), active: Type.Boolean() }), ...problemResponses },
    },
  }, async (request, reply) => {
    const tag = await books.createTag(db, companyOf(request), request.params.id, request.body.name);
    return reply.status(201).send({ id: tag.id, groupId: tag.group_id, name: tag.name, active: tag.active });
  });

  app.patch('/api/v1/tags/:id', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'updateTag',
      tags,
      summary: 'Retire or restore a tag',
      params: IdParams,
      body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Type.String(), groupId: Type.String(), name: Type.String(), active: Type.Boolean() }), ...problemResponses },
    },
  }, async (request) => {
    const tag = await books.setTagActive(db, companyOf(request), request.params.id, request.body.active);
    return { id: tag.id, groupId: tag.group_id, name: tag.name, active: tag.active };
  });

  app.get('/api/v1/per-diem-rates', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listPerDiemRates', tags, summary: 'Daily allowances by country', response: { 200: list(Type.Ref('PerDiemRate')), ...problemResponses } },
  }, async (request) => {
    const companyId = companyOf(request);
    const currency = (await getCompany(db, companyId)).currency;
    return { items: (await books.listPerDiemRates(db, companyId)).map((row) => ({ country: row.country, dailyRate: toMoneyJson(row.daily_rate, currency) })) };
  });

  const CountryParams = Type.Object({ country: Type.String({ maxLength: 2 }) });
  app.put('/api/v1/per-diem-rates/:country', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'setPerDiemRate', tags, summary: 'Set a country\'s daily allowance', params: CountryParams, body: Type.Object({ dailyRate: Name(32) }, { additionalProperties: false }), response: { 200: Type.Ref('PerDiemRate'), ...problemResponses } },
  }, async (request) => {
    const companyId = companyOf(request);
    const row = await books.setPerDiemRate(db, companyId, request.params.country, request.body.dailyRate);
    return { country: row.country, dailyRate: toMoneyJson(row.daily_rate, (await getCompany(db, companyId)).currency) };
  });

  app.delete('/api/v1/per-diem-rates/:country', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'deletePerDiemRate', tags, summary: 'Remove a country\'s daily allowance', params: CountryParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await books.removePerDiemRate(db, companyOf(request), request.params.country);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/team-reviewers', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listTeamReviewers', tags, summary: 'Who reviews each team\'s expenses (a team without: any reviewer)', response: { 200: list(Type.Ref('TeamReviewer')), ...problemResponses } },
  }, async (request) => ({ items: (await books.listTeamReviewers(db, companyOf(request))).map((row) => ({ teamId: row.team_id, userId: row.user_id })) }));

  app.put('/api/v1/team-reviewers/:id', {
    config: { access: 'expenses:manage' },
    schema: {
      operationId: 'setTeamReviewers',
      tags,
      summary: 'Set the reviewers of a team (the id is the team\'s)',
      params: IdParams,
      body: Type.Object({ userIds: Type.Array(Type.String({ maxLength: 40 }), { maxItems: books.reviewersPerTeamMax }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ teamId: Type.String(), userIds: Type.Array(Type.String()) }), ...problemResponses },
    },
  }, async (request) => ({ teamId: request.params.id, userIds: await books.setTeamReviewers(db, companyOf(request), request.params.id, request.body.userIds) }));

  app.get('/api/v1/closed-periods', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listClosedPeriods', tags, summary: 'Months closed by the bookkeepers, newest first', response: { 200: list(Type.Ref('ClosedPeriod')), ...problemResponses } },
  }, async (request) => ({ items: (await books.listClosedPeriods(db, companyOf(request))).map((row) => ({ period: row.period, closedBy: row.closed_by, closedAt: iso(row.closed_at) })) }));

  app.post('/api/v1/closed-periods', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'closePeriod', tags, summary: 'Close a month: its expenses can no longer change', body: Type.Object({ period: Type.String({ maxLength: 7, description: 'YYYY-MM' }) }, { additionalProperties: false }), response: { 201: Type.Ref('ClosedPeriod'), ...problemResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    await books.closePeriod(db, principal.companyId, request.body.period, principalId(principal));
    const closed = (await books.listClosedPeriods(db, principal.companyId)).find((row) => row.period === request.body.period);
    if (!closed) throw notFound('closed period');
    return reply.status(201).send({ period: closed.period, closedBy: closed.closed_by, closedAt: iso(closed.closed_at) });
  });

  app.delete('/api/v1/closed-periods/:period', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'reopenPeriod', tags, summary: 'Reopen a closed month', params: Type.Object({ period: Type.String({ maxLength: 7 }) }), response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await books.reopenPeriod(db, companyOf(request), request.params.period);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/payee-account', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getPayeeAccount', tags, summary: 'The bank account your reimbursements are paid to', response: { 200: Type.Ref('PayeeAccount'), ...problemResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'payee accounts belong to people');
    const row = await books.findPayeeAccount(db, principal.companyId, principal.userId);
    if (!row) throw notFound('payee account');
    return presentPayee(row);
  });

  app.put('/api/v1/payee-account', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'setPayeeAccount',
      tags,
      summary: 'Set the bank account your reimbursements are paid to (IBAN checked)',
      body: Type.Object({ holderName: Name(70), iban: Name(42), bic: Type.Optional(nullable(Name(11))) }, { additionalProperties: false }),
      response: { 200: Type.Ref('PayeeAccount'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'payee accounts belong to people');
    return presentPayee(await books.setPayeeAccount(db, principal.companyId, principal.userId, request.body));
  });
}
