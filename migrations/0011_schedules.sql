-- Periodic work (sweeps, purges) runs once per tick across every server process that shares
-- the database: a process runs tick T of a job only if its insert of (job, T) succeeds. The
-- row then records who ran it, how it ended and how long it took.
--
-- outlay: expand
CREATE TABLE scheduled_runs (
  job          text NOT NULL,
  tick         timestamptz NOT NULL,
  process      text NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  outcome      text CHECK (outcome IN ('succeeded', 'failed')),
  duration_ms  integer,
  error        text,
  PRIMARY KEY (job, tick),
  CHECK ((outcome IS NULL) = (finished_at IS NULL))
);
CREATE INDEX scheduled_runs_tick ON scheduled_runs (tick);

-- An Idempotency-Key's claim: which attempt holds it and since when. A claim left running
-- past its lease (a process killed mid-request) is taken over by a retry with a new claim_id;
-- the attempt that lost it can no longer store its answer.
ALTER TABLE idempotency_keys ADD COLUMN claim_id text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX idempotency_keys_claimed ON idempotency_keys (claimed_at);

-- Purges look for expired rows by time.
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX invitations_expiry ON invitations (expires_at);
