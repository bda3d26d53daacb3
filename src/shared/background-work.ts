// Work a process does beside its answers once a change has committed (a purchase's expense,
// its receipt prompt): a few at a time so it never takes the database from the answers, the
// rest waiting in a bounded queue, one entry per key (a thing changed twice while it waits is
// worked on once). What does not fit, or still waits when the process stops, is left to the
// sweep that catches up on it.

export interface BackgroundWork<Item> {
  /** Queues the item under its key; false when the queue is full and it was left out. */
  add(key: string, item: Item): boolean;
  /** Takes nothing more, drops what waits, and resolves once the items under way are done. */
  stop(): Promise<void>;
}

/**
 * The queue, worked on in batches: each worker takes up to `batchMax` waiting items at
 * once (in the order they came), so work that can be done for many items in a few set-based
 * statements is. Under no load a batch is the one item that came; under load the items that
 * arrived while the previous batch ran go together.
 */
export function backgroundBatches<Item>(limits: { concurrencyMax: number; waitingMax: number; batchMax: number }, work: (items: Item[]) => Promise<void>): BackgroundWork<Item> {
  const waiting = new Map<string, Item>();
  const workers = new Set<Promise<void>>();
  let stopped = false;
  const takeBatch = (): Item[] => {
    const batch: Item[] = [];
    for (const [key, item] of waiting) {
      if (batch.length >= limits.batchMax) break;
      waiting.delete(key);
      batch.push(item);
    }
    return batch;
  };
  const drain = async () => {
    for (let batch = takeBatch(); batch.length > 0 && !stopped; batch = takeBatch()) {
      // `work` reports its own failures; one failing must not stop the queue.
      await work(batch).catch(() => {});
    }
  };
  return {
    add(key, item) {
      if (stopped || (waiting.size >= limits.waitingMax && !waiting.has(key))) return false;
      waiting.set(key, item);
      if (workers.size < limits.concurrencyMax) {
        const worker = drain();
        workers.add(worker);
        void worker.finally(() => workers.delete(worker));
      }
      return true;
    },
    async stop() {
      stopped = true;
      waiting.clear();
      while (workers.size > 0) await Promise.allSettled([...workers]);
    },
  };
}
