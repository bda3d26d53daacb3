// The soak's judgement of its samples: a steady run passes; each kind of growth past its bound
// is named; growth within the bounds and a slow warm-up are not held against the run.
import { describe, expect, it } from 'vitest';
import { flatness, soakBounds, type Sample } from '../../verify/soak-flatness.js';

const mib = 1024 * 1024;

/** Twelve samples of a steady run, each changed by `change` (given the sample's index). */
function run(change: (index: number) => Partial<Sample> = () => ({})): Sample[] {
  return Array.from({ length: 12 }, (_, index) => ({
    atSeconds: (index + 1) * 60,
    rssBytes: [200 * mib, 210 * mib, 190 * mib],
    connections: 14,
    jobsWaiting: 3,
    expensesBehind: 20,
    webhooksWaiting: 0,
    messages: 3_000,
    p50Ms: 6,
    p99Ms: 40,
    ...change(index),
  }));
}

function judge(samples: Sample[]) {
  const found: string[] = [];
  const figures = flatness(samples, { add: (text) => found.push(text) });
  return { found, figures };
}

describe('the soak\'s flatness', () => {
  it('passes a steady run and reports its first and last thirds', () => {
    const { found, figures } = judge(run());
    expect(found).toEqual([]);
    expect(figures).toEqual({ memory_mib_first_last: [[200, 200], [210, 210], [190, 190]], connections_first_last: [14, 14], queued_first_last: [23, 23], p99_ms_first_last: [40, 40] });
  });

  const late = (index: number) => index >= 8;
  it.each([
    ['memory of one process', (index: number) => ({ rssBytes: [200 * mib, late(index) ? 400 * mib : 210 * mib, 190 * mib] }), /process 2's memory grew from 210 MiB to 400 MiB/],
    ['connections', (index: number) => ({ connections: late(index) ? 14 + soakBounds.connectionGrowth + 1 : 14 }), /database connections grew from 14 to 18/],
    ['queued expenses', (index: number) => ({ expensesBehind: late(index) ? 500 : 20 }), /queued work grew from 23 to 503/],
    ['queued jobs', (index: number) => ({ jobsWaiting: late(index) ? 200 : 3 }), /queued work grew from 23 to 220/],
    ['p99', (index: number) => ({ p99Ms: late(index) ? 120 : 40 }), /p99 grew from 40.0 ms to 120.0 ms/],
  ])('names growth of %s past its bound', (_name, change, message) => {
    const { found } = judge(run(change));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it.each([
    ['memory within its share', (index: number) => ({ rssBytes: [late(index) ? 240 * mib : 200 * mib, 210 * mib, 190 * mib] })],
    ['connections within their bound', (index: number) => ({ connections: late(index) ? 14 + soakBounds.connectionGrowth : 14 })],
    ['p99 just under double plus the slack', (index: number) => ({ p99Ms: late(index) ? 40 * soakBounds.p99GrowthFactor + soakBounds.p99SlackMs : 40 })],
    ['a slow first sample (the warm-up)', (index: number) => (index === 0 ? { p99Ms: 900, rssBytes: [90 * mib, 90 * mib, 90 * mib] } : {})],
  ])('lets %s pass', (_name, change) => {
    expect(judge(run(change)).found).toEqual([]);
  });
});
