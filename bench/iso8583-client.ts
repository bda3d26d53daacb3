// The card network's side of the ISO 8583 benchmark, in a child process (forked by
// bench/iso8583.ts) so the client's CPU is not the server's. The same mix of purchases goes
// to the server two ways: as signed JSON to POST /api/v1/processor/authorizations over
// node:http keep-alive connections, and as 0100 requests over the ISO 8583 gateway's TCP
// links, several links with a few requests pipelined on each (the gateway answers each link's
// requests in the order they came, which the client checks by the trace number, field 11).
//
// Phases: per transport a warm-up and a closed loop (`concurrency` in flight: the maximum
// rate), then per transport an open loop at half that rate (latency from each request's
// scheduled time, so queueing shows).
import http from 'node:http';
import { signatureHeader, signRequest } from '../src/cards/processor-signature.js';
import { authorizationNetworkId } from '../src/iso8583/network-ids.js';
import { declineResponseCodes, responseCodes } from '../src/iso8583/response-codes.js';
import { networkId } from '../src/simulator/network-client.js';
import { authorizationRequest } from '../src/test-support/iso8583-acquirer-messages.js';
import { Iso8583Client } from '../src/test-support/iso8583-client.js';
import { authorizationBody, authorizationPath, nextPurchase, seededRandom, type BenchCard, type Decision, type Purchase } from './auth-workload.js';
import { phase, PhaseClock, round, serveRun, sleep, summarise, type LatencySummary } from './client-harness.js';

export const transports = ['http', 'iso8583'] as const;
export type Transport = (typeof transports)[number];

export interface IsoBenchPlan {
  httpUrl: string;
  isoHost: string;
  isoPort: number;
  /** The processor secret, base64. */
  secret: string;
  cards: BenchCard[];
  seed: number;
  concurrency: number;
  /** ISO 8583 links; the requests in flight are spread over them. */
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Of purchases: ones the cards' controls decline. */
  declineShare: number;
}

/** An approval as answered: what the database must hold for it. */
export interface AnsweredApproval {
  transport: Transport;
  networkId: string;
  amount: bigint;
  /** HTTP answers name the transaction; ISO 8583 answers give an approval code (field 38) made from it. */
  transactionId: string | null;
  approvalCode: string | null;
}

export interface TransportPhase {
  seconds: number;
  authorizations: number;
  approvals: number;
  declines: number;
  latency: LatencySummary;
  client_cpu_percent: number;
}

export interface IsoBenchResult {
  closed: Record<Transport, TransportPhase>;
  open: Record<Transport, TransportPhase & { target_per_second: number }>;
  approvals: AnsweredApproval[];
  /** Answers other than the expected one, by transport, expected and answered. */
  unexpected: Record<string, number>;
  /** Requests without an answer, by transport and error. */
  errors: Record<string, number>;
  /** ISO 8583 answers whose trace number was not the one of the link's oldest open request. */
  out_of_order: number;
}

type Outcome = { answered: true; approved: boolean; code: string; approval: AnsweredApproval | null } | { answered: false; error: string };

/** Acquirer of the bench's ISO 8583 requests (field 32). */
const acquirer = '123456';
/** Field 22 for each channel of the mix: keyed e-commerce, chip with PIN, contactless chip. */
const posEntryModes: Record<Purchase['channel'], string> = { online: '010', in_person: '051', contactless: '071' };

class HttpTransport {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly secret: Buffer;

  constructor(plan: IsoBenchPlan, sockets: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
    this.base = new URL(plan.httpUrl);
    this.secret = Buffer.from(plan.secret, 'base64');
  }

