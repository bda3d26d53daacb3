// HTTP for the top-up account's suspense queue (bank:operate): credits waiting for an
// operator, given to a company or marked for return, and the companies to choose from.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import { IdParams, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import type { Db } from '../db/database.js';
import { presentEntry } from './bank.presenters.js';
import { listCompaniesWithReferences } from './payment-references.service.js';
import { assignSuspense, listSuspense, returnSuspense } from './suspense.service.js';


export function suspenseRoutes(base: FastifyInstance, db: Db, tags: string[]): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/bank/suspense', {
    config: { access: 'bank:operate' },
    schema: { operationId: 'listSuspenseEntries', tags, summary: 'Credits no company\'s reference names, waiting for an operator', querystring: PageQuery, response: { 200: Page(Type.Ref('BankEntry')), ...problemResponses } },
  }, async (request) => {
    const page = readPageQuery(request.query);
    return toPage(await listSuspense(db, principalOf(request), { before: page.before, limit: page.limit + 1 }), page, presentEntry);
  });

  app.post('/api/v1/bank/entries/:id/assign', {
    config: { access: 'bank:operate' },
    schema: {
      operationId: 'assignBankEntry',
      tags,
      summary: 'Give a credit in suspense to the company it was meant for, as its top-up',
      params: IdParams,
      body: Type.Object({ companyId: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('BankEntry'), ...problemResponses },
    },
  }, async (request) => presentEntry(await assignSuspense(db, principalOf(request), request.params.id, request.body.companyId, request.now)));

  app.post('/api/v1/bank/entries/:id/return', {
    config: { access: 'bank:operate' },
    schema: {
      operationId: 'returnBankEntry',
      tags,
      summary: 'Mark a credit in suspense for return to its sender',
      params: IdParams,
      body: Type.Object({ note: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref('BankEntry'), ...problemResponses },
    },
  }, async (request) => presentEntry(await returnSuspense(db, principalOf(request), request.params.id, request.body.note, request.now)));

  app.get('/api/v1/bank/companies', {
    config: { access: 'bank:operate' },
    schema: {
      operationId: 'listBankCompanies',
      tags,
      summary: 'The companies an operator can assign a transfer to, with their payment references',
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('BankCompany')) }), ...problemResponses },
    },
  }, async (request) => ({ items: await listCompaniesWithReferences(db, principalOf(request)) }));
}
