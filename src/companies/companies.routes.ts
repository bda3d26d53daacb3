import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { iso, problemResponses } from '../http/schemas.js';
import * as companies from './companies.service.js';

const CompanySchema = Type.Object(
  { id: Type.String(), name: Type.String(), currency: Type.String(), timeZone: Type.String(), createdAt: Type.String({ format: 'date-time' }) },
  { $id: 'Company' },
);

export function presentCompany(row: companies.CompanyRow) {
  return { id: row.id, name: row.name, currency: row.currency, timeZone: row.time_zone, createdAt: iso(row.created_at) };
}

export function companiesRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(CompanySchema);
  app.get('/api/v1/company', {
    config: { access: 'company:read' },
    schema: { operationId: 'getCompany', tags: ['Company'], summary: 'The caller\'s company', response: { 200: Type.Ref('Company'), ...problemResponses } },
  }, async (request) => presentCompany(await companies.getCompany(db, principalOf(request).companyId)));
}
