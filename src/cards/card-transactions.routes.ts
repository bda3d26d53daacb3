// Card transactions as people see them: their own (pending, then settled) or, with
// transactions:read, everyone's, declines with their reasons included.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { CardRefundSchema, CardTransactionSchema, presentCardTransaction, ReceiptMismatchSchema } from './card-transactions.presenters.js';
import * as transactions from './card-transactions.service.js';

export function cardTransactionsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ReceiptMismatchSchema);
  app.addSchema(CardRefundSchema);
  app.addSchema(CardTransactionSchema);
  const tags = ['Card transactions'];

  app.get('/api/v1/card-transactions', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listCardTransactions',
      tags,
      summary: 'Card transactions, newest first: your own, or everyone\'s with transactions:read',
      querystring: Type.Object({
        ...PageQuery.properties,
        cardId: Type.Optional(Type.String({ maxLength: 40 })),
        userId: Type.Optional(Type.String({ maxLength: 40 })),
        state: Type.Optional(Type.String({ enum: ['declined', 'pending', 'settled', 'reversed', 'expired', 'refund_reversed'] })),
      }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('CardTransaction')), ...problemResponses },
    },
  }, async (request) => {
    const page = readPageQuery(request.query);
    const rows = await transactions.listTransactions(db, principalOf(request), {
      userId: request.query.userId,
      cardId: request.query.cardId,
      state: request.query.state,
      before: page.before,
      limit: page.limit + 1,
    });
    return toPage(rows, page, presentCardTransaction);
  });

  app.get('/api/v1/card-transactions/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getCardTransaction', tags, summary: 'One card transaction', params: IdParams, response: { 200: Type.Ref('CardTransaction'), ...problemResponses } },
  }, async (request) => presentCardTransaction(await transactions.getTransaction(db, principalOf(request), request.params.id)));
}
