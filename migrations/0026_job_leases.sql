-- A background job taken by a process is leased to it: the process renews the lease while the
-- job runs and gives it up when the job ends. A process killed mid-job stops renewing; once
-- its lease is stale, another process hands the job back to the queue to be tried again at
-- once, instead of it waiting out the queue's expiry (a quarter of an hour for a reading).
--
-- outlay: expand
CREATE TABLE job_leases (
  job_id      text PRIMARY KEY,
  queue       text NOT NULL,
  process     text NOT NULL,
  taken_at    timestamptz NOT NULL DEFAULT now(),
  renewed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_leases_renewed ON job_leases (renewed_at);
CREATE INDEX job_leases_process ON job_leases (process);
