import { describe, expect, it } from 'vitest';
import { backgroundBatches } from './background-work.js';

/** A promise with its resolve, to hold a batch until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('background batches', () => {
  it('works alone on what comes to an idle queue, and together on what came while a batch ran', async () => {
    const batches: number[][] = [];
    const first = gate();
    const done = gate();
    const work = backgroundBatches<number>({ concurrencyMax: 1, waitingMax: 100, batchMax: 3 }, async (items) => {
      batches.push(items);
      if (batches.length === 1) await first.opened;
      if (items.includes(7)) done.open();
    });
    work.add('1', 1);
    for (const n of [2, 3, 4, 5, 6, 7]) work.add(String(n), n);
    first.open();
    await done.opened;
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
    await work.stop();
  });

  it('takes at most batchMax at once, in the order they came, one entry per key', async () => {
    const batches: string[][] = [];
    const first = gate();
    const done = gate();
    const work = backgroundBatches<string>({ concurrencyMax: 1, waitingMax: 100, batchMax: 2 }, async (items) => {
      batches.push(items);
      if (batches.length === 1) await first.opened;
      if (items.includes('e')) done.open();
    });
    work.add('a', 'a');
    work.add('b', 'b');
    work.add('c', 'c');
    work.add('b', 'b');
    work.add('d', 'd');
    work.add('e', 'e');
    first.open();
    await done.opened;
    expect(batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    await work.stop();
  });

  it('leaves out what does not fit and goes on after a batch fails', async () => {
    const seen: number[][] = [];
    const first = gate();
    const done = gate();
    const work = backgroundBatches<number>({ concurrencyMax: 1, waitingMax: 2, batchMax: 1 }, async (items) => {
      seen.push(items);
      if (items[0] === 1) {
        await first.opened;
        throw new Error('the first batch fails');
      }
      if (items[0] === 3) done.open();
    });
    expect(work.add('1', 1)).toBe(true);
    expect(work.add('2', 2)).toBe(true);
    expect(work.add('3', 3)).toBe(true);
    expect(work.add('4', 4)).toBe(false);
    first.open();
    await done.opened;
    expect(seen).toEqual([[1], [2], [3]]);
    await work.stop();
  });
});
