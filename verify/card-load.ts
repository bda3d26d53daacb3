// The card load of the parts that break something under it (crash, failover): a company with a
// funded wallet and cards, lanes sending authorizations and clearings through the processor
// API to whichever server processes are up, and the checks afterwards: every message without
// a usable answer sent again (the network id is the idempotency key), and every acknowledged
// answer in the database exactly once and as it was answered.
import { sql } from 'kysely';
import { systemActor } from '../src/auth/actor.js';
import { issueCard } from '../src/cards/card-issuing.service.js';
import { createCompany } from '../src/companies/companies.service.js';
import type { Db } from '../src/db/database.js';
import { addActivePerson } from '../src/people/people.service.js';
import { networkId, type NetworkClient, type SignedResponse } from '../src/simulator/network-client.js';
import { kioskPurchase } from '../src/test-support/kiosk-purchase.js';
import type { ServerProcess } from '../src/test-support/server-process.js';
import { recordTopUp } from '../src/wallet/wallet.service.js';
import type { Violations } from './verify-run.js';

export interface Sent {
  kind: 'authorization' | 'clearing';
  payload: Record<string, unknown>;
  /** The first answer the network got, or null when there was none (the process or its database died). */
  answer: SignedResponse | null;
  /** performance.now() when it was sent and when the first answer (or failure) came. */
  sentAt: number;
  answeredAt: number;
}

/** What must be the same when a message is sent again (the state moves on with later messages). */
export const gist = (answer: SignedResponse) => JSON.stringify({ status: answer.status, approved: answer.body.approved, declineReason: answer.body.declineReason, transactionId: answer.body.transactionId });

/** The stand-in decline Outlay answers when it cannot decide in time: no service, nothing recorded. */
export const isStandIn = (answer: SignedResponse) => answer.status === 200 && answer.body.declineReason === 'issuer_unavailable';

/** A company named `name` with a wallet funded far past the load and `cardCount` virtual cards. */
export async function seedCardholders(db: Db, encryptionKey: Buffer, name: string, cardCount: number): Promise<{ companyId: string; cardIds: string[] }> {
  const company = await createCompany(db, { name, currency: 'EUR', timeZone: 'Europe/Copenhagen' });
  await recordTopUp(db, company.id, { amount: '10000000.00', currency: 'EUR', bankReference: `verify-${name}`, receivedOn: '2026-11-01' }, systemActor, new Date());
  const cardIds: string[] = [];
  for (let i = 0; i < cardCount; i++) {
    const holder = await addActivePerson(db, company.id, { email: `holder${i}@${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.test`, name: `Holder ${i}`, roles: ['employee'], password: 'correct horse battery' });
    cardIds.push((await issueCard(db, encryptionKey, company.id, { userId: holder.id, kind: 'virtual' }, systemActor, new Date())).card.id);
  }
  return { companyId: company.id, cardIds };
}

/** A lane's pause after a message without a decision, before its next one. */
const failureBackoffMs = 100;

/** Lanes of authorizations (and clearings of those approved) to the live processes, turn by turn. */
export class CardLoad {
  readonly sent: Sent[] = [];
  /** Messages answered with 200 (the stand-in decline too). */
  acknowledged = 0;
  private stopping = false;
  private turn = 0;
  private readonly approvedUncleared: { cardId: string; transactionId: string; amount: string }[] = [];
  private running: Promise<void>[] = [];

  constructor(
    private readonly cardIds: string[],
    private readonly servers: ServerProcess[],
    private readonly networkOf: (server: ServerProcess) => NetworkClient,
    private readonly onAnswer: (sent: Sent) => void = () => undefined,
  ) {}

