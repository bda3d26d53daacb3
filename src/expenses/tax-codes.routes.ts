// HTTP for tax codes: everyone reads them, expenses:manage adds and retires them.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, problemResponses } from '../http/schemas.js';
import { booksTags as tags, list, Name, nullable } from './books.schemas.js';
import { createTaxCode, listTaxCodes, setTaxCodeActive, type TaxCodeRow } from './tax-codes.service.js';
import { ratePercent } from './vat.js';

export const TaxCodeSchema = Type.Object(
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

const NewTaxCode = Type.Object({
  code: Name(20),
  name: Name(100),
  rate: Name(6),
  deductible: Type.Optional(Name(6)),
  vatAccountCode: Type.Optional(nullable(Name(10))),
  datevTaxKey: Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: 9999 }))),
}, { additionalProperties: false });

const presentTaxCode = (row: TaxCodeRow) => ({
  id: row.id,
  code: row.code,
  name: row.name,
  rate: ratePercent(row.rate_bp),
  deductible: ratePercent(row.deductible_bp),
  vatAccountCode: row.vat_account_code,
  datevTaxKey: row.datev_tax_key,
  active: row.active,
});

export function taxCodesRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/tax-codes', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listTaxCodes', tags, summary: 'VAT codes with rate and deductible share', response: { 200: list(Type.Ref('TaxCode')), ...problemResponses } },
  }, async (request) => ({ items: (await listTaxCodes(db, principalOf(request).companyId)).map(presentTaxCode) }));

  app.post('/api/v1/tax-codes', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'createTaxCode', tags, summary: 'Add a tax code (never changed afterwards, only retired)', body: NewTaxCode, response: { 201: Type.Ref('TaxCode'), ...problemResponses } },
  }, async (request, reply) => reply.status(201).send(presentTaxCode(await createTaxCode(db, principalOf(request).companyId, request.body))));

  app.patch('/api/v1/tax-codes/:id', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'updateTaxCode', tags, summary: 'Retire or restore a tax code', params: IdParams, body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }), response: { 200: Type.Ref('TaxCode'), ...problemResponses } },
  }, async (request) => presentTaxCode(await setTaxCodeActive(db, principalOf(request).companyId, request.params.id, request.body.active)));
}
