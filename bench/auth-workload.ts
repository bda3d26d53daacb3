// The authorization benchmark's workload: the messages a card network sends to Outlay's
// processor endpoints, and what Outlay must answer to each. Fresh authorizations are mostly
// purchases the card's controls allow; about one in ten is over the card's per-purchase
// limit or at a blocked merchant category; one in twenty is a network id sent again (most
// after the first answer, some while the first is still in flight, as a network does after
// a timeout), which must get the first answer. Approvals are later cleared (in full or in
// part) or reversed (in full or in part), some of those messages sent twice too, and the
// rest stay held.
//
// Every answer is checked against what was expected, and the money each answer moved is
// added up per company, so the bench can compare it with the ledger afterwards.
import { formatAmount } from '../src/money/money.js';
import { networkId } from '../src/simulator/network-client.js';

export const benchCurrency = 'EUR';
/** Each card's per-purchase cap: 500.00. */
export const perPurchaseMaxMinor = 50_000n;
/** Each card's monthly limit: far above what a run spends, so no decline depends on timing. */
export const monthlyLimitMinor = 100_000_000n;
/** Purchases at this group are declined by every bench card's controls. */
export const blockedCategoryGroup = 'gambling';

export const workloadMix = {
  /** Of authorization messages: a network id sent again. */
  repeatShare: 0.05,
  /** Of repeats: sent together with the first, before either is answered. */
  repeatAtOnceShare: 0.2,
  /** Of authorization messages: expected declines. */
  declineShare: 0.1,
  /** Of approvals: cleared later. */
  clearingShare: 0.5,
  /** Of approvals: reversed later. */
  reversalShare: 0.1,
  /** Of clearings and reversals: for part of the held amount. */
  partialShare: 0.25,
  /** Of clearings and reversals: the same message id sent again after its answer. */
  eventRepeatShare: 0.05,
  /** An approval's clearing or reversal goes out at least this many messages later. */
  eventDelayMessages: 64,
};

/** Answered messages kept to pick repeats from. */
const repeatPoolMax = 5_000;

const approvedMerchants = [
  { name: 'Cafe Nord', mcc: '5812', country: 'DK' },
  { name: 'Grocer Am Markt', mcc: '5411', country: 'DE' },
  { name: 'CloudHost', mcc: '5734', country: 'IE' },
  { name: 'Air Baltic', mcc: '4511', country: 'LV' },
  { name: 'Hotel Central', mcc: '7011', country: 'NL' },
  { name: 'Circle K', mcc: '5541', country: 'SE' },
];
const blockedMerchant = { name: 'Lucky Casino', mcc: '7995', country: 'MT' };
const purchaseChannels = ['online', 'in_person', 'contactless'] as const;

export interface BenchCard {
  id: string;
  /** Index of the card's company in the fleet. */
  company: number;
  /** The card's number, for networks that name cards by it (ISO 8583 field 2). */
  pan: string;
}

/** mulberry32: a small seeded generator, so a run's mix is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The processor endpoint's answer (DecisionSchema in processor.routes.ts). */
export interface Decision {
  approved: boolean;
  declineReason: string | null;
  transactionId: string | null;
  state: string | null;
}

export interface Answer {
  /** HTTP status; 0 when no response arrived. */
  status: number;
  decision: Decision | null;
  /** The problem's code or the transport error, when not 200. */
  error: string | null;
}

export type Expected = { approved: true } | { approved: false; reason: 'over_per_purchase_limit' | 'category_blocked' };

export type Merchant = (typeof approvedMerchants)[number];
export type PurchaseChannel = (typeof purchaseChannels)[number];

/** A purchase of the mix, before it is written as a message of one network or another. */
export interface Purchase {
  card: BenchCard;
  merchant: Merchant;
  amount: bigint;
  channel: PurchaseChannel;
  expected: Expected;
}

/** A purchase the card's controls allow, or one they decline (over the per-purchase cap or at a blocked category). */
export function nextPurchase(random: () => number, cards: readonly BenchCard[], kind: 'approval' | 'decline'): Purchase {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (low: bigint, high: bigint) => low + BigInt(Math.floor(random() * Number(high - low + 1n)));
  const card = pick(cards);
  const overLimit = kind === 'decline' && random() < 0.5;
  const merchant = kind === 'approval' || overLimit ? pick(approvedMerchants) : blockedMerchant;
  const amount = overLimit ? between(perPurchaseMaxMinor + 1n, 2n * perPurchaseMaxMinor) : between(100n, 20_000n);
  const channel = pick(purchaseChannels);
  const expected: Expected = kind === 'approval' ? { approved: true } : { approved: false, reason: overLimit ? 'over_per_purchase_limit' : 'category_blocked' };
  return { card, merchant, amount, channel, expected };
}

/** The body of POST /api/v1/processor/authorizations for a purchase. */
export function authorizationBody(purchase: Purchase, id: string): string {
  const { card, merchant, amount, channel } = purchase;
  return JSON.stringify({ id, cardId: card.id, amount: formatAmount(amount, benchCurrency), currency: benchCurrency, merchant: { id: null, ...merchant }, channel });
}