  start(lanes: number): void {
    this.running = Array.from({ length: lanes }, () => this.lane());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  /** Resolves once `count` more messages have been acknowledged. */
  async acknowledgedMore(count: number): Promise<void> {
    const target = this.acknowledged + count;
    while (this.acknowledged < target) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private async lane(): Promise<void> {
    while (!this.stopping) {
      const turn = this.turn++;
      const server = this.servers[turn % this.servers.length]!;
      const clearing = this.approvedUncleared.length > 0 && turn % 3 === 0 ? this.approvedUncleared.shift()! : null;
      const request: Sent = clearing
        ? { kind: 'clearing', payload: { id: networkId('clr'), type: 'clearing', cardId: clearing.cardId, transactionId: clearing.transactionId, amount: clearing.amount, currency: 'EUR' }, answer: null, sentAt: performance.now(), answeredAt: 0 }
        : { kind: 'authorization', payload: kioskPurchase(this.cardIds[turn % this.cardIds.length]!, 100 + (turn % 900)), answer: null, sentAt: performance.now(), answeredAt: 0 };
      this.sent.push(request);
      const client = this.networkOf(server);
      request.answer = await (request.kind === 'clearing' ? client.event(request.payload) : client.authorize(request.payload)).catch(() => null);
      request.answeredAt = performance.now();
      this.onAnswer(request);
      // A network backs off from an issuer that cannot decide; without it a lane sends thousands a second while the database is away.
      if (request.answer?.status !== 200 || isStandIn(request.answer)) await new Promise((resolve) => setTimeout(resolve, failureBackoffMs));
      if (request.answer?.status !== 200) continue;
      this.acknowledged++;
      if (request.kind === 'authorization' && request.answer.body.approved === true) {
        this.approvedUncleared.push({ cardId: String(request.payload.cardId), transactionId: String(request.payload.id), amount: String(request.payload.amount) });
      }
    }
  }
}

/**
 * Sends again every message that got no answer, or one that was no decision (5xx, the
 * stand-in), and every `answeredEvery`th answered one, to one live process; the first must get
 * a decision now, the others the answer they got first. Unanswered messages take their new answer.
 */
export async function sendAgain(sent: Sent[], network: NetworkClient, answeredEvery: number, violations: Violations) {
  let retried = 0;
  let retriedAnswered = 0;
  let mismatches = 0;
  for (const [index, request] of sent.entries()) {
    const undecided = request.answer === null || request.answer.status !== 200 || isStandIn(request.answer);
    if (!undecided && index % answeredEvery !== 0) continue;
    const again = await (request.kind === 'clearing' ? network.event(request.payload) : network.authorize(request.payload));
    retried++;
    if (undecided) {
      if (again.status === 200 && !isStandIn(again)) retriedAnswered++;
      else violations.add(`${request.kind} ${String(request.payload.id)}, undecided at first (${request.answer ? gist(request.answer) : 'no answer'}), got ${gist(again)} when sent again`);
      request.answer = again;
    } else if (gist(again) !== gist(request.answer!)) {
      mismatches++;
      violations.add(`${request.kind} ${String(request.payload.id)} was answered ${gist(request.answer!)} first and ${gist(again)} when sent again`);
    }
  }
  return { retried, retriedAnswered, mismatches };
}

/** Every answered message in the database exactly once, as it was answered. */
export async function checkRecorded(db: Db, companyId: string, sent: Sent[], violations: Violations): Promise<{ lost: number; duplicated: number }> {
  const transactions = await db.selectFrom('card_transactions').select(['network_id', 'id']).where('company_id', '=', companyId).execute();
  const events = await db.selectFrom('card_network_events').select(['network_event_id', 'transaction_id']).where('company_id', '=', companyId).execute();
  const transactionCounts = new Map<string, number>();
  for (const row of transactions) transactionCounts.set(row.network_id, (transactionCounts.get(row.network_id) ?? 0) + 1);
  const eventCounts = new Map<string, number>();
  for (const row of events) eventCounts.set(row.network_event_id, (eventCounts.get(row.network_event_id) ?? 0) + 1);
  const transactionById = new Map(transactions.map((row) => [row.network_id, row.id]));
  let lost = 0;
  let duplicated = 0;
  for (const request of sent) {
    const id = String(request.payload.id);
    const count = (request.kind === 'clearing' ? eventCounts : transactionCounts).get(id) ?? 0;
    // A declined purchase is recorded too (state declined), so every decided authorization has its row.
    const decided = request.answer !== null && request.answer.status === 200 && !isStandIn(request.answer);
    if (decided && (request.kind === 'authorization' || request.answer!.body.approved === true) && count === 0) {
      lost++;
      violations.add(`${request.kind} ${id} was answered but is not in the database`);
    }
    if (count > 1) {
      duplicated++;
      violations.add(`${request.kind} ${id} is in the database ${count} times`);
    }
    if (request.kind === 'authorization' && request.answer?.body.transactionId && transactionById.get(id) !== request.answer.body.transactionId) {
      violations.add(`authorization ${id} was answered as ${String(request.answer.body.transactionId)} but recorded as ${transactionById.get(id)}`);
    }
  }
  const distinct = await sql<{ n: number; ids: number }>`select count(*)::int as n, count(distinct network_id)::int as ids from card_transactions where company_id = ${companyId}`.execute(db);
  if (distinct.rows[0]!.n !== distinct.rows[0]!.ids) violations.add(`card_transactions holds ${distinct.rows[0]!.n} rows for ${distinct.rows[0]!.ids} network ids`);
  return { lost, duplicated };
}
