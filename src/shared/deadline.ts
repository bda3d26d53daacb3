// A point in time after which an answer is no longer wanted: the card network answers in the
// issuer's stead when the issuer is late, so work that would commit after that must not.
// Measured on the monotonic clock, which no clock adjustment moves.
import { performance } from 'node:perf_hooks';

export class DeadlineMissedError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`the deadline of ${deadlineMs} ms passed before the work could commit`);
    this.name = 'DeadlineMissedError';
  }
}

export class Deadline {
  readonly #endsAt: number;

  constructor(readonly ms: number) {
    this.#endsAt = performance.now() + ms;
  }

  remainingMs(): number {
    return Math.max(0, this.#endsAt - performance.now());
  }

  get passed(): boolean {
    return performance.now() >= this.#endsAt;
  }

  /** Throws unless more than `marginMs` is left: called as the last step before a commit,
   * whose own round trip must also end before the deadline. */
  check(marginMs = 0): void {
    if (this.remainingMs() <= marginMs) throw new DeadlineMissedError(this.ms);
  }

  /** The work's result, or 'missed' as soon as the deadline passes, whichever comes first.
   * The work goes on; a failure of it after the deadline is left to `onLateFailure`. */
  async race<T>(work: Promise<T>, onLateFailure: (error: unknown) => void): Promise<T | 'missed'> {
    let timer: NodeJS.Timeout | undefined;
    let missed = false;
    const timeout = new Promise<'missed'>((resolve) => {
      timer = setTimeout(() => {
        missed = true;
        resolve('missed');
      }, this.remainingMs());
    });
    work.catch((error: unknown) => {
      if (missed) onLateFailure(error);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