  authorize(purchase: Purchase): Promise<Outcome> {
    const id = networkId('auth');
    const body = authorizationBody(purchase, id);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [signatureHeader]: signRequest(this.secret, { method: 'POST', target: authorizationPath, body }, Math.floor(Date.now() / 1000)) };
    return new Promise((resolve) => {
      const request = http.request({ agent: this.agent, host: this.base.hostname, port: this.base.port, method: 'POST', path: authorizationPath, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) return resolve({ answered: false, error: `${response.statusCode} ${text.slice(0, 80)}` });
          const decision = JSON.parse(text) as Decision;
          const approval = decision.approved ? { transport: 'http' as const, networkId: id, amount: purchase.amount, transactionId: decision.transactionId, approvalCode: null } : null;
          resolve({ answered: true, approved: decision.approved, code: decision.declineReason ?? 'approved', approval });
        });
        response.on('error', (error) => resolve({ answered: false, error: error.message }));
      });
      request.on('error', (error) => resolve({ answered: false, error: error.message }));
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

interface Link {
  client: Iso8583Client;
  /** Trace numbers sent and not yet answered, oldest first. */
  open: string[];
}

class IsoTransport {
  private traceCounter = 0;
  outOfOrder = 0;

  private constructor(private readonly links: Link[]) {}

  static async connect(plan: IsoBenchPlan): Promise<IsoTransport> {
    const clients = await Promise.all(Array.from({ length: plan.connections }, () => Iso8583Client.connect(plan.isoHost, plan.isoPort)));
    return new IsoTransport(clients.map((client) => ({ client, open: [] })));
  }

  /** The link with the fewest requests in flight. */
  leastBusy(): number {
    let best = 0;
    for (let i = 1; i < this.links.length; i++) if (this.links[i]!.open.length < this.links[best]!.open.length) best = i;
    return best;
  }

  async authorize(purchase: Purchase, linkIndex: number): Promise<Outcome> {
    const link = this.links[linkIndex % this.links.length]!;
    // Unique per run: the trace number wraps at a million, the retrieval reference does not.
    const count = ++this.traceCounter;
    const stan = String(count % 1_000_000).padStart(6, '0');
    const retrievalReference = String(count).padStart(12, '0');
    const transmittedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const { card, merchant, amount, channel } = purchase;
    const message = authorizationRequest({
      pan: card.pan, amount, currency: '978', merchant: { ...merchant, city: 'Bench City', id: '' },
      posEntryMode: posEntryModes[channel], transmittedAt, stan, retrievalReference, acquirer,
    });
    link.open.push(stan);
    try {
      const response = await link.client.request(message);
      if (link.open.shift() !== response.fields[11]) this.outOfOrder++;
      const code = response.fields[39] ?? 'none';
      const approved = code === responseCodes.approved && response.fields[38] !== undefined;
      const id = authorizationNetworkId({ acquirer, transmittedAt, stan, retrievalReference });
      const approval = approved ? { transport: 'iso8583' as const, networkId: id, amount, transactionId: null, approvalCode: response.fields[38]! } : null;
      return { answered: true, approved, code, approval };
    } catch (error) {
      return { answered: false, error: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.links.map((link) => link.client.close()));
  }
}

/** What each answer said, with the approvals kept for the parent to check against the database. */
class Tally {
  readonly approvals: AnsweredApproval[] = [];
  readonly unexpected: Record<string, number> = {};
  readonly errors: Record<string, number> = {};

  note(transport: Transport, purchase: Purchase, outcome: Outcome): void {
    if (!outcome.answered) {
      const key = `${transport} ${outcome.error}`;
      this.errors[key] = (this.errors[key] ?? 0) + 1;
      return;
    }
    if (outcome.approval) this.approvals.push(outcome.approval);
    const { expected } = purchase;
    const wanted = expected.approved ? (transport === 'http' ? 'approved' : responseCodes.approved) : transport === 'http' ? expected.reason : declineResponseCodes[expected.reason];
    if (outcome.code !== wanted || outcome.approved !== expected.approved) {
      const key = `${transport} expected ${wanted}, got ${outcome.code}`;
      this.unexpected[key] = (this.unexpected[key] ?? 0) + 1;
    }
  }
}

class PhaseRecorder extends PhaseClock {
  readonly latencies: number[] = [];
  approvals = 0;
  declines = 0;

