// The demo company's webhook receiver: a route of the server itself that its demo endpoint
// posts to, so the delivery log of a fresh `npm start` holds deliveries that really went over
// HTTP and were checked. It exists only in demo mode and never in production (the route is not
// registered there), and it accepts a message only when its Standard Webhooks signature checks
// out under the endpoint's own secret.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { fieldKeysOf } from '../config/config.js';
import type { AppContext } from '../http/context.js';
import { DomainError } from '../shared/errors.js';
import { demoReceiverPath, payloadCharsMax, verifyWebhookMessage } from './webhooks.service.js';

export function demoWebhookReceiverRoutes({ app: base, database: { db }, config }: AppContext): void {
  if (!config.demo || config.production) return;
  const keys = fieldKeysOf(config);
  void base.register(async (scope: FastifyInstance) => {
    // The signature covers the exact bytes sent, so the body stays text.
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: payloadCharsMax * 4 }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<TypeBoxTypeProvider>().post(`${demoReceiverPath}/:companyId/:endpointId`, {
      config: { access: 'public', idempotent: false },
      schema: { hide: true, params: Type.Object({ companyId: Type.String({ maxLength: 40 }), endpointId: Type.String({ maxLength: 40 }) }) },
    }, async (request, reply) => {
      const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, String(request.headers[name] ?? '')]));
      const verified = await verifyWebhookMessage(db, keys, request.params.companyId, request.params.endpointId, String(request.body ?? ''), headers, request.now);
      if (!verified) throw new DomainError('signature_invalid', 'the message is not signed by this endpoint\'s secret');
      return reply.status(204).send();
    });
  });
}
