// How the soak judges its samples (verify/soak.ts): after a warm-up, the steady part's last
// third must look like its first third, within named bounds. A pure function, tested with
// tables (test/verify/soak-flatness.test.ts).
import { quantile } from '../bench/quantile.js';

/** The bounds the steady part's last third is held to, against its first third. */
export const soakBounds = {
  /** Mean resident memory of a process may grow by this share, plus the slack. */
  memoryGrowthShare: 0.25,
  memorySlackBytes: 48 * 1024 * 1024,
  /** Database connections (at most) may grow by this many. */
  connectionGrowth: 3,
  /** Mean queued work may grow to this multiple, plus the slack. */
  queueGrowthFactor: 2,
  queueSlack: 50,
  /** p99 may grow to this multiple, plus the slack in milliseconds. */
  p99GrowthFactor: 2,
  p99SlackMs: 25,
};

export interface Sample {
  atSeconds: number;
  rssBytes: number[];
  connections: number;
  jobsWaiting: number;
  expensesBehind: number;
  webhooksWaiting: number;
  messages: number;
  p50Ms: number;
  p99Ms: number;
}

const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);

/** The steady part's first and last thirds compared; one violation per bound crossed. */
export function flatness(samples: readonly Sample[], violations: { add(text: string): void }) {
  const steady = samples.slice(Math.max(1, Math.floor(samples.length / 10)));
  const third = Math.max(1, Math.floor(steady.length / 3));
  const first = steady.slice(0, third);
  const last = steady.slice(-third);
  const processes = first[0]?.rssBytes.length ?? 0;
  const memory = Array.from({ length: processes }, (_, index) => ({ first: mean(first.map((sample) => sample.rssBytes[index]!)), last: mean(last.map((sample) => sample.rssBytes[index]!)) }));
  memory.forEach((figures, index) => {
    const bound = figures.first * (1 + soakBounds.memoryGrowthShare) + soakBounds.memorySlackBytes;
    if (figures.last > bound) violations.add(`process ${index + 1}'s memory grew from ${Math.round(figures.first / 1048576)} MiB to ${Math.round(figures.last / 1048576)} MiB (bound ${Math.round(bound / 1048576)} MiB)`);
  });
  const connections = { first: Math.max(...first.map((sample) => sample.connections)), last: Math.max(...last.map((sample) => sample.connections)) };
  if (connections.last > connections.first + soakBounds.connectionGrowth) violations.add(`database connections grew from ${connections.first} to ${connections.last}`);
  const queued = (sample: Sample) => sample.jobsWaiting + sample.expensesBehind + sample.webhooksWaiting;
  const queues = { first: mean(first.map(queued)), last: mean(last.map(queued)) };
  if (queues.last > queues.first * soakBounds.queueGrowthFactor + soakBounds.queueSlack) violations.add(`queued work grew from ${queues.first.toFixed(0)} to ${queues.last.toFixed(0)} on average`);
  const p99 = { first: quantile([...first.map((sample) => sample.p99Ms)].sort((a, b) => a - b), 0.5), last: quantile([...last.map((sample) => sample.p99Ms)].sort((a, b) => a - b), 0.5) };
  if (p99.last > p99.first * soakBounds.p99GrowthFactor + soakBounds.p99SlackMs) violations.add(`p99 grew from ${p99.first.toFixed(1)} ms to ${p99.last.toFixed(1)} ms (median of the intervals' p99)`);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    memory_mib_first_last: memory.map((figures) => [round(figures.first / 1048576), round(figures.last / 1048576)]),
    connections_first_last: [connections.first, connections.last],
    queued_first_last: [round(queues.first), round(queues.last)],
    p99_ms_first_last: [round(p99.first), round(p99.last)],
  };
}

