// Finds subscriptions in card history: charges of one merchant to one person that come back
// every month or every year, the amount allowed to drift (a price change, an exchange rate, a
// seat added). Pure: the charges and the day it is in, in; the subscriptions, out. What the
// service makes of them (the list, a card of their own, alerts) is subscriptions.service.ts.
import { createHash } from 'node:crypto';

export const cadences = ['monthly', 'yearly'] as const;
export type Cadence = (typeof cadences)[number];

export const subscriptionStates = ['active', 'late', 'lapsed'] as const;
export type SubscriptionState = (typeof subscriptionStates)[number];

/** A card purchase as detection sees it: booked (or held) amount in the wallet's currency, on
 * its calendar day in the company's time zone. */
export interface Charge {
  transactionId: string;
  cardId: string;
  userId: string;
  merchantId: string | null;
  merchantName: string;
  mcc: string;
  amount: bigint;
  currency: string;
  /** YYYY-MM-DD, the company's calendar. */
  day: string;
}

export interface Subscription {
  /** Stable across runs: the same person and merchant give the same key. */
  key: string;
  merchantKey: string;
  merchantId: string | null;
  merchantName: string;
  mcc: string;
  userId: string;
  /** The card of the last charge. */
  cardId: string;
  cadence: Cadence;
  /** Charges in the recurring run (the latest unbroken one). */
  charges: number;
  firstDay: string;
  lastDay: string;
  lastTransactionId: string;
  lastAmount: bigint;
  /** The median of the run's charges before the last one. */
  usualAmount: bigint;
  currency: string;
  nextExpectedOn: string;
  /** What a year of it costs at the last charge. */
  yearlyCost: bigint;
  /** active: the next charge is not due yet (or only just); late: it is past due by more than
   * the grace; lapsed: two or more charges did not come, so it has probably ended. */
  state: SubscriptionState;
  /** The last charge came in above the usual amount by more than the tolerance. */
  increased: boolean;
}

/** How the detection is tuned; the defaults are what the service uses. */
export interface DetectionRules {
  /** Days between monthly charges, inclusive (months are 28 to 31 days; a charge may slip a few). */
  monthlyGapDays: readonly [number, number];
  /** Days between yearly charges, inclusive. */
  yearlyGapDays: readonly [number, number];
  /** Charges a monthly run needs; a yearly one needs two. */
  monthlyChargesMin: number;
  /** How far (basis points) a charge may stray from the run's median and still belong to it. */
  driftBasisPoints: number;
  /** Above the usual amount by more than this (basis points), the last charge counts as increased. */
  increaseBasisPoints: number;
  /** Days after the expected date before a charge counts as late. */
  graceDays: Record<Cadence, number>;
}

export const defaultDetectionRules: DetectionRules = {
  monthlyGapDays: [25, 35],
  yearlyGapDays: [350, 380],
  monthlyChargesMin: 3,
  driftBasisPoints: 2_500,
  increaseBasisPoints: 1_000,
  graceDays: { monthly: 5, yearly: 14 },
};

/** A merchant's name as card networks vary it: case, punctuation, and the reference numbers
 * some append ("NETFLIX.COM 8873", "Netflix.com*4411", "Spotify P1F2E3") fall away. */
