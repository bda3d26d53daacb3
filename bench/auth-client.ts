// The card network's side of the authorization benchmark, run in a child process (forked
// by bench/auth.ts) so that the client's CPU is not counted against the server's thread.
// It sends signed requests over node:http keep-alive connections: real HTTP on loopback,
// with less client CPU per request than fetch, which matters when client, server and
// PostgreSQL share two cores.
//
// Phases, in order: a few sequential probes of each message kind (the parent counts the
// queries each one runs), GET /health at full concurrency (the reference), a warm-up, the
// closed loop (`concurrency` messages always in flight: the maximum rate), and the open
// loop (messages sent on a fixed schedule at half that rate, each latency taken from its
// scheduled send time, so queueing shows).
import http from 'node:http';
import { signatureHeader, signRequest } from '../src/cards/processor-signature.js';
import { isAuthorization, pathOf, Workload, type Answer, type BenchCard, type CompanyExpectation, type Decision, type Message, type WorkloadTally } from './auth-workload.js';
import { phase, PhaseClock, round, serveRun, sleep, summarise, tell, type ChildMessage as HarnessChildMessage, type LatencySummary, type ParentMessage as HarnessParentMessage } from './client-harness.js';

export interface ClientPlan {
  /** The server processes to send to, in turn. */
  urls: string[];
  /** The processor secret, base64. */
  secret: string;
  cards: BenchCard[];
  companies: number;
  seed: number;
  concurrency: number;
  durationSeconds: number;
  warmupSeconds: number;
  healthSeconds: number;
  probesPerKind: number;
}

export type { LatencySummary } from './client-harness.js';

export interface PhaseResult {
  seconds: number;
  authorizations: number;
  events: number;
  authorization_latency: LatencySummary;
  event_latency: LatencySummary;
  client_cpu_percent: number;
}

export interface ClientResult {
  health: { requests_per_second: number; p50_ms: number; p99_ms: number };
  probes: Record<string, { latency_ms: number }>;
  closed: PhaseResult;
  open: PhaseResult & { target_messages_per_second: number; client_lag_max_ms: number };
  expectations: CompanyExpectation[];
  tally: WorkloadTally;
}

export type ParentMessage = HarnessParentMessage<ClientPlan>;
export type ChildMessage = HarnessChildMessage<ClientResult>;

class Sender {
  private readonly agent: http.Agent;
  private readonly bases: URL[];
  private turn = 0;
  private readonly secret: Buffer;

  constructor(plan: ClientPlan, sockets: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
    this.bases = plan.urls.map((url) => new URL(url));
    this.secret = Buffer.from(plan.secret, 'base64');
  }

  request(method: 'GET' | 'POST', path: string, body = ''): Promise<{ status: number; text: string; error: string | null }> {
    const headers: http.OutgoingHttpHeaders =
      method === 'POST'
        ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [signatureHeader]: signRequest(this.secret, { method, target: path, body }, Math.floor(Date.now() / 1000)) }
        : {};
    return new Promise((resolve) => {
      const base = this.bases[(this.turn += 1) % this.bases.length]!;
      const request = http.request({ agent: this.agent, host: base.hostname, port: base.port, method, path, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text, error: null }));
        response.on('error', (error) => resolve({ status: 0, text, error: error.message }));
      });
      request.on('error', (error) => resolve({ status: 0, text: '', error: error.message }));
      request.end(body);
    });
  }

  async send(message: Message): Promise<Answer> {
    const { status, text, error } = await this.request('POST', pathOf(message), message.sent.body);
    if (status !== 200) {
      let code = error;
      try {
        code = (JSON.parse(text) as { code?: string }).code ?? code;
      } catch {
        // not a problem document
      }
      return { status, decision: null, error: code };
    }
    return { status, decision: JSON.parse(text) as Decision, error: null };
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Latencies and counts of the answers that arrived inside a phase's window. */
class PhaseRecorder extends PhaseClock {
  readonly authorizationMs: number[] = [];
  readonly eventMs: number[] = [];

  record(message: Message, startedAt: number, answeredAt: number): void {
    if (answeredAt > this.endsAt) return;
    (isAuthorization(message) ? this.authorizationMs : this.eventMs).push(answeredAt - startedAt);
  }

  result(): PhaseResult {
    const { seconds, client_cpu_percent } = this.elapsed();
    return {
      seconds,
      authorizations: this.authorizationMs.length,
      events: this.eventMs.length,
      authorization_latency: summarise(this.authorizationMs),
      event_latency: summarise(this.eventMs),
      client_cpu_percent,
    };
  }
}

/** Sends one message of the mix (an authorization sent twice at once is two requests). */
async function exchange(sender: Sender, workload: Workload, message: Message, recorder: PhaseRecorder, startedAt: number): Promise<void> {
  if (message.kind === 'authorization' && message.twice) {
    const [first, second] = await Promise.all([sender.send(message), sender.send(message)]);
    const answeredAt = performance.now();
    workload.answeredTwice(message, first, second);
    recorder.record(message, startedAt, answeredAt);
    recorder.record(message, startedAt, answeredAt);
    return;
  }
  const answer = await sender.send(message);
  recorder.record(message, startedAt, performance.now());
  workload.answered(message, answer);
}

async function closedLoop(sender: Sender, workload: Workload, seconds: number, concurrency: number): Promise<PhaseResult> {
  const recorder = new PhaseRecorder(performance.now() + seconds * 1000);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < recorder.endsAt) {
        await exchange(sender, workload, workload.next(), recorder, performance.now());
      }
    }),
  );
  return recorder.result();
}

