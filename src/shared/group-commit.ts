// Group commit: messages that arrive while a batch is being written go together into the next
// one, so a busy process commits many of them in one database transaction while an idle one
// answers a single message at once. What a batch does with its members is the caller's (the
// batched authorization engine, src/cards/authorization-batch.ts; the network's lifecycle
// messages, src/cards/network-event-batch.ts); this file only decides which members go
// together and when, and hands each member its result.
import { performance } from 'node:perf_hooks';

/** What a batch made of one member: its outcome, its own error, or "apply it on its own". */
export type GroupResult<Outcome> = { outcome: Outcome } | { error: unknown } | { alone: true };

export interface GroupCommitOptions<Member, Outcome> {
  /** Most members in one batch. */
  maxBatch: number;
  /** Batches in flight at most (each on its own connection). */
  maxConcurrent: number;
  /** One batch is in flight while batches end within this; past it, another may start beside
   * the slow ones, so a batch waiting on a lock (up to the lock timeout) holds nobody else up. */
  stalledAfterMs: number;
  /** Applies a batch in its own transaction (a result per member, in order), or throws. */
  runBatch(members: readonly Member[]): Promise<GroupResult<Outcome>[]>;
  /** Applies one member in its own transaction: a member the batch left alone, and every
   * member of a batch that failed as a whole. */
  runAlone(member: Member): Promise<Outcome>;
}

interface Waiting<Member, Outcome> {
  member: Member;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

/**
 * Collects the members that arrive while earlier batches run. An idle batcher starts at the
 * end of the current turn of the event loop (so requests read together go together), and a
 * busy one takes everything waiting, up to maxBatch, as soon as its batch ends. Only when
 * every batch in flight has run for stalledAfterMs does another start beside them. Members
 * left alone run after their batch has ended (committed or rolled back), not awaited by the
 * next batch.
 */
export class GroupCommitBatcher<Member, Outcome> {
  readonly #waiting: Waiting<Member, Outcome>[] = [];
  /** When each batch in flight started (performance.now()). */
  readonly #startedAt = new Set<number>();
  #scheduled = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: GroupCommitOptions<Member, Outcome>) {}

  submit(member: Member): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ member, resolve, reject });
      this.#schedule();
    });
  }

  /** Members waiting and batches running, for metrics and tests. */
  get load(): { waiting: number; running: number } {
    return { waiting: this.#waiting.length, running: this.#startedAt.size };
  }

  /** How long until another batch may start: 0 now, Infinity while the most are in flight. */
  #untilNext(now: number): number {
    if (this.#startedAt.size === 0) return 0;
    if (this.#startedAt.size >= this.options.maxConcurrent) return Infinity;
    return Math.max(0, Math.max(...this.#startedAt) + this.options.stalledAfterMs - now);
  }

  #schedule(): void {
    if (this.#scheduled) return;
    const wait = this.#untilNext(performance.now());
    if (wait === 0) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.#pump();
      });
    } else if (wait !== Infinity && !this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        if (this.#waiting.length > 0) this.#schedule();
      }, Math.ceil(wait));
      this.#timer.unref();
    }
  }

  #pump(): void {
    while (this.#waiting.length > 0 && this.#untilNext(performance.now()) === 0) {
      const batch = this.#waiting.splice(0, this.options.maxBatch);
      // Two batches started in one millisecond still count as two.
      let startedAt = performance.now();
      while (this.#startedAt.has(startedAt)) startedAt += 1e-6;
      this.#startedAt.add(startedAt);
      void this.#run(batch).finally(() => {
        this.#startedAt.delete(startedAt);
        if (this.#waiting.length > 0) this.#schedule();
      });
    }
    if (this.#waiting.length > 0) this.#schedule();
  }

  async #run(batch: Waiting<Member, Outcome>[]): Promise<void> {
    let results: GroupResult<Outcome>[];
    try {
      results = await this.options.runBatch(batch.map((waiting) => waiting.member));
    } catch {
      // Nothing of the batch committed: each member is applied on its own.
      results = batch.map(() => ({ alone: true }));
    }
    batch.forEach((waiting, index) => {
      const result = results[index]!;
      if ('outcome' in result) waiting.resolve(result.outcome);
      else if ('error' in result) waiting.reject(result.error);
      // Not awaited: the next batch need not wait for these.
      else this.options.runAlone(waiting.member).then(waiting.resolve, waiting.reject);
    });
  }
}
