// Subscriptions found in the company's card history (subscription-detection.ts): listed with
// their next charge and yearly cost, given a vendor-locked card of their own in one step, and
// watched by a sweep that tells the cardholder when a charge did not come or came in higher.
// Nothing is stored but the alerts (as notifications): the list is worked out from the card
// history each time, so it is never out of step with it.
import type { Actor } from '../auth/actor.js';
import { issueCard } from '../cards/card-issuing.service.js';
import { listOpenVendorCards } from '../cards/card-reading.service.js';
import { listChargesSince } from '../cards/card-transactions.service.js';
import type { CardView } from '../cards/card-view.js';
import { getCompany, listCompanies } from '../companies/companies.service.js';
import { localDateOf } from '../companies/company-calendar.js';
import { advisoryLockClasses, lockWithinTransaction } from '../db/advisory-lock.js';
import type { Db } from '../db/database.js';
import { formatAmount } from '../money/money.js';
import { notify } from '../notifications/notifications.service.js';
import { namesOf } from '../people/people.service.js';
import { DomainError, notFound } from '../shared/errors.js';
import type { FieldKeys } from '../shared/field-encryption.js';
import { detectSubscriptions, merchantKeyOf, type Subscription } from './subscription-detection.js';

/** How far back the history is read: a yearly subscription shows with two charges. */
export const historyDays = 400;
/** Purchases read at most per company; beyond it the oldest are left out (the newest count). */
export const historyChargesMax = 200_000;
/** An increase is told about while its charge is this recent (not for old history on a first run). */
export const increaseAlertDays = 31;
/** A card of its own allows this much above the last charge (basis points): a small price rise
 * or a seat more still goes through, and a jump is declined for someone to look at. */
export const ownCardHeadroomBasisPoints = 2_500;

export interface ListedSubscription extends Subscription {
  personName: string;
  /** The vendor card of the same person locked to this merchant, if there is one. */
  ownCardId: string | null;
}

async function detect(db: Db, companyId: string, now: Date): Promise<Subscription[]> {
  const company = await getCompany(db, companyId);
  // The newest charges count: read the most recent ones when there are more than the cap.
  const rows = await listChargesSince(db, companyId, new Date(now.getTime() - historyDays * 86_400_000), historyChargesMax);
  const charges = rows.map((row) => ({
    transactionId: row.id,
    cardId: row.card_id,
    userId: row.user_id,
    merchantId: row.merchant_id,
    merchantName: row.merchant_name,
    mcc: row.mcc,
    amount: row.amount,
    currency: row.wallet_currency,
    day: localDateOf(row.occurred_at, company.time_zone),
  }));
  return detectSubscriptions(charges, localDateOf(now, company.time_zone));
}

export async function listSubscriptions(db: Db, companyId: string, now: Date): Promise<ListedSubscription[]> {
  const found = await detect(db, companyId, now);
  const [names, vendorCards] = await Promise.all([namesOf(db, companyId, [...new Set(found.map((s) => s.userId))]), listOpenVendorCards(db, companyId)]);
  const ownCards = new Map(vendorCards.map((card) => [`${card.user_id}\n${merchantKeyOf({ merchantId: card.vendor_merchant_id, merchantName: card.vendor_merchant_name ?? '' })}`, card.id]));
  return found.map((subscription) => ({
    ...subscription,
    personName: names.get(subscription.userId) ?? '',
    ownCardId: ownCards.get(`${subscription.userId}\n${subscription.merchantKey}`) ?? null,
  }));
}

/** What a card of its own allows for a subscription: the last charge and the headroom, per
 * month or per year, rounded up to a whole unit of the currency. */
function ownCardLimit(subscription: Subscription): string {
  const allowed = subscription.lastAmount + (subscription.lastAmount * BigInt(ownCardHeadroomBasisPoints) + 9_999n) / 10_000n;
  const whole = formatAmount(allowed, subscription.currency);
  const [units, fraction] = whole.split('.');
  return fraction && /[1-9]/.test(fraction) ? `${BigInt(units!) + 1n}.${'0'.repeat(fraction.length)}` : whole;
}