/** Sends on a fixed schedule whatever the answers do; a message's latency counts from its slot. */
async function openLoop(sender: Sender, workload: Workload, seconds: number, messagesPerSecond: number) {
  const recorder = new PhaseRecorder(Number.POSITIVE_INFINITY);
  const start = recorder.startedAt;
  const endsAt = start + seconds * 1000;
  const intervalMs = 1000 / messagesPerSecond;
  const inFlight: Promise<void>[] = [];
  let lagMaxMs = 0;
  for (let slot = 0; start + slot * intervalMs < endsAt; slot++) {
    const scheduledAt = start + slot * intervalMs;
    const wait = scheduledAt - performance.now();
    if (wait > 1) await sleep(wait);
    lagMaxMs = Math.max(lagMaxMs, performance.now() - scheduledAt);
    inFlight.push(exchange(sender, workload, workload.next(), recorder, scheduledAt));
  }
  await Promise.all(inFlight);
  // Everything sent was answered; rates are over the time it took, drain included.
  const result = recorder.result();
  return { ...result, target_messages_per_second: round(messagesPerSecond, 1), client_lag_max_ms: round(lagMaxMs) };
}

async function health(sender: Sender, seconds: number, concurrency: number) {
  const endsAt = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < endsAt) {
        const startedAt = performance.now();
        const { status } = await sender.request('GET', '/health');
        if (status !== 200) throw new Error(`GET /health answered ${status}`);
        if (performance.now() <= endsAt) latencies.push(performance.now() - startedAt);
      }
    }),
  );
  const summary = summarise(latencies);
  return { requests_per_second: round(latencies.length / seconds, 1), p50_ms: summary.p50_ms, p99_ms: summary.p99_ms };
}

/** One message of a kind, sent alone while the parent counts the server's queries. */
async function probe(sender: Sender, kind: string, message: Message, latencies: Record<string, number[]>): Promise<Answer> {
  await tell({ type: 'probe', kind, state: 'start' });
  const startedAt = performance.now();
  const answer = await sender.send(message);
  (latencies[kind] ??= []).push(performance.now() - startedAt);
  await tell({ type: 'probe', kind, state: 'end' });
  return answer;
}

async function probeEachKind(sender: Sender, workload: Workload, count: number): Promise<ClientResult['probes']> {
  const latencies: Record<string, number[]> = {};
  for (let i = 0; i < count; i++) {
    for (const type of ['clearing', 'reversal'] as const) {
      const approval = workload.fresh('approval');
      const hold = workload.answered(approval, await probe(sender, 'approval', approval, latencies), false);
      if (!hold) continue;
      const event = workload.eventFor(hold, type, false);
      workload.answered(event, await probe(sender, type, event, latencies));
    }
    const decline = workload.fresh('decline');
    const declined = await probe(sender, 'decline', decline, latencies);
    workload.answered(decline, declined);
    if (decline.kind === 'authorization' && declined.decision) {
      const repeat: Message = { kind: 'repeat', sent: decline.sent, first: declined.decision };
      workload.answered(repeat, await probe(sender, 'repeat', repeat, latencies));
    }
  }
  return Object.fromEntries(Object.entries(latencies).map(([kind, values]) => [kind, { latency_ms: summarise(values).p50_ms }]));
}

async function run(plan: ClientPlan): Promise<ClientResult> {
  const workload = new Workload(plan.cards, plan.companies, plan.seed);
  const sender = new Sender(plan, plan.concurrency);
  const probes = await probeEachKind(sender, workload, plan.probesPerKind);
  const healthResult = await phase('health', () => health(sender, plan.healthSeconds, plan.concurrency));
  await phase('warmup', () => closedLoop(sender, workload, plan.warmupSeconds, plan.concurrency));
  const closed = await phase('closed', () => closedLoop(sender, workload, plan.durationSeconds, plan.concurrency));
  sender.close();
  const messagesPerSecond = (closed.authorizations + closed.events) / closed.seconds / 2;
  // In the open loop answers may lag behind the schedule; enough sockets that they queue
  // in the server, where the latency belongs, rather than in this client.
  const openSender = new Sender(plan, Math.max(256, plan.concurrency));
  const open = await phase('open', () => openLoop(openSender, workload, plan.durationSeconds, messagesPerSecond));
  openSender.close();
  return { health: healthResult, probes, closed, open, expectations: workload.expectations, tally: workload.tally };
}

serveRun('auth client', run);
