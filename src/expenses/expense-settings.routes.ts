// HTTP for the company's expense settings: everyone reads them, expenses:manage changes them.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { iso, problemResponses } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { booksTags as tags, Name, nullable } from './books.schemas.js';
import { expenseSettingsOf, updateExpenseSettings, type ExpenseSettingsView } from './expense-settings.service.js';

export const ExpenseSettingsSchema = Type.Object(
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

const ExpenseSettingsPatch = Type.Object({
  reviewThreshold: Type.Optional(nullable(Name(32))),
  mileageRate: Type.Optional(Name(32)),
  walletAccountCode: Type.Optional(Name(10)),
  payableAccountCode: Type.Optional(Name(10)),
  debtor: Type.Optional(nullable(Type.Object({ name: Name(70), iban: Name(42), bic: Type.Optional(nullable(Name(11))) }, { additionalProperties: false }))),
  organisationNumber: Type.Optional(nullable(Name(20))),
  datevConsultantNumber: Type.Optional(nullable(Type.Integer({ minimum: 1000, maximum: 9999999 }))),
  datevClientNumber: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 99999 }))),
}, { additionalProperties: false });

function presentSettings({ settings: row, currency }: ExpenseSettingsView) {
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

export function expenseSettingsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/expense-settings', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getExpenseSettings', tags, summary: 'Review threshold, mileage rate, the books\' account codes and the account reimbursements are paid from', response: { 200: Type.Ref('ExpenseSettings'), ...problemResponses } },
  }, async (request) => presentSettings(await expenseSettingsOf(db, principalOf(request).companyId)));

  app.patch('/api/v1/expense-settings', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'updateExpenseSettings', tags, summary: 'Change the expense settings', body: ExpenseSettingsPatch, response: { 200: Type.Ref('ExpenseSettings'), ...problemResponses } },
  }, async (request) => presentSettings(await updateExpenseSettings(db, principalOf(request).companyId, request.body)));
}
