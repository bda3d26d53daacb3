// Card transactions as people see them: their own (pending, then settled) or, with
// transactions:read, everyone's, declines with their reasons included.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { sendCsv, writeCsv } from '../http/csv-download.js';
import { FlagQuery, FormatQuery, SortOrderQuery } from '../http/list-query.js';
import { IdParams, PageQuery, problemResponses, readPageSize } from '../http/schemas.js';
import { declineReasons } from './authorize.js';
import { cardTransactionSortKeys, merchantSearchLengthMax } from './card-transaction-search.js';
import { cardTransactionCsvColumns, CardTransactionListItemSchema, CardTransactionListSchema, presentCardTransactionListItem } from './card-transaction-search.presenters.js';
import { searchAllCardTransactions, searchCardTransactionPage } from './card-transaction-search.service.js';
import { CardRefundSchema, CardTransactionSchema, presentCardTransaction, ReceiptMismatchSchema } from './card-transactions.presenters.js';
import * as transactions from './card-transactions.service.js';

export function cardTransactionsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ReceiptMismatchSchema);
  app.addSchema(CardRefundSchema);
  app.addSchema(CardTransactionSchema);
  app.addSchema(CardTransactionListItemSchema);
  app.addSchema(CardTransactionListSchema);
  const tags = ['Card transactions'];

  app.get('/api/v1/card-transactions', {
    config: { access: 'signed-in' },
    schema: {
      operationId: 'listCardTransactions',
      tags,
      summary: 'Card transactions, newest first (or as sorted): your own, or the whole company\'s with transactions:read, declines with their reasons included; searched, filtered, paged with a total; format=csv downloads the whole filtered list',
      querystring: Type.Object({
        ...PageQuery.properties,
        cardId: Type.Optional(Type.String({ maxLength: 40 })),
        userId: Type.Optional(Type.String({ maxLength: 40, description: 'One cardholder\'s (with transactions:read; others always get their own)' })),
        teamId: Type.Optional(Type.String({ maxLength: 40, description: 'The cardholders of one team' })),
        state: Type.Optional(Type.String({ enum: ['declined', 'pending', 'settled', 'reversed', 'expired', 'refund_reversed'] })),
        kind: Type.Optional(Type.String({ enum: ['purchase', 'atm_withdrawal', 'refund', 'force_post'] })),
        declineReason: Type.Optional(Type.String({ enum: [...declineReasons] })),
        from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: 'On or after this calendar date in the company\'s time zone' })),
        to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: 'On or before this calendar date in the company\'s time zone' })),
        amountMin: Type.Optional(Type.String({ maxLength: 32, description: 'Decimal string in the wallet\'s currency (booked, or held while pending), included' })),
        amountMax: Type.Optional(Type.String({ maxLength: 32, description: 'Decimal string in the wallet\'s currency, included' })),
        missingReceipt: FlagQuery('true: only purchases that still want their receipt; false: the others'),
        q: Type.Optional(Type.String({ maxLength: merchantSearchLengthMax, description: 'Text in the merchant\'s or the cardholder\'s name (case-insensitive)' })),
        sort: Type.Optional(Type.String({ enum: [...cardTransactionSortKeys], description: 'occurredAt (default), amount, merchant or person' })),
        order: SortOrderQuery,
        format: FormatQuery,
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('CardTransactionList'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const { format, limit, ...query } = request.query;
    if (format === 'csv') {
      const found = await searchAllCardTransactions(db, principal, query);
      return sendCsv(reply, 'card-transactions.csv', writeCsv(cardTransactionCsvColumns(found.timeZone), found.rows));
    }
    const page = await searchCardTransactionPage(db, principal, query, readPageSize(limit));
    return { items: page.rows.map(presentCardTransactionListItem), nextCursor: page.nextCursor, total: page.total };
  });

  app.get('/api/v1/card-transactions/:id', {
    config: { access: 'signed-in' },
    schema: { operationId: 'getCardTransaction', tags, summary: 'One card transaction', params: IdParams, response: { 200: Type.Ref('CardTransaction'), ...problemResponses } },
  }, async (request) => presentCardTransaction(await transactions.getTransaction(db, principalOf(request), request.params.id)));
}
