// Subscriptions found in card history: the list (JSON or CSV) for those who see everyone's
// transactions, and a card of its own for a subscription, for those who issue cards.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { actorOf } from '../auth/principal.js';
import { presentCard } from '../cards/cards.presenters.js';
import { fieldKeysOf } from '../config/config.js';
import { principalOf } from '../http/authenticate.js';
import type { AppContext } from '../http/context.js';
import { sendCsv, writeCsv, type CsvColumn } from '../http/csv-download.js';
import { FormatQuery } from '../http/list-query.js';
import { problemResponses } from '../http/schemas.js';
import { formatAmount } from '../money/money.js';
import { cadences, subscriptionStates } from './subscription-detection.js';
import { issueSubscriptionCard, listSubscriptions, type ListedSubscription } from './subscriptions.service.js';

const Money = (description: string) => Type.Ref('Money', { description });

const SubscriptionSchema = Type.Object({
  key: Type.String({ description: 'Stable id of the subscription: the same person and merchant give the same key' }),
  merchantName: Type.String(),
  merchantId: Type.Union([Type.String(), Type.Null()]),
  mcc: Type.String(),
  userId: Type.String(),
  personName: Type.String(),
  cardId: Type.String({ description: 'The card of the last charge' }),
  ownCardId: Type.Union([Type.String(), Type.Null()], { description: 'The vendor card of the same person locked to this merchant, if there is one' }),
  cadence: Type.String({ enum: [...cadences] }),
  charges: Type.Integer({ description: 'Charges in the latest unbroken run' }),
  firstDay: Type.String({ format: 'date' }),
  lastDay: Type.String({ format: 'date' }),
  lastTransactionId: Type.String(),
  lastAmount: Money('The last charge, in the wallet\'s currency'),
  usualAmount: Money('The median of the charges before the last'),
  nextExpectedOn: Type.String({ format: 'date' }),
  yearlyCost: Money('A year of it at the last charge'),
  state: Type.String({ enum: [...subscriptionStates], description: 'active; late: the expected charge is past due; lapsed: two charges did not come' }),
  increased: Type.Boolean({ description: 'The last charge came in above the usual amount' }),
}, { $id: 'Subscription', additionalProperties: false });

const SubscriptionListSchema = Type.Object({
  items: Type.Array(Type.Ref('Subscription')),
  yearlyTotal: Type.Array(Money('What the subscriptions not lapsed cost a year, one figure per currency')),
}, { $id: 'SubscriptionList', additionalProperties: false });

function present(subscription: ListedSubscription): Static<typeof SubscriptionSchema> {
  const money = (amount: bigint) => ({ amount: formatAmount(amount, subscription.currency), currency: subscription.currency });
  return {
    key: subscription.key,
    merchantName: subscription.merchantName,
    merchantId: subscription.merchantId,
    mcc: subscription.mcc,
    userId: subscription.userId,
    personName: subscription.personName,
    cardId: subscription.cardId,
    ownCardId: subscription.ownCardId,
    cadence: subscription.cadence,
    charges: subscription.charges,
    firstDay: subscription.firstDay,
    lastDay: subscription.lastDay,
    lastTransactionId: subscription.lastTransactionId,
    lastAmount: money(subscription.lastAmount),
    usualAmount: money(subscription.usualAmount),
    nextExpectedOn: subscription.nextExpectedOn,
    yearlyCost: money(subscription.yearlyCost),
    state: subscription.state,
    increased: subscription.increased,
  };
}

/** What the subscriptions still running cost a year, per currency. */
function yearlyTotals(subscriptions: readonly ListedSubscription[]) {
  const totals = new Map<string, bigint>();
  for (const subscription of subscriptions) {
    if (subscription.state !== 'lapsed') totals.set(subscription.currency, (totals.get(subscription.currency) ?? 0n) + subscription.yearlyCost);
  }
  return [...totals].map(([currency, amount]) => ({ currency, amount: formatAmount(amount, currency) }));
}

const csvColumns: CsvColumn<ListedSubscription>[] = [
  { header: 'merchant', cell: (row) => row.merchantName },
  { header: 'person', cell: (row) => row.personName },
  { header: 'cadence', cell: (row) => row.cadence },
  { header: 'state', cell: (row) => row.state },
  { header: 'charges', cell: (row) => String(row.charges), numeric: true },
  { header: 'last_charged_on', cell: (row) => row.lastDay },
  { header: 'last_amount', cell: (row) => formatAmount(row.lastAmount, row.currency), numeric: true },
  { header: 'usual_amount', cell: (row) => formatAmount(row.usualAmount, row.currency), numeric: true },
  { header: 'next_expected_on', cell: (row) => row.nextExpectedOn },
  { header: 'yearly_cost', cell: (row) => formatAmount(row.yearlyCost, row.currency), numeric: true },
  { header: 'currency', cell: (row) => row.currency },
  { header: 'increased', cell: (row) => String(row.increased) },
  { header: 'own_card_id', cell: (row) => row.ownCardId },
];

export function subscriptionsRoutes({ app: base, database: { db }, config }: AppContext): void {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(SubscriptionSchema);
  app.addSchema(SubscriptionListSchema);
  const tags = ['Subscriptions'];

  app.get('/api/v1/subscriptions', {
    config: { access: 'transactions:read' },
    schema: {
      operationId: 'listSubscriptions',
      tags,
      summary: 'Subscriptions found in the last 400 days of card purchases (a merchant charging one person every month, or every year, the amount allowed to drift), newest charge first; format=csv downloads them',
      querystring: Type.Object({ format: FormatQuery }, { additionalProperties: false }),
      response: { 200: Type.Ref('SubscriptionList'), ...problemResponses },
    },
  }, async (request, reply) => {
    const found = await listSubscriptions(db, principalOf(request).companyId, request.now);
    if (request.query.format === 'csv') return sendCsv(reply, 'subscriptions.csv', writeCsv(csvColumns, found));
    return { items: found.map(present), yearlyTotal: yearlyTotals(found) };
  });

  app.post('/api/v1/subscriptions/:key/card', {
    config: { access: 'cards:manage' },
    schema: {
      operationId: 'issueSubscriptionCard',
      tags,
      summary: 'Issue the person who pays a subscription a vendor card locked to its merchant, limited per month (or year) to the last charge plus a quarter; 409 when it has a card of its own already',
      params: Type.Object({ key: Type.String({ pattern: '^sub_[0-9a-f]{24}$' }) }, { additionalProperties: false }),
      response: { 201: Type.Ref('Card'), ...problemResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const view = await issueSubscriptionCard(db, fieldKeysOf(config), principal.companyId, request.params.key, actorOf(principal), request.now);
    return reply.status(201).send(presentCard(view));
  });
}
