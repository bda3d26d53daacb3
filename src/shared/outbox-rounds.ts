// How a process sends an outbox (e-mail, webhooks): in rounds, each claiming a batch of what is
// due and sending it one by one, then the next batch, until a batch comes back short. One round
// runs at a time in a process; an idle process starts one every pollIntervalMs, and asking for
// one while it runs waits for that one. With an interval of 0 rounds run only when asked (tests).

export interface OutboxRounds {
  /** Sends what is due now; resolves with how many were sent when this round is done. */
  deliverDue(): Promise<number>;
  /** Starts no more rounds and waits for the one under way. */
  stop(): Promise<void>;
}

export interface OutboxRoundOptions<Row> {
  /** Claims up to batchMax rows that are due, for this process. */
  claimBatch: () => Promise<Row[]>;
  batchMax: number;
  /** Sends one row and records the outcome; true when it was delivered. */
  send: (row: Row) => Promise<boolean>;
  pollIntervalMs: number;
  /** A round that failed (the database); the next one tries again. */
  onRoundError: (error: unknown) => void;
}

export function startOutboxRounds<Row>(options: OutboxRoundOptions<Row>): OutboxRounds {
  let stopped = false;
  let running: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function round(): Promise<number> {
    let sent = 0;
    while (!stopped) {
      const due = await options.claimBatch();
      if (due.length === 0) break;
      for (const row of due) if (await options.send(row)) sent += 1;
      if (due.length < options.batchMax) break;
    }
    return sent;
  }

  function deliverDue(): Promise<number> {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  }

  const schedule = () => {
    if (stopped || options.pollIntervalMs === 0) return;
    timer = setTimeout(() => {
      deliverDue()
        .catch(options.onRoundError)
        .finally(schedule);
    }, options.pollIntervalMs);
    timer.unref();
  };
  schedule();

  return {
    deliverDue,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

/** An attempt that did not get through: tried again at nextAttemptAt, or given up. */
export type UnsentOutcome = { status: 'queued'; nextAttemptAt: Date; error: string } | { status: 'failed'; error: string };

/** The most of an error an outbox row keeps. */
export const outboxErrorCharsMax = 1000;

/** What an outbox row's claim ends with when its attempt did not get through: queued again
 * for later or failed, its lease given up and the error kept. The same for every outbox, so
 * e-mail and webhooks read their log alike. */
export function unsentChanges(outcome: UnsentOutcome) {
  const last_error = outcome.error.slice(0, outboxErrorCharsMax);
  return outcome.status === 'queued'
    ? { status: 'queued' as const, next_attempt_at: outcome.nextAttemptAt, lease_until: null, last_error }
    : { status: 'failed' as const, lease_until: null, last_error };
}
