import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { problemResponses } from '../http/schemas.js';
import { CompanySchema, presentCompany } from './companies.presenters.js';
import * as companies from './companies.service.js';

export function companiesRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(CompanySchema);
  app.get('/api/v1/company', {
    config: { access: 'company:read' },
    schema: { operationId: 'getCompany', tags: ['Company'], summary: 'The caller\'s company', response: { 200: Type.Ref('Company'), ...problemResponses } },
  }, async (request) => presentCompany(await companies.getCompany(db, principalOf(request).companyId)));
}