  record(outcome: Outcome, startedAt: number, answeredAt: number): void {
    if (answeredAt > this.endsAt || !outcome.answered) return;
    this.latencies.push(answeredAt - startedAt);
    if (outcome.approved) this.approvals++;
    else this.declines++;
  }

  result(): TransportPhase {
    return { ...this.elapsed(), authorizations: this.latencies.length, approvals: this.approvals, declines: this.declines, latency: summarise(this.latencies) };
  }
}

/** Sends one purchase by `send` (given the sender's slot: its link for ISO 8583), records and tallies the answer. */
type Send = (purchase: Purchase, slot: number) => Promise<Outcome>;

class Mix {
  private readonly random: () => number;
  constructor(private readonly plan: IsoBenchPlan, readonly tally: Tally) {
    this.random = seededRandom(plan.seed);
  }

  next(): Purchase {
    return nextPurchase(this.random, this.plan.cards, this.random() < this.plan.declineShare ? 'decline' : 'approval');
  }

  async exchange(transport: Transport, send: Send, slot: number, recorder: PhaseRecorder, startedAt: number): Promise<void> {
    const purchase = this.next();
    const outcome = await send(purchase, slot);
    recorder.record(outcome, startedAt, performance.now());
    this.tally.note(transport, purchase, outcome);
  }
}

async function closedLoop(mix: Mix, transport: Transport, send: Send, seconds: number, concurrency: number): Promise<TransportPhase> {
  const recorder = new PhaseRecorder(performance.now() + seconds * 1000);
  await Promise.all(
    Array.from({ length: concurrency }, async (_, slot) => {
      while (performance.now() < recorder.endsAt) await mix.exchange(transport, send, slot, recorder, performance.now());
    }),
  );
  return recorder.result();
}

/** Sends on a fixed schedule whatever the answers do; `slot` picks where each goes. */
async function openLoop(mix: Mix, transport: Transport, send: Send, slot: () => number, seconds: number, perSecond: number) {
  const recorder = new PhaseRecorder(Number.POSITIVE_INFINITY);
  const start = recorder.startedAt;
  const intervalMs = 1000 / perSecond;
  const inFlight: Promise<void>[] = [];
  for (let n = 0; start + n * intervalMs < start + seconds * 1000; n++) {
    const scheduledAt = start + n * intervalMs;
    const wait = scheduledAt - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(mix.exchange(transport, send, slot(), recorder, scheduledAt));
  }
  await Promise.all(inFlight);
  return { ...recorder.result(), target_per_second: round(perSecond, 1) };
}

async function run(plan: IsoBenchPlan): Promise<IsoBenchResult> {
  const mix = new Mix(plan, new Tally());
  const http = new HttpTransport(plan, Math.max(256, plan.concurrency));
  const iso = await IsoTransport.connect(plan);
  const senders: Record<Transport, Send> = { http: (purchase) => http.authorize(purchase), iso8583: (purchase, slot) => iso.authorize(purchase, slot) };
  const closed = {} as IsoBenchResult['closed'];
  for (const transport of transports) {
    await phase(`${transport} warmup`, () => closedLoop(mix, transport, senders[transport], plan.warmupSeconds, plan.concurrency));
    closed[transport] = await phase(`${transport} closed`, () => closedLoop(mix, transport, senders[transport], plan.durationSeconds, plan.concurrency));
  }
  const open = {} as IsoBenchResult['open'];
  const slots: Record<Transport, () => number> = { http: () => 0, iso8583: () => iso.leastBusy() };
  for (const transport of transports) {
    const half = Math.max(1, closed[transport].authorizations / closed[transport].seconds / 2);
    open[transport] = await phase(`${transport} open`, () => openLoop(mix, transport, senders[transport], slots[transport], plan.durationSeconds, half));
  }
  http.close();
  await iso.close();
  const { approvals, unexpected, errors } = mix.tally;
  return { closed, open, approvals, unexpected, errors, out_of_order: iso.outOfOrder };
}

serveRun('iso8583 client', run);
