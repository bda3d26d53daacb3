import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { problemResponses } from '../http/schemas.js';
import { CompanySchema, presentCompany } from './companies.presenters.js';
import { companyLocales } from './company-locale.js';

const CompanyPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    timeZone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone, e.g. Europe/Copenhagen' })),
    locale: Type.Optional(Type.String({ maxLength: 10, description: `BCP 47, one of ${companyLocales.join(', ')}` })),
    requireMfaForAdmins: Type.Optional(Type.Boolean({ description: 'Admins and bookkeepers must sign in with a second factor; until they enrol, their session may only enrol' })),
  },
  { additionalProperties: false },
);
import * as companies from './companies.service.js';

export function companiesRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(CompanySchema);
  app.get('/api/v1/company', {
    config: { access: 'company:read' },
    schema: { operationId: 'getCompany', tags: ['Company'], summary: 'The caller\'s company', response: { 200: Type.Ref('Company'), ...problemResponses } },
  }, async (request) => presentCompany(await companies.getCompany(db, principalOf(request).companyId)));

  // Card defaults (/api/v1/card-settings), receipt rules (/api/v1/receipt-settings) and review
  // rules (/api/v1/review-rules) stay with the modules that apply them.
  app.patch('/api/v1/company', {
    config: { access: 'company:manage' },
    schema: {
      operationId: 'updateCompany',
      tags: ['Company'],
      summary: 'Change the company\'s name, time zone, locale or second-factor rule (audited as company.updated)',
      body: CompanyPatch,
      response: { 200: Type.Ref('Company'), ...problemResponses },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return presentCompany(await companies.updateCompanySettings(db, principal.companyId, actorOf(principal), request.body));
  });
}