/**
 * Issues the person who pays a subscription a vendor card locked to its merchant, with a
 * monthly or yearly limit of the last charge plus headroom. The old card goes on working: the
 * person moves the subscription over at the merchant. Refused when the subscription already
 * has a card of its own, also when asked twice at once (a lock on the subscription's key).
 */
export async function issueSubscriptionCard(db: Db, keys: FieldKeys, companyId: string, subscriptionKey: string, actor: Actor, now: Date): Promise<CardView> {
  return db.transaction().execute(async (trx) => {
    // Two requests at once: the second waits here, then finds the first one's card.
    await lockWithinTransaction(trx, advisoryLockClasses.subscriptionCard, `${companyId}/${subscriptionKey}`);
    const subscription = (await listSubscriptions(trx, companyId, now)).find((candidate) => candidate.key === subscriptionKey);
    if (!subscription) throw notFound('subscription');
    if (subscription.ownCardId) throw new DomainError('conflict', `the subscription already has card ${subscription.ownCardId} of its own`, 'key');
    const period = subscription.cadence === 'monthly' ? 'monthly' : 'yearly';
    return issueCard(trx, keys, companyId, {
      userId: subscription.userId,
      kind: 'vendor',
      purpose: `Subscription: ${subscription.merchantName}`.slice(0, 200),
      vendor: subscription.merchantId ? { merchantId: subscription.merchantId } : { merchantName: subscription.merchantName.slice(0, 100), mcc: subscription.mcc },
      controls: { limits: { [period]: ownCardLimit(subscription) } },
    }, actor, now);
  });
}

/** Tells the cardholder of each subscription whose charge is late, or came in higher, once
 * per due date or charge. Returns how many were told. */
export async function alertSubscriptions(db: Db, now: Date): Promise<number> {
  let told = 0;
  for (const company of await listCompanies(db)) {
    const recentSince = localDateOf(new Date(now.getTime() - increaseAlertDays * 86_400_000), company.time_zone);
    for (const subscription of await detect(db, company.id, now)) {
      for (const alert of alertsOf(subscription, recentSince)) {
        const notification = { companyId: company.id, userId: subscription.userId, link: { type: 'card_transaction' as const, id: subscription.lastTransactionId }, ...alert };
        if (await db.transaction().execute((trx) => notify(trx, notification, now))) told += 1;
      }
    }
  }
  return told;
}

/** What to tell of a subscription now: its late charge, and a recent charge above the usual. */
function alertsOf(subscription: Subscription, recentSince: string) {
  const amount = (value: bigint) => `${formatAmount(value, subscription.currency)} ${subscription.currency}`;
  const { merchantName, cadence, key } = subscription;
  const alerts = [];
  if (subscription.state === 'late') {
    alerts.push({
      kind: 'subscription_late' as const,
      subject: { type: 'subscription', id: `${key}:${subscription.nextExpectedOn}` },
      title: `${merchantName} was not charged on ${subscription.nextExpectedOn}`,
      body: `Your ${cadence} ${merchantName} subscription (${amount(subscription.lastAmount)}, last charged ${subscription.lastDay}) was due on ${subscription.nextExpectedOn} and has not been charged. If it has ended, nothing is needed; if not, check that its card still works.`,
    });
  }
  if (subscription.increased && subscription.lastDay >= recentSince) {
    alerts.push({
      kind: 'subscription_increased' as const,
      subject: { type: 'subscription', id: `${key}:${subscription.lastTransactionId}` },
      title: `${merchantName} charged ${amount(subscription.lastAmount)}, usually ${amount(subscription.usualAmount)}`,
      body: `Your ${cadence} ${merchantName} subscription was charged ${amount(subscription.lastAmount)} on ${subscription.lastDay}, more than the usual ${amount(subscription.usualAmount)}.`,
    });
  }
  return alerts;
}
