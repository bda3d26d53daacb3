// HTTP for per diem rates: everyone reads them, expenses:manage sets and removes them.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { problemResponses } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import { booksTags as tags, list, Name } from './books.schemas.js';
import { listPerDiemRates, removePerDiemRate, setPerDiemRate, type PerDiemRateRow } from './per-diem-rates.service.js';

export const PerDiemRateSchema = Type.Object({ country: Type.String({ description: 'ISO 3166-1 alpha-2' }), dailyRate: Type.Ref('Money') }, { $id: 'PerDiemRate' });
const CountryParams = Type.Object({ country: Type.String({ maxLength: 2 }) });

const presentRate = (row: PerDiemRateRow, currency: string) => ({ country: row.country, dailyRate: toMoneyJson(row.daily_rate, currency) });

export function perDiemRatesRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/per-diem-rates', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listPerDiemRates', tags, summary: 'Daily allowances by country', response: { 200: list(Type.Ref('PerDiemRate')), ...problemResponses } },
  }, async (request) => {
    const { rates, currency } = await listPerDiemRates(db, principalOf(request).companyId);
    return { items: rates.map((row) => presentRate(row, currency)) };
  });

  app.put('/api/v1/per-diem-rates/:country', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'setPerDiemRate', tags, summary: 'Set a country\'s daily allowance', params: CountryParams, body: Type.Object({ dailyRate: Name(32) }, { additionalProperties: false }), response: { 200: Type.Ref('PerDiemRate'), ...problemResponses } },
  }, async (request) => {
    const { rate, currency } = await setPerDiemRate(db, principalOf(request).companyId, request.params.country, request.body.dailyRate);
    return presentRate(rate, currency);
  });

  app.delete('/api/v1/per-diem-rates/:country', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'deletePerDiemRate', tags, summary: 'Remove a country\'s daily allowance', params: CountryParams, response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await removePerDiemRate(db, principalOf(request).companyId, request.params.country);
    return reply.status(204).send(null);
  });
}