interface AuthorizationSent {
  body: string;
  card: BenchCard;
  networkId: string;
  amount: bigint;
  expected: Expected;
}

/** An approval whose hold is still open, and what it holds. */
interface OpenHold {
  card: BenchCard;
  networkId: string;
  held: bigint;
}

interface EventSent {
  body: string;
  type: 'clearing' | 'reversal';
  hold: OpenHold;
  /** Cleared or reversed amount. */
  amount: bigint;
}

export type Message =
  | { kind: 'authorization'; sent: AuthorizationSent; twice: boolean }
  | { kind: 'repeat'; sent: AuthorizationSent; first: Decision }
  | { kind: 'event'; sent: EventSent }
  | { kind: 'event_repeat'; sent: EventSent; first: Decision };

export const authorizationPath = '/api/v1/processor/authorizations';
export const eventPath = '/api/v1/processor/events';

export const pathOf = (message: Message) => (message.kind === 'authorization' || message.kind === 'repeat' ? authorizationPath : eventPath);
export const isAuthorization = (message: Message) => message.kind === 'authorization' || message.kind === 'repeat';

/** Per company: what the answers say the ledger must hold. Minor units of benchCurrency. */
export interface CompanyExpectation {
  approvals: number;
  declines: number;
  approvedMinor: bigint;
  /** Still reserved by open holds. */
  heldMinor: bigint;
  /** Booked by clearings. */
  bookedMinor: bigint;
  /** Given back by reversals and by clearings below the hold. */
  releasedMinor: bigint;
}

export interface WorkloadTally {
  sent: Record<'expected_approval' | 'expected_decline' | 'repeat_after_answer' | 'repeat_at_once' | 'clearing' | 'reversal' | 'event_repeat', number>;
  /** Answers other than the expected one, by what was expected and what came. */
  unexpected: Record<string, number>;
  /** Non-200 answers, by status and problem code. */
  errors: Record<string, number>;
  repeatsChecked: number;
  repeatMismatches: number;
}

const emptyExpectation = (): CompanyExpectation => ({ approvals: 0, declines: 0, approvedMinor: 0n, heldMinor: 0n, bookedMinor: 0n, releasedMinor: 0n });

const sameDecision = (a: Decision, b: Decision) =>
  a.approved === b.approved && a.declineReason === b.declineReason && a.transactionId === b.transactionId;

export class Workload {
  readonly expectations: CompanyExpectation[];
  readonly tally: WorkloadTally = {
    sent: { expected_approval: 0, expected_decline: 0, repeat_after_answer: 0, repeat_at_once: 0, clearing: 0, reversal: 0, event_repeat: 0 },
    unexpected: {},
    errors: {},
    repeatsChecked: 0,
    repeatMismatches: 0,
  };
  private readonly random: () => number;
  private messages = 0;
  private readonly dueEvents: { due: number; hold: OpenHold; type: 'clearing' | 'reversal' }[] = [];
  private readonly answeredAuthorizations: { sent: AuthorizationSent; decision: Decision }[] = [];
  private readonly answeredEvents: { sent: EventSent; decision: Decision }[] = [];