export function merchantKeyOf(charge: Pick<Charge, 'merchantId' | 'merchantName'>): string {
  if (charge.merchantId) return `id:${charge.merchantId}`;
  const words = charge.merchantName
    .normalize('NFKC')
    .toLowerCase()
    .split(/[\s*#/]+/)
    .filter((word) => !/\d/.test(word))
    .map((word) => word.replace(/[^\p{L}.]+/gu, '').replace(/^\.+|\.+$/g, ''))
    .filter((word) => word.length > 0);
  return `name:${words.join(' ')}`;
}

const dayMs = 86_400_000;
const toTime = (day: string) => Date.parse(`${day}T00:00:00Z`);
const daysBetween = (from: string, to: string) => Math.round((toTime(to) - toTime(from)) / dayMs);

/** The same day of the next month or year, the month's last day where it has no such day. */
export function nextDue(day: string, cadence: Cadence): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const targetYear = cadence === 'yearly' ? year + 1 : month === 12 ? year + 1 : year;
  const targetMonth = cadence === 'yearly' ? month : month === 12 ? 1 : month + 1;
  const lastOfMonth = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return `${targetYear}-${String(targetMonth).padStart(2, '0')}-${String(Math.min(date, lastOfMonth)).padStart(2, '0')}`;
}

function median(amounts: readonly bigint[]): bigint {
  const sorted = [...amounts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2n;
}

const within = (amount: bigint, reference: bigint, basisPoints: number) => {
  const difference = amount > reference ? amount - reference : reference - amount;
  return difference * 10_000n <= reference * BigInt(basisPoints);
};

/** Charges of like amounts together: each group's amounts stay within the drift of its smallest. */
function byAmount(charges: readonly Charge[], rules: DetectionRules): Charge[][] {
  const groups: Charge[][] = [];
  for (const charge of [...charges].sort((a, b) => (a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0))) {
    const group = groups.at(-1);
    if (group && within(charge.amount, group[0]!.amount, rules.driftBasisPoints)) group.push(charge);
    else groups.push([charge]);
  }
  return groups.map((group) => group.sort(byDay));
}

const byDay = (a: Charge, b: Charge) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.transactionId < b.transactionId ? -1 : 1);

/** The latest unbroken run of charges (in day order) whose gaps fit the cadence; several on
 * one day count once (the day's last). Charges closer together than the cadence end the run:
 * a shop paid every few days is not a subscription. */
function latestRun(charges: readonly Charge[], cadence: Cadence, rules: DetectionRules): Charge[] {
  const [gapMin, gapMax] = cadence === 'monthly' ? rules.monthlyGapDays : rules.yearlyGapDays;
  const run: Charge[] = [];
  for (let index = charges.length - 1; index >= 0; index--) {
    const charge = charges[index]!;
    const later = run[0];
    if (later) {
      const gap = daysBetween(charge.day, later.day);
      if (gap === 0) continue;
      if (gap < gapMin || gap > gapMax) break;
    }
    run.unshift(charge);
  }
  return run;
}

/** The subscription's run in a merchant's charges: the run of like amounts whose last charge
 * is latest; and a charge that came when the next was due but above the usual amount by more
 * than the drift (a price rise) joins it as its last. */
function subscriptionRun(charges: readonly Charge[], cadence: Cadence, rules: DetectionRules): Charge[] | null {
  const needed = cadence === 'monthly' ? rules.monthlyChargesMin : 2;
  const runs = byAmount(charges, rules)
    .map((group) => latestRun(group, cadence, rules))
    .filter((run) => run.length >= needed)
    .sort((a, b) => byDay(b.at(-1)!, a.at(-1)!));
  const run = runs[0];
  if (!run) return null;
  const [gapMin, gapMax] = cadence === 'monthly' ? rules.monthlyGapDays : rules.yearlyGapDays;
  const last = run.at(-1)!;
  const raised = charges.find((charge) => {
    const gap = daysBetween(last.day, charge.day);
    return gap >= gapMin && gap <= gapMax && charge.amount > last.amount;
  });
  return raised ? [...run, raised] : run;
}

function stateOf(nextExpectedOn: string, cadence: Cadence, today: string, rules: DetectionRules): SubscriptionState {
  const overdue = daysBetween(nextExpectedOn, today);
  if (overdue <= rules.graceDays[cadence]) return 'active';
  return daysBetween(nextDue(nextExpectedOn, cadence), today) > rules.graceDays[cadence] ? 'lapsed' : 'late';
}

export function subscriptionKey(userId: string, merchantKey: string): string {
  return `sub_${createHash('sha256').update(`${userId}\n${merchantKey}`).digest('hex').slice(0, 24)}`;
}

/** The subscriptions in these charges (any order), as of `today` (YYYY-MM-DD): monthly runs
 * before yearly ones of the same merchant, newest last charge first. */
export function detectSubscriptions(charges: readonly Charge[], today: string, rules: DetectionRules = defaultDetectionRules): Subscription[] {
  const groups = new Map<string, Charge[]>();
  for (const charge of charges) {
    if (charge.amount <= 0n) continue;
    const key = `${charge.userId}\n${charge.currency}\n${merchantKeyOf(charge)}`;
    const group = groups.get(key) ?? [];
    group.push(charge);
    groups.set(key, group);
  }
  const found: Subscription[] = [];
  for (const group of groups.values()) {
    group.sort(byDay);
    for (const cadence of cadences) {
      const run = subscriptionRun(group, cadence, rules);
      if (!run) continue;
      const last = run.at(-1)!;
      const earlier = run.slice(0, -1);
      const usualAmount = median(earlier.map((charge) => charge.amount));
      const nextExpectedOn = nextDue(last.day, cadence);
      const merchantKey = merchantKeyOf(last);
      found.push({
        key: subscriptionKey(last.userId, merchantKey),
        merchantKey,
        merchantId: last.merchantId,
        merchantName: last.merchantName,
        mcc: last.mcc,
        userId: last.userId,
        cardId: last.cardId,
        cadence,
        charges: run.length,
        firstDay: run[0]!.day,
        lastDay: last.day,
        lastTransactionId: last.transactionId,
        lastAmount: last.amount,
        usualAmount,
        currency: last.currency,
        nextExpectedOn,
        yearlyCost: cadence === 'monthly' ? last.amount * 12n : last.amount,
        state: stateOf(nextExpectedOn, cadence, today, rules),
        increased: last.amount > usualAmount && !within(last.amount, usualAmount, rules.increaseBasisPoints),
      });
      // A merchant charged monthly is not also a yearly subscription of the same person.
      break;
    }
  }
  return found.sort((a, b) => (a.lastDay > b.lastDay ? -1 : a.lastDay < b.lastDay ? 1 : a.key < b.key ? -1 : 1));
}
