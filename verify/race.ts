// verify:race — three Outlay processes on one PostgreSQL database (a fresh one, dropped
// afterwards) and many concurrent senders, each sending through a process of its own turn,
// through the signed processor API: authorizations, incremental authorizations, clearings
// above (and below) the hold, reversals and refunds of cleared purchases, until the wallet,
// one card's monthly limit and an enforced team budget are all drained past their limits.
// Afterwards, from the database: no approval went past the funds, the limit or the budget
// (as the engine counts them when it decides, see `roomChecks`), every message was answered
// once and a repeat got the same answer, and `outlay ledger verify` passes. Then, on the same
// processes, reviews, payouts and exports of the same expenses at once (race-expenses.ts).
import { sql } from 'kysely';
import { systemActor } from '../src/auth/actor.js';
import { createBudget, getBudgetView } from '../src/budgets/budgets.service.js';
import { issueCard } from '../src/cards/card-issuing.service.js';
import { createCompany } from '../src/companies/companies.service.js';
import type { Db } from '../src/db/database.js';
import { formatAmount } from '../src/money/money.js';
import { addActivePerson, createTeam } from '../src/people/people.service.js';
import { networkId, type NetworkClient, type SignedResponse } from '../src/simulator/network-client.js';
import { kioskPurchase } from '../src/test-support/kiosk-purchase.js';
import { testPasswordCost } from '../src/test-support/server.js';
import type { ServerProcess } from '../src/test-support/server-process.js';
import { getWallet, recordTopUp } from '../src/wallet/wallet.service.js';
import { seededRandom } from '../bench/auth-workload.js';
import { isStandIn } from './card-load.js';
import { closeFleet, ledgerVerify, networkOf, openFleetDatabase, startServers } from './server-fleet.js';
import { raceExpenses } from './race-expenses.js';
import { progress, runPart, Violations } from './verify-run.js';

const processCount = 3;
/** Senders at once, spread over the processes. */
const senders = { short: 12, long: 24 };
/** Messages each sender sends (repeats not counted). */
const messagesPerSender = { short: 40, long: 400 };
/** In cents: what the wallet is funded with, the limited card's monthly limit, the team budget. */
const fundingCents = { short: 250_000, long: 1_500_000 };
const limitCents = { short: 30_000, long: 150_000 };
const budgetCents = { short: 120_000, long: 700_000 };
/** Cards of the team (the first has the monthly limit) and cards of people in no team. */
const teamCards = 4;
const otherCards = 3;
/** Of the answered messages, every this many is sent again to another process. */
const repeatEvery = 5;
/** Purchases sent at once in each burst at the end. */
const burstSize = 12;

type Kind = 'authorization' | 'incremental_authorization' | 'clearing' | 'reversal' | 'refund';

interface Sent {
  kind: Kind;
  payload: Record<string, unknown>;
  /** Which process got it first. */
  process: number;
  answer: SignedResponse | null;
  error: string | null;
  /** Ticks of one clock shared by all senders: when the message left and when its answer came. */
  sentTick: number;
  answeredTick: number;
}

/** A purchase the network may still move on: its card and what it knows it authorized. */
interface Open {
  cardId: string;
  networkId: string;
  cents: number;
}

/** What must be the same when a message is sent again. */
const gist = (answer: SignedResponse) =>
  JSON.stringify({ status: answer.status, approved: answer.body.approved ?? null, declineReason: answer.body.declineReason ?? null, code: answer.body.code ?? null, transactionId: answer.body.transactionId ?? null });

const euros = (cents: number | bigint) => formatAmount(BigInt(cents), 'EUR');

/**
 * The rooms the engine keeps, counted from the card transactions as it counts them when it
 * decides. The network may clear above the hold (and the engine books it: that money was
 * paid), so what is held or booked may pass a limit without any approval having done so.
 * What an approval took is therefore counted as the engine weighed it: a pending purchase its
 * hold (`wallet_amount`, grown by incremental authorizations, shrunk by partial reversals), a
 * cleared one the smaller of its hold and its clearing (a clearing below the hold gives the
 * rest back; one above it takes more than any approval did). Each room only ever shrinks by
 * an approval the engine checked against it, and grows back by reversals, clearings below the
 * hold and refunds (refunds give back to the wallet and the budget, not to the card's limit),
 * so with a correct engine every room is still zero or more at the end, however the
 * messages interleaved. Clearings only ever follow an approved, unreversed hold here (a
 * clearing after a reversal is money the network paid without a hold, and would not count).
 */
