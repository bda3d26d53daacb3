// Cards and a few weeks of purchases for the demo company, played through the same
// authorization engine and network messages the processor uses: approvals, declines, a
// foreign-currency purchase, a tip, a refund, a reversal and a monthly subscription.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { authorizePurchase } from '../cards/authorization.service.js';
import { issueCard } from '../cards/card-issuing.service.js';
import { applyNetworkEvent } from '../cards/network-events.service.js';
import type { Db } from '../db/database.js';
import type { FieldKeys } from '../shared/field-encryption.js';
import { parseEcbRates } from '../fx/ecb-rates.js';
import { loadRates } from '../fx/fx.service.js';
import { projectRoot } from '../shared/project-root.js';
import type { Channel } from '../cards/spend-controls.js';
import { syncCardExpenses } from '../expenses/expense-sync.js';

const system = { actorType: 'system' as const, actorId: null };
const day = 24 * 3600_000;

/** Reference rates for the demo: the sample ECB file's rates, dated for each recent day. */
async function loadDemoRates(db: Db, today: Date): Promise<void> {
  const sample = parseEcbRates(readFileSync(path.join(projectRoot, 'src', 'fx', 'testdata', 'eurofxref-daily.xml'), 'utf8'))[0]!;
  const days = Array.from({ length: 80 }, (_, back) => ({
    date: new Date(today.getTime() - back * day).toISOString().slice(0, 10),
    rates: sample.rates,
  }));
  await loadRates(db, days, 'demo');
}

interface DemoPurchase {
  daysAgo: number;
  holder: string;
  amount: string;
  currency?: string;
  merchant: string;
  mcc: string;
  country?: string;
  channel?: Channel;
  then?: { type: 'clearing' | 'reversal' | 'refund'; amount?: string } | null;
}

const purchases: DemoPurchase[] = [
  // Figma's monthly seat (with the one 15 days ago): a subscription the company can find.
  { daysAgo: 76, holder: 'emma', amount: '29.00', currency: 'USD', merchant: 'FIGMA.COM', mcc: '5734', country: 'US', channel: 'online', then: { type: 'clearing' } },
  { daysAgo: 46, holder: 'emma', amount: '29.00', currency: 'USD', merchant: 'FIGMA.COM', mcc: '5734', country: 'US', channel: 'online', then: { type: 'clearing' } },
  { daysAgo: 20, holder: 'emma', amount: '42.80', merchant: 'Café Nord', mcc: '5814', then: { type: 'clearing', amount: '48.00' } },
  { daysAgo: 18, holder: 'felix', amount: '189.00', merchant: 'DSB Rejsebureau', mcc: '4112', then: { type: 'clearing' } },
  { daysAgo: 15, holder: 'emma', amount: '29.00', currency: 'USD', merchant: 'FIGMA.COM', mcc: '5734', country: 'US', channel: 'online', then: { type: 'clearing' } },
  { daysAgo: 12, holder: 'felix', amount: '640.00', merchant: 'Scandic Hotels', mcc: '7011', then: { type: 'clearing', amount: '612.40' } },
  { daysAgo: 10, holder: 'emma', amount: '1450.00', merchant: 'Apple Store', mcc: '5732', then: null },
  { daysAgo: 8, holder: 'felix', amount: '85.50', currency: 'GBP', merchant: 'Pret A Manger', mcc: '5812', country: 'GB', then: { type: 'clearing' } },
  { daysAgo: 6, holder: 'emma', amount: '120.00', merchant: 'Office Depot', mcc: '5943', channel: 'online', then: { type: 'refund', amount: '40.00' } },
  { daysAgo: 4, holder: 'felix', amount: '60.00', merchant: 'Casino Copenhagen', mcc: '7995', then: null },
  { daysAgo: 2, holder: 'emma', amount: '18.40', merchant: 'Lagkagehuset', mcc: '5462', channel: 'contactless', then: { type: 'reversal' } },
  { daysAgo: 1, holder: 'felix', amount: '74.90', merchant: 'Uber', mcc: '4121', channel: 'online', then: { type: 'clearing' } },
  { daysAgo: 0, holder: 'emma', amount: '23.50', merchant: 'Café Nord', mcc: '5814', channel: 'contactless', then: null },
];

/** A demo purchase that was approved, with the card transaction it became. */
export interface DemoTransaction {
  transactionId: string;
  holder: string;
  merchant: string;
  daysAgo: number;
}

export async function seedDemoCards(
  db: Db,
  encryptionKey: FieldKeys,
  companyId: string,
  people: ReadonlyMap<string, string>,
  today = new Date(),
): Promise<DemoTransaction[]> {
  await loadDemoRates(db, today);
  const cards = new Map<string, string>();
  for (const [holder, userId] of people) {
    const card = await issueCard(db, encryptionKey, companyId, {
      userId,
      kind: 'virtual',
      purpose: 'Everyday expenses',
      controls: { perPurchaseMax: '1000.00', limits: { monthly: '3000.00' }, categories: { allow: null, block: ['gambling'] } },
    }, system, new Date(today.getTime() - 90 * day));
    cards.set(holder, card.id);
  }
  let sequence = 0;
  const approved: DemoTransaction[] = [];
  for (const purchase of purchases) {
    const occurredAt = new Date(today.getTime() - purchase.daysAgo * day);
    const cardId = cards.get(purchase.holder)!;
    const id = `demo-auth-${++sequence}`;
    const merchant = { id: null, name: purchase.merchant, mcc: purchase.mcc, country: purchase.country ?? 'DK' };
    const outcome = await authorizePurchase(db, {
      networkId: id,
      cardId,
      kind: 'purchase',
      amount: purchase.amount,
      currency: purchase.currency ?? 'EUR',
      merchant,
      channel: purchase.channel ?? 'in_person',
      occurredAt,
    }, occurredAt);
    if (outcome.approved && outcome.transaction) approved.push({ transactionId: outcome.transaction.id, holder: purchase.holder, merchant: purchase.merchant, daysAgo: purchase.daysAgo });
    if (!outcome.approved || !purchase.then) continue;
    const later = new Date(occurredAt.getTime() + day / 2);
    const { type, amount } = purchase.then;
    if (type === 'refund') {
      await applyNetworkEvent(db, { id: `${id}-clearing`, type: 'clearing', cardId, transactionNetworkId: id, amount: purchase.amount, occurredAt: later }, later);
      // The refund names the purchase it refunds, so that its expense counts what is left.
      await applyNetworkEvent(db, { id: `${id}-refund`, type: 'refund', cardId, transactionNetworkId: id, amount, currency: purchase.currency ?? 'EUR', merchant, occurredAt: later }, later);
    } else {
      // A reversal after the purchase became an expense voids that expense, as it would live.
      if (type === 'reversal') await syncCardExpenses(db, occurredAt);
      await applyNetworkEvent(db, { id: `${id}-${type}`, type, cardId, transactionNetworkId: id, amount: amount ?? (type === 'clearing' ? purchase.amount : undefined), occurredAt: later }, later);
    }
  }
  return approved;
}