  constructor(
    private readonly cards: readonly BenchCard[],
    companies: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
    this.expectations = Array.from({ length: companies }, emptyExpectation);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** The next message of the mix. */
  next(): Message {
    this.messages++;
    const head = this.dueEvents[0];
    if (head && head.due <= this.messages) {
      this.dueEvents.shift();
      if (this.answeredEvents.length > 0 && this.random() < workloadMix.eventRepeatShare) {
        this.dueEvents.unshift(head);
        const first = this.pick(this.answeredEvents);
        this.tally.sent.event_repeat++;
        return { kind: 'event_repeat', sent: first.sent, first: first.decision };
      }
      return this.eventFor(head.hold, head.type, this.random() < workloadMix.partialShare);
    }
    const roll = this.random();
    if (roll < workloadMix.repeatShare && this.answeredAuthorizations.length > 0) {
      if (this.random() < workloadMix.repeatAtOnceShare) return this.fresh('approval', true);
      const first = this.pick(this.answeredAuthorizations);
      this.tally.sent.repeat_after_answer++;
      return { kind: 'repeat', sent: first.sent, first: first.decision };
    }
    return this.fresh(roll < workloadMix.repeatShare + workloadMix.declineShare ? 'decline' : 'approval');
  }

  /** A new authorization: one the card's controls allow, or one they decline. */
  fresh(kind: 'approval' | 'decline', twice = false): Message {
    const purchase = nextPurchase(this.random, this.cards, kind);
    const id = networkId('auth');
    const body = authorizationBody(purchase, id);
    this.tally.sent[kind === 'approval' ? 'expected_approval' : 'expected_decline']++;
    if (twice) this.tally.sent.repeat_at_once++;
    return { kind: 'authorization', sent: { body, card: purchase.card, networkId: id, amount: purchase.amount, expected: purchase.expected }, twice };
  }

  /** A clearing or reversal of an open hold; partial ones are for about half of it. */
  eventFor(hold: OpenHold, type: 'clearing' | 'reversal', partial: boolean): Message {
    const amount = partial && hold.held > 1n ? hold.held / 2n : hold.held;
    const id = networkId(type === 'clearing' ? 'clr' : 'rev');
    // A full reversal names no amount: the network reverses what it authorized.
    const money = type === 'clearing' || amount < hold.held ? { amount: formatAmount(amount, benchCurrency), currency: benchCurrency } : {};
    const body = JSON.stringify({ id, type, cardId: hold.card.id, transactionId: hold.networkId, ...money });
    this.tally.sent[type]++;
    return { kind: 'event', sent: { body, type, hold, amount } };
  }

  private noteError(answer: Answer): void {
    const key = `${answer.status} ${answer.error ?? ''}`.trim();
    this.tally.errors[key] = (this.tally.errors[key] ?? 0) + 1;
  }

  private noteUnexpected(what: string): void {
    this.tally.unexpected[what] = (this.tally.unexpected[what] ?? 0) + 1;
  }

  /**
   * Applies an answer to what the ledger must show. Returns the open hold an approval
   * placed; with `scheduleEvents` its clearing or reversal is queued for later.
   */
  answered(message: Message, answer: Answer, scheduleEvents = true): OpenHold | null {
    if (answer.status !== 200 || !answer.decision) {
      // A request that failed rolled back its transaction: it moved no money.
      this.noteError(answer);
      return null;
    }
    const decision = answer.decision;
    if (message.kind === 'repeat' || message.kind === 'event_repeat') {
      this.checkRepeat(message.first, decision);
      return null;
    }
    if (message.kind === 'event') {
      this.applyEvent(message.sent, decision);
      return null;
    }
    return this.applyAuthorization(message.sent, decision, scheduleEvents);
  }

  /** Both answers of an authorization sent twice at once: one applies, both must agree. */
  answeredTwice(message: Message, first: Answer, second: Answer): void {
    const [applied, other] = first.status === 200 ? [first, second] : [second, first];
    this.answered(message, applied);
    if (other.status !== 200 || !other.decision) {
      this.noteError(other);
      return;
    }
    if (applied.decision) this.checkRepeat(applied.decision, other.decision);
  }

  private checkRepeat(first: Decision, again: Decision): void {
    this.tally.repeatsChecked++;
    if (!sameDecision(first, again)) this.tally.repeatMismatches++;
  }

  private applyAuthorization(sent: AuthorizationSent, decision: Decision, scheduleEvents: boolean): OpenHold | null {
    const company = this.expectations[sent.card.company]!;
    this.remember(this.answeredAuthorizations, { sent, decision });
    if (!decision.approved) {
      company.declines++;
      if (sent.expected.approved || sent.expected.reason !== decision.declineReason) {
        this.noteUnexpected(`expected ${sent.expected.approved ? 'approval' : sent.expected.reason}, got ${decision.declineReason}`);
      }
      return null;
    }
    if (!sent.expected.approved) this.noteUnexpected(`expected ${sent.expected.reason}, got approval`);
    company.approvals++;
    company.approvedMinor += sent.amount;
    company.heldMinor += sent.amount;
    const hold: OpenHold = { card: sent.card, networkId: sent.networkId, held: sent.amount };
    if (scheduleEvents) {
      const roll = this.random();
      const type = roll < workloadMix.clearingShare ? 'clearing' : roll < workloadMix.clearingShare + workloadMix.reversalShare ? 'reversal' : null;
      if (type) this.dueEvents.push({ due: this.messages + workloadMix.eventDelayMessages, hold, type });
    }
    return hold;
  }

  private applyEvent(sent: EventSent, decision: Decision): void {
    const company = this.expectations[sent.hold.card.company]!;
    const expectedState = sent.type === 'clearing' ? 'settled' : sent.amount < sent.hold.held ? 'pending' : 'reversed';
    if (!decision.approved || decision.state !== expectedState) {
      this.noteUnexpected(`expected ${sent.type} to leave ${expectedState}, got ${decision.approved ? decision.state : `refusal ${decision.declineReason}`}`);
      return;
    }
    this.remember(this.answeredEvents, { sent, decision });
    company.heldMinor -= sent.type === 'clearing' ? sent.hold.held : sent.amount;
    if (sent.type === 'clearing') {
      company.bookedMinor += sent.amount;
      company.releasedMinor += sent.hold.held - sent.amount;
    } else {
      company.releasedMinor += sent.amount;
    }
  }

  private remember<T>(pool: T[], item: T): void {
    if (pool.length < repeatPoolMax) pool.push(item);
    else pool[Math.floor(this.random() * repeatPoolMax)] = item;
  }
}