async function roomChecks(db: Db, companyId: string, limitedCardId: string, teamUserIds: readonly string[], monthStart: Date) {
  const result = await sql<{ approved_all: string; refunded_all: string; approved_card: string; approved_team: string; refunded_team: string; held: string; booked: string }>`
    select
      coalesce(sum(least(coalesce(settled_amount, wallet_amount), wallet_amount)) filter (where kind = 'purchase'), 0)::text as approved_all,
      coalesce(sum(coalesce(settled_amount, wallet_amount)) filter (where kind = 'refund'), 0)::text as refunded_all,
      coalesce(sum(least(coalesce(settled_amount, wallet_amount), wallet_amount)) filter (where kind = 'purchase' and card_id = ${limitedCardId} and occurred_at >= ${monthStart}), 0)::text as approved_card,
      coalesce(sum(least(coalesce(settled_amount, wallet_amount), wallet_amount)) filter (where kind = 'purchase' and user_id in (${sql.join(teamUserIds)}) and occurred_at >= ${monthStart}), 0)::text as approved_team,
      coalesce(sum(coalesce(settled_amount, wallet_amount)) filter (where kind = 'refund' and user_id in (${sql.join(teamUserIds)})), 0)::text as refunded_team,
      coalesce(sum(wallet_amount) filter (where kind = 'purchase' and state = 'pending'), 0)::text as held,
      coalesce(sum(settled_amount) filter (where kind = 'purchase' and state = 'settled'), 0)::text as booked
    from card_transactions
    where company_id = ${companyId} and state in ('pending', 'settled')`.execute(db);
  const row = result.rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, BigInt(value)])) as Record<keyof typeof row, bigint>;
}

/** The amount of a message in cents, as sent. */
const centsOf = (message: Sent) => Math.round(Number(message.payload.amount) * 100);

/**
 * The rooms once more, in the order the senders saw: whatever interleaving the database chose,
 * an approval X answered before a purchase A was sent was decided before A, and a message that
 * gives room back (a reversal, a clearing below the hold, a refund) can only have been applied
 * before A's decision if it was sent before A's answer came. So with a correct engine, for every
 * approval A: (what the approvals answered before A was sent took) + (what A took) <= the room
 * + (the most the messages sent before A's answer came can have given back). Give-backs are
 * counted at their most (a reversal as the purchase's whole hold with every approved increment,
 * a clearing as that hold less the clearing), so the check never blames a correct engine; the
 * end-state check above catches less when room is given back after an over-approval.
 */
function orderCheck(sent: readonly Sent[], room: string, size: bigint, counts: (cardId: string) => boolean, refundsGiveBack: boolean): string[] {
  const isApproved = (message: Sent) => message.answer?.status === 200 && message.answer.body.approved === true;
  const maxHold = new Map<string, number>();
  for (const message of sent) {
    if (!isApproved(message)) continue;
    if (message.kind === 'authorization') maxHold.set(String(message.payload.id), (maxHold.get(String(message.payload.id)) ?? 0) + centsOf(message));
    if (message.kind === 'incremental_authorization') maxHold.set(String(message.payload.transactionId), (maxHold.get(String(message.payload.transactionId)) ?? 0) + centsOf(message));
  }
  const takes: { message: Sent; cents: number }[] = [];
  const gives: { message: Sent; cents: number }[] = [];
  for (const message of sent) {
    if (!isApproved(message) || !counts(String(message.payload.cardId))) continue;
    const hold = maxHold.get(String(message.payload.transactionId)) ?? 0;
    if (message.kind === 'authorization' || message.kind === 'incremental_authorization') takes.push({ message, cents: centsOf(message) });
    else if (message.kind === 'reversal') gives.push({ message, cents: hold });
    else if (message.kind === 'clearing') gives.push({ message, cents: Math.max(0, hold - centsOf(message)) });
    else if (message.kind === 'refund' && refundsGiveBack) gives.push({ message, cents: centsOf(message) });
  }
  const found: string[] = [];
  for (const take of takes) {
    const before = takes.filter((other) => other.message.answeredTick < take.message.sentTick).reduce((sum, other) => sum + other.cents, 0);
    const givenBack = gives.filter((give) => give.message.sentTick < take.message.answeredTick).reduce((sum, give) => sum + give.cents, 0);
    const over = BigInt(before + take.cents) - size - BigInt(givenBack);
    if (over > 0n) {
      found.push(`${take.message.kind} ${String(take.message.payload.id)} was approved ${euros(over)} EUR past ${room}: ${euros(before)} was taken before it was sent, it took ${euros(take.cents)}, at most ${euros(givenBack)} can have been given back by then, of ${euros(size)}`);
    }
  }
  return found;
}

