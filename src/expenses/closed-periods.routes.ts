// HTTP for closed periods: everyone sees which months are closed, expenses:manage closes and
// reopens them.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalId } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { iso, problemResponses } from '../http/schemas.js';
import { booksTags as tags, list } from './books.schemas.js';
import { closePeriod, listClosedPeriods, reopenPeriod, type ClosedPeriodRow } from './closed-periods.service.js';

export const ClosedPeriodSchema = Type.Object({ period: Type.String({ description: 'YYYY-MM' }), closedBy: Type.String(), closedAt: Type.String({ format: 'date-time' }) }, { $id: 'ClosedPeriod' });

const presentClosedPeriod = (row: ClosedPeriodRow) => ({ period: row.period, closedBy: row.closed_by, closedAt: iso(row.closed_at) });

export function closedPeriodsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/closed-periods', {
    config: { access: 'signed-in' },
    schema: { operationId: 'listClosedPeriods', tags, summary: 'Months closed by the bookkeepers, newest first', response: { 200: list(Type.Ref('ClosedPeriod')), ...problemResponses } },
  }, async (request) => ({ items: (await listClosedPeriods(db, principalOf(request).companyId)).map(presentClosedPeriod) }));

  app.post('/api/v1/closed-periods', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'closePeriod', tags, summary: 'Close a month: its expenses can no longer change', body: Type.Object({ period: Type.String({ maxLength: 7, description: 'YYYY-MM' }) }, { additionalProperties: false }), response: { 201: Type.Ref('ClosedPeriod'), ...problemResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    return reply.status(201).send(presentClosedPeriod(await closePeriod(db, principal.companyId, request.body.period, principalId(principal))));
  });

  app.delete('/api/v1/closed-periods/:period', {
    config: { access: 'expenses:manage' },
    schema: { operationId: 'reopenPeriod', tags, summary: 'Reopen a closed month', params: Type.Object({ period: Type.String({ maxLength: 7 }) }), response: { 204: Type.Null(), ...problemResponses } },
  }, async (request, reply) => {
    await reopenPeriod(db, principalOf(request).companyId, request.params.period);
    return reply.status(204).send(null);
  });
}
