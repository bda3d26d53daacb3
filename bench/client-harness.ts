// The client side of a benchmark's child process (forked by bench/bench-harness.ts runClient):
// the messages it and the parent exchange, telling the parent where a phase starts and ends
// (the parent samples CPU and queries between the two and acknowledges), and latency
// summaries. A child has no other way in: it runs the one plan the parent sends.

export type ParentMessage<Plan> = { type: 'run'; plan: Plan } | { type: 'ack' };
export type ChildMessage<Result> =
  | { type: 'phase'; phase: string; state: 'start' | 'end' }
  | { type: 'probe'; kind: string; state: 'start' | 'end' }
  | { type: 'result'; result: Result };

export interface LatencySummary {
  count: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
}

export const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;

export function summarise(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
  return { count: sorted.length, p50_ms: round(at(0.5)), p90_ms: round(at(0.9)), p99_ms: round(at(0.99)), max_ms: round(sorted.at(-1) ?? 0) };
}

/** A phase's window: seconds since it began (up to its end) and the CPU this process used meanwhile. */
export class PhaseClock {
  private readonly cpuAtStart = process.cpuUsage();
  readonly startedAt = performance.now();

  constructor(readonly endsAt: number) {}

  elapsed(): { seconds: number; client_cpu_percent: number } {
    const seconds = (Math.min(this.endsAt, performance.now()) - this.startedAt) / 1000;
    const cpu = process.cpuUsage(this.cpuAtStart);
    return { seconds: round(seconds), client_cpu_percent: round(((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100, 1) };
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let acknowledge: (() => void) | null = null;

/** Tells the parent something and waits until it has acted on it. */
export function tell(message: ChildMessage<never>): Promise<void> {
  return new Promise((resolve) => {
    acknowledge = resolve;
    process.send!(message);
  });
}

/** Runs a phase between the parent's start and end samples. */
export async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  await tell({ type: 'phase', phase: name, state: 'start' });
  const result = await work();
  await tell({ type: 'phase', phase: name, state: 'end' });
  return result;
}

/** Runs the plan the parent sends and sends back the result; `name` labels a failure. */
export function serveRun<Plan, Result>(name: string, run: (plan: Plan) => Promise<Result>): void {
  let finished = false;
  // Orphaned (the bench stopped or died): stop sending.
  process.on('disconnect', () => {
    if (!finished) process.exit(1);
  });
  process.on('message', (message: ParentMessage<Plan>) => {
    if (message.type === 'ack') {
      const resolve = acknowledge;
      acknowledge = null;
      resolve?.();
      return;
    }
    run(message.plan)
      .then((result) => {
        finished = true;
        process.send!({ type: 'result', result } satisfies ChildMessage<Result>, () => process.disconnect());
      })
      .catch((error: unknown) => {
        process.stderr.write(`${name}: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
      });
  });
}