await runPart('race', async ({ short, seed }) => {
  const violations = new Violations();
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const cents = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const funding = short ? fundingCents.short : fundingCents.long;
  const limit = short ? limitCents.short : limitCents.long;
  const budget = short ? budgetCents.short : budgetCents.long;
  const fleet = await openFleetDatabase('race');
  const servers: ServerProcess[] = [];
  // The processes start (some seconds each, from the sources) while the company is set up.
  const starting = startServers(fleet, processCount).then((started) => {
    servers.push(...started);
    return started;
  });
  try {
    const db = fleet.database.db;
    const company = await createCompany(db, { name: 'Race Co', currency: 'EUR', timeZone: 'Europe/Copenhagen' });
    const now = new Date();
    await recordTopUp(db, company.id, { amount: euros(funding), currency: 'EUR', bankReference: 'verify-race', receivedOn: now.toISOString().slice(0, 10) }, systemActor, now);
    const team = await createTeam(db, company.id, 'Field sales', systemActor);
    const teamUserIds: string[] = [];
    const cardIds: string[] = [];
    for (let i = 0; i < teamCards + otherCards; i++) {
      const inTeam = i < teamCards;
      const holder = await addActivePerson(db, company.id, { email: `holder${i}@race.test`, name: `Holder ${i}`, roles: ['employee'], teamId: inTeam ? team.id : null, password: 'correct horse battery' }, testPasswordCost);
      if (inTeam) teamUserIds.push(holder.id);
      const controls = i === 0 ? { limits: { monthly: euros(limit) } } : undefined;
      cardIds.push((await issueCard(db, fleet.encryptionKey, company.id, { userId: holder.id, kind: 'virtual', ...(controls ? { controls } : {}) }, systemActor, now)).card.id);
    }
    const limitedCardId = cardIds[0]!;
    const teamBudget = await createBudget(db, company.id, { name: 'Field sales, monthly', scope: 'team', subjectId: team.id, period: 'month', amount: euros(budget), enforced: true }, systemActor);

    const networks: NetworkClient[] = (await starting).map((server) => networkOf(fleet, server));
    const sent: Sent[] = [];
    let tick = 0;
    const pending: Open[] = [];
    const cleared: Open[] = [];
    const send = async (sender: number, kind: Kind, payload: Record<string, unknown>): Promise<Sent> => {
      const target = (sender + sent.length) % networks.length;
      const message: Sent = { kind, payload, process: target, answer: null, error: null, sentTick: ++tick, answeredTick: Number.POSITIVE_INFINITY };
      sent.push(message);
      const network = networks[target]!;
      try {
        message.answer = await (kind === 'authorization' ? network.authorize(payload) : network.event(payload));
      } catch (error) {
        message.error = error instanceof Error ? error.message : String(error);
        violations.add(`${kind} ${String(payload.id)} got no answer from process ${target}: ${message.error}`);
      }
      message.answeredTick = ++tick;
      // Money the merchant gives back is not the company's to refuse, whatever the wallet holds.
      if (kind === 'refund' && message.answer && message.answer.status !== 200) violations.add(`refund ${String(payload.id)} was refused: ${message.answer.status} ${String(message.answer.body.code)}: ${String(message.answer.body.detail ?? '')}`);
      if (message.answer && message.answer.status >= 500) violations.add(`${kind} ${String(payload.id)} was answered ${message.answer.status}: ${JSON.stringify(message.answer.body).slice(0, 200)}`);
      return message;
    };
    const approved = (message: Sent) => message.answer?.status === 200 && message.answer.body.approved === true;
    const event = (type: Kind, open: Open, amountCents: number | null) => ({
      id: networkId(type.slice(0, 3)),
      type,
      cardId: open.cardId,
      transactionId: open.networkId,
      ...(amountCents === null ? {} : { amount: euros(amountCents), currency: 'EUR' }),
    });

    const sender = async (index: number) => {
      const count = short ? messagesPerSender.short : messagesPerSender.long;
      for (let n = 0; n < count; n++) {
        const roll = random();
        if (roll < 0.45 || (pending.length === 0 && cleared.length === 0)) {
          // The limited card and the team's cards get most purchases, so all three rooms run dry.
          const cardId = random() < 0.3 ? limitedCardId : pick(cardIds);
          const amount = cents(500, 6000);
          const message = await send(index, 'authorization', kioskPurchase(cardId, amount));
          if (approved(message)) pending.push({ cardId, networkId: String(message.payload.id), cents: amount });
        } else if (roll < 0.6 && pending.length > 0) {
          // Left in the pool: an incremental races the clearing or reversal of the same purchase.
          const open = pick(pending);
          const more = cents(100, 2000);
          const message = await send(index, 'incremental_authorization', event('incremental_authorization', open, more));
          if (approved(message)) open.cents += more;
        } else if (roll < 0.82 && pending.length > 0) {
          // Taken out of the pool: nothing clears a purchase this part reverses.
          const open = pending.splice(Math.floor(random() * pending.length), 1)[0]!;
          const amount = Math.max(1, open.cents + (random() < 0.6 ? cents(1, 1500) : -cents(0, Math.floor(open.cents / 2))));
          const message = await send(index, 'clearing', event('clearing', open, amount));
          if (approved(message)) cleared.push({ ...open, cents: amount });
        } else if (roll < 0.9 && pending.length > 0) {
          const open = pending.splice(Math.floor(random() * pending.length), 1)[0]!;
          await send(index, 'reversal', event('reversal', open, null));
        } else if (cleared.length > 0) {
          // A refund of part of a cleared purchase; two of the same purchase may race.
          const open = pick(cleared);
          await send(index, 'refund', event('refund', open, cents(1, Math.max(1, Math.floor(open.cents / 3)))));
        }
      }
    };
    const senderCount = short ? senders.short : senders.long;
    progress(`  race: ${processCount} processes up, ${senderCount} senders`);
    const sendingStarted = performance.now();
    await Promise.all(Array.from({ length: senderCount }, (_, index) => sender(index)));

    const sendingSeconds = Math.round((performance.now() - sendingStarted) / 100) / 10;
    // Repeats, to another process than the first: the network id is the idempotency key.
    let repeats = 0;
    let repeatMismatches = 0;
    let refusalsDecidedAfresh = 0;
    for (const [index, message] of sent.entries()) {
      if (!message.answer || index % repeatEvery !== 0) continue;
      const network = networks[(message.process + 1) % networks.length]!;
      const again = await (message.kind === 'authorization' ? network.authorize(message.payload) : network.event(message.payload));
      repeats++;
      // A refusal (4xx) writes nothing, and neither does the stand-in decline a process answers
      // when it cannot decide in time, so a repeat of either is decided afresh on the state of then.
      if (message.answer.status !== 200 || isStandIn(message.answer)) {
        if (gist(again) !== gist(message.answer)) refusalsDecidedAfresh++;
        continue;
      }
      if (gist(again) !== gist(message.answer)) {
        repeatMismatches++;
        violations.add(`${message.kind} ${String(message.payload.id)} was answered ${gist(message.answer)} first and ${gist(again)} when sent again`);
      }
    }

    // Bursts on a quiet system: the engine's own room read from the database, then purchases
    // that together ask for more, all at once over the three processes. Nothing gives room back
    // meanwhile, so the approvals must fit the room exactly (what the concurrent phase above can
    // only bound, with every message in flight as slack).
    const monthStartLocal = new Date(`${now.toISOString().slice(0, 7)}-01T00:00:00Z`).getTime() - 2 * 3600_000;
    const cardRoom = async () => {
      const spent = await sql<{ spent: string }>`select coalesce(sum(coalesce(settled_amount, wallet_amount)), 0)::text as spent from card_transactions
        where company_id = ${company.id} and card_id = ${limitedCardId} and kind in ('purchase', 'atm_withdrawal', 'force_post') and state in ('pending', 'settled') and occurred_at >= ${new Date(monthStartLocal)}`.execute(db);
      return BigInt(limit) - BigInt(spent.rows[0]!.spent);
    };
    const bursts: Record<string, unknown>[] = [];
    const burst = async (room: string, cardId: string, readRoom: () => Promise<bigint>) => {
      const before = await readRoom();
      // A third of the room and a cent, so two fit; a euro when nothing is left.
      const each = before > 0n ? before / 3n + 1n : 100n;
      const messages = await Promise.all(Array.from({ length: burstSize }, (_, index) => send(index, 'authorization', kioskPurchase(cardId, Number(each)))));
      const approvedCount = messages.filter(approved).length;
      const took = BigInt(approvedCount) * each;
      if (took > (before > 0n ? before : 0n)) violations.add(`a burst of ${burstSize} purchases of ${euros(each)} EUR at once on ${room} with ${euros(before)} EUR left got ${approvedCount} approvals, ${euros(took)} EUR`);
      bursts.push({ room, left_before: euros(before), each: euros(each), sent: burstSize, approved: approvedCount });
    };
    // The wallet gets the budget's amount once more first, so that the wallet does not bind
    // before the limit and the budget do (it is counted in the wallet's checks).
    await recordTopUp(db, company.id, { amount: euros(budget), currency: 'EUR', bankReference: 'verify-race-bursts', receivedOn: now.toISOString().slice(0, 10) }, systemActor, new Date());
    await burst('the limited card\'s monthly limit', limitedCardId, cardRoom);
    await burst('the team budget', cardIds[1]!, async () => (await getBudgetView(db, company.id, teamBudget.id, new Date())).remaining);
    await burst('the wallet', cardIds[teamCards]!, async () => (await getWallet(db, company.id)).available);

    // Every message is in the database at most once: an authorization as its transaction (approved
    // or not), a lifecycle message as its network event (a refund has a transaction of its own too).
    const transactionCounts = await sql<{ id: string; n: number }>`select network_id as id, count(*)::int as n from card_transactions where company_id = ${company.id} group by network_id`.execute(db);
    const eventCounts = await sql<{ id: string; n: number }>`select network_event_id as id, count(*)::int as n from card_network_events where company_id = ${company.id} group by network_event_id`.execute(db);
    const transactionsRecorded = new Map(transactionCounts.rows.map((row) => [row.id, row.n]));
    const eventsRecorded = new Map(eventCounts.rows.map((row) => [row.id, row.n]));
    let unrecorded = 0;
    let duplicated = 0;
    let standIns = 0;
    for (const message of sent) {
      const count = (message.kind === 'authorization' ? transactionsRecorded : eventsRecorded).get(String(message.payload.id)) ?? 0;
      if (count > 1) {
        duplicated++;
        violations.add(`${message.kind} ${String(message.payload.id)} is in the database ${count} times`);
      }
      if (message.answer && isStandIn(message.answer)) standIns++;
      else if (count === 0 && (message.kind === 'authorization' || approved(message))) {
        unrecorded++;
        violations.add(`${message.kind} ${String(message.payload.id)} was answered ${message.answer ? gist(message.answer) : 'not at all'} but is not in the database`);
      }
    }

    const monthStart = new Date(`${now.toISOString().slice(0, 7)}-01T00:00:00Z`);
    // The company's month starts in Copenhagen, up to two hours before UTC's: an hour's margin either way changes nothing here, all of the part's purchases happen now.
    const rooms = await roomChecks(db, company.id, limitedCardId, teamUserIds, new Date(monthStart.getTime() - 2 * 3600_000));
    const walletLeft = BigInt(funding + budget) + rooms.refunded_all - rooms.approved_all;
    const cardLeft = BigInt(limit) - rooms.approved_card;
    const budgetLeft = BigInt(budget) - rooms.approved_team + rooms.refunded_team;
    if (walletLeft < 0n) violations.add(`approvals took ${euros(-walletLeft)} EUR more than the wallet was funded with (funded ${euros(funding + budget)}, approved ${euros(rooms.approved_all)}, refunded ${euros(rooms.refunded_all)})`);
    if (cardLeft < 0n) violations.add(`the limited card's approvals this month are ${euros(rooms.approved_card)} EUR, over its monthly limit of ${euros(limit)}`);
    if (budgetLeft < 0n) violations.add(`the team's approvals this month net of refunds are ${euros(rooms.approved_team - rooms.refunded_team)} EUR, over its enforced budget of ${euros(budget)}`);

    const teamCardIds = new Set(cardIds.slice(0, teamCards));
    const orderFindings = [
      orderCheck(sent, 'the wallet', BigInt(funding + budget), () => true, true),
      orderCheck(sent, 'the limited card\'s monthly limit', BigInt(limit), (cardId) => cardId === limitedCardId, false),
      orderCheck(sent, 'the team budget', BigInt(budget), (cardId) => teamCardIds.has(cardId), true),
    ];
    for (const finding of orderFindings) for (const text of finding) violations.add(text);

    // The same processes and database, racing over the expenses of a company of its own.
    progress('  race: reviews, payouts and exports of the same expenses');
    const expenses = await raceExpenses(fleet, servers, short, violations);

    const ledger = await ledgerVerify(fleet);
    if (ledger.code !== 0) violations.add(`outlay ledger verify exited ${ledger.code}: ${ledger.output.slice(0, 400)}`);

    const byKind: Record<string, number> = {};
    const approvals: Record<string, number> = {};
    const declines: Record<string, number> = {};
    for (const message of sent) {
      byKind[message.kind] = (byKind[message.kind] ?? 0) + 1;
      if (approved(message)) approvals[message.kind] = (approvals[message.kind] ?? 0) + 1;
      else if (message.answer) {
        const reason = message.answer.status === 200 ? String(message.answer.body.declineReason) : `${message.answer.status} ${String(message.answer.body.code)}`;
        declines[reason] = (declines[reason] ?? 0) + 1;
      }
    }
    return {
      processes: processCount,
      senders: senderCount,
      messages: sent.length,
      sending_seconds: sendingSeconds,
      messages_by_type: byKind,
      approvals,
      declines_by_reason: declines,
      order_checked_approvals: sent.filter(approved).filter((message) => message.kind === 'authorization' || message.kind === 'incremental_authorization').length,
      bursts,
      repeats,
      repeat_answer_mismatches: repeatMismatches,
      refusals_decided_afresh_on_repeat: refusalsDecidedAfresh,
      unrecorded,
      stand_in_declines: standIns,
      duplicated,
      wallet: { funded: euros(funding), topped_up_before_bursts: euros(budget), approved: euros(rooms.approved_all), refunded: euros(rooms.refunded_all), left: euros(walletLeft), held: euros(rooms.held), booked: euros(rooms.booked) },
      limited_card: { monthly_limit: euros(limit), approved: euros(rooms.approved_card), left: euros(cardLeft) },
      team_budget: { amount: euros(budget), approved_net_of_refunds: euros(rooms.approved_team - rooms.refunded_team), left: euros(budgetLeft) },
      expenses,
      ledger_verify: ledger.output.split('\n')[0],
      violations: violations.all,
    };
  } finally {
    await starting.catch(() => undefined);
    await closeFleet(fleet, servers);
  }
});
