// Card transactions as people see them: their own (pending, then settled) or, with
// transactions:read, everyone's, declines with their reasons included.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { IdParams, iso, Page, PageQuery, problemResponses, readPageQuery, toPage } from '../http/schemas.js';
import { toMoneyJson } from '../money/money.js';
import * as transactions from './card-transactions.service.js';
import { periods } from './spend-controls.js';

const CardTransactionSchema = Type.Object(
  {
    id: Type.String(),
    cardId: Type.String(),
    userId: Type.String(),
    kind: Type.String({ enum: ['purchase', 'atm_withdrawal', 'refund', 'force_post'] }),
    state: Type.String({ enum: ['declined', 'pending', 'settled', 'reversed', 'expired', 'refund_reversed'] }),
    declineReason: Type.Union([Type.String(), Type.Null()]),
    declinePeriod: Type.Union([Type.String({ enum: [...periods] }), Type.Null()], { description: 'The limit\'s period when declineReason is over_period_limit' }),
    merchant: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.String(), mcc: Type.String(), country: Type.String() }),
    channel: Type.String(),
    merchantAmount: Type.Ref('Money', { description: 'In the merchant\'s currency' }),
    walletAmount: Type.Ref('Money', { description: 'In the wallet\'s currency: held while pending, booked once settled' }),
    fxRate: Type.Union([Type.String(), Type.Null()]),
    shortfall: Type.Union([Type.Ref('Money'), Type.Null()], { description: 'How far a forced booking took the wallet below zero' }),
    occurredAt: Type.String({ format: 'date-time' }),
    settledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    receipt: Type.Object(
      {
        state: Type.String({ enum: ['attached', 'lost', 'missing', 'not_required'] }),
        receiptId: Type.Union([Type.String(), Type.Null()]),
        lostNote: Type.Union([Type.String(), Type.Null()]),
      },
      { description: 'missing: the purchase still needs its receipt; not_required: declined, reversed, refunds, ATM, or under the company\'s receipt threshold' },
    ),
  },
  { $id: 'CardTransaction' },
);

export function presentCardTransaction(row: transactions.CardTransactionWithReceipt) {
  const booked = row.settled_amount ?? row.wallet_amount;
  return {
    id: row.id,
    cardId: row.card_id,
    userId: row.user_id,
    kind: row.kind,
    state: row.state,
    declineReason: row.decline_reason,
    declinePeriod: row.decline_period,
    merchant: { id: row.merchant_id, name: row.merchant_name, mcc: row.mcc, country: row.merchant_country },
    channel: row.channel,
    merchantAmount: toMoneyJson(row.settled_merchant_amount ?? row.merchant_amount, row.merchant_currency),
    walletAmount: toMoneyJson(booked, row.wallet_currency),
    fxRate: row.fx_rate,
    shortfall: row.shortfall > 0n ? toMoneyJson(row.shortfall, row.wallet_currency) : null,
    occurredAt: iso(row.occurred_at),
    settledAt: row.settled_at ? iso(row.settled_at) : null,
    receipt: { state: row.receipt_state, receiptId: row.receipt_id, lostNote: row.lost_note },
  };
}

export function cardTransactionsRoutes({ app: base, database: { db } }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
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
