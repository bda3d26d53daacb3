// The admin's purchase simulator over HTTP. Off in production unless OUTLAY_SIMULATOR=1;
// where on, the `simulator` feature flag decides for each company.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { merchantOf, MerchantSchema, presentAuthorization, presentNetworkEvent } from '../cards/processor.presenters.js';
import { channels } from '../cards/spend-controls.js';
import type { Principal } from '../auth/principal.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { problemResponses } from '../http/schemas.js';
import { simulateEvent, simulatePurchase, type SimulatorCaller } from './simulator.service.js';

const callerOf = (principal: Principal): SimulatorCaller =>
  principal.kind === 'user' ? { companyId: principal.companyId, personId: principal.userId, roles: principal.roles } : { companyId: principal.companyId };

export function simulatorRoutes({ app: base, database: { db }, config }: AppContext): void {
  if (!config.simulatorEnabled) return;
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Simulator'];

  app.post('/api/v1/simulator/purchases', {
    config: { access: 'cards:manage' },
    schema: {
      operationId: 'simulatePurchase',
      tags,
      summary: 'Play a card purchase through the real authorization engine (demos; off in production)',
      body: Type.Object({
        cardId: Type.String({ maxLength: 40 }),
        amount: Type.String({ maxLength: 32 }),
        currency: Type.String({ maxLength: 3 }),
        merchant: MerchantSchema,
        channel: Type.Union(channels.map((channel) => Type.Literal(channel))),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('CardDecision'), ...problemResponses },
    },
  }, async (request) => {
    const { merchant, ...rest } = request.body;
    const outcome = await simulatePurchase(db, callerOf(principalOf(request)), { ...rest, merchant: merchantOf(merchant) }, request.now);
    return presentAuthorization(outcome);
  });

  app.post('/api/v1/simulator/events', {
    config: { access: 'cards:manage' },
    schema: {
      operationId: 'simulateCardEvent',
      tags,
      summary: 'Clear, reverse, refund or expire a card transaction as the network would',
      body: Type.Object({
        transactionId: Type.String({ maxLength: 40 }),
        type: Type.Union([Type.Literal('clearing'), Type.Literal('reversal'), Type.Literal('refund'), Type.Literal('expiry')]),
        amount: Type.Optional(Type.String({ maxLength: 32 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('CardDecision'), ...problemResponses },
    },
  }, async (request) => {
    const outcome = await simulateEvent(db, callerOf(principalOf(request)), request.body, request.now);
    return presentNetworkEvent(outcome);
  });
}
