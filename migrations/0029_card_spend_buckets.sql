-- What each card spent, kept in buckets by a trigger on card_transactions, so that a card's
-- spend in a period is a sum of a few bucket rows instead of a scan of everything the card
-- ever did. The scan grew with the card's history (the lifetime limit read every row of the
-- card, the daily limit every row of the day): the hour-long soak of the verification suite,
-- with thousands of purchases a card, made each authorization slower than the one before.
--
-- A transaction counts (spent) when it is a purchase, a cash withdrawal or a force post,
-- held or booked, for its booked amount or else its held amount: the rule the scan used.
-- Buckets: quarter hours, days and months (UTC), and one row for everything. A period starting
-- at local midnight (a quarter hour in every time zone today) sums the quarter hours left of
-- its first UTC day, the days left of that month and the months after it: at most 96, 31 and
-- 11 rows, however long the card's history. The lifetime period reads the one row.
--
-- The trigger works per statement on the changed rows (transition tables), adds each bucket's
-- change once (card_spend_buckets_add) and writes the buckets in key order, so two statements
-- never take them in opposite orders. Updates that change no spend (most: expense_synced, the
-- export marks) write nothing.
--
-- Applying this migration locks card_transactions against writes while it fills the buckets
-- from the rows already there (one grouped pass over the table), so on a large database it
-- belongs in a quiet moment. A data-only restore into a migrated database must restore the
-- buckets with the transactions and skip the triggers (pg_restore --disable-triggers), or
-- they count twice.
--
-- outlay: expand
CREATE TABLE card_spend_buckets (
  company_id    text NOT NULL,
  card_id       text NOT NULL,
  width         text NOT NULL CHECK (width IN ('quarter', 'day', 'month', 'all')),
  bucket_start  timestamptz NOT NULL,
  amount        bigint NOT NULL,
  PRIMARY KEY (company_id, card_id, width, bucket_start)
);

CREATE FUNCTION card_spend_of(kind text, state text, wallet_amount bigint, settled_amount bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN kind IN ('purchase', 'atm_withdrawal', 'force_post') AND state IN ('pending', 'settled')
    THEN coalesce(settled_amount, wallet_amount) ELSE 0 END
$$;

-- The buckets a moment falls in: its quarter hour, day and month (UTC), and everything.
CREATE FUNCTION card_spend_bucket_starts(at timestamptz) RETURNS TABLE (width text, bucket_start timestamptz)
  LANGUAGE sql IMMUTABLE AS $$
  VALUES
    ('quarter', to_timestamp(floor(extract(epoch FROM at) / 900) * 900)),
    ('day', to_timestamp(floor(extract(epoch FROM at) / 86400) * 86400)),
    ('month', date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
    ('all', timestamptz '1970-01-01 00:00:00+00')
$$;

-- Adds amounts to the buckets of the given cards and moments: each bucket's sum once, in key
-- order, leaving out sums of nothing.
CREATE FUNCTION card_spend_buckets_add(company_ids text[], card_ids text[], moments timestamptz[], amounts bigint[]) RETURNS void
  LANGUAGE sql SET search_path FROM CURRENT AS $$
  INSERT INTO card_spend_buckets AS b (company_id, card_id, width, bucket_start, amount)
  SELECT c.company_id, c.card_id, w.width, w.bucket_start, sum(c.amount)
  FROM unnest(company_ids, card_ids, moments, amounts) AS c(company_id, card_id, occurred_at, amount)
  CROSS JOIN LATERAL card_spend_bucket_starts(c.occurred_at) AS w(width, bucket_start)
  GROUP BY c.company_id, c.card_id, w.width, w.bucket_start
  HAVING sum(c.amount) <> 0
  ORDER BY c.company_id, c.card_id, w.width, w.bucket_start
  ON CONFLICT (company_id, card_id, width, bucket_start) DO UPDATE SET amount = b.amount + excluded.amount
$$;

CREATE FUNCTION card_spend_buckets_follow() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM card_spend_buckets_add(array_agg(c.company_id), array_agg(c.card_id), array_agg(c.occurred_at), array_agg(c.spent))
    FROM (SELECT company_id, card_id, occurred_at, card_spend_of(kind, state, wallet_amount, settled_amount) AS spent FROM new_rows) c
    WHERE c.spent <> 0;
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM card_spend_buckets_add(array_agg(c.company_id), array_agg(c.card_id), array_agg(c.occurred_at), array_agg(c.spent))
    FROM (
      SELECT company_id, card_id, occurred_at, -card_spend_of(kind, state, wallet_amount, settled_amount) AS spent FROM old_rows
      UNION ALL
      SELECT company_id, card_id, occurred_at, card_spend_of(kind, state, wallet_amount, settled_amount) FROM new_rows) c
    WHERE c.spent <> 0;
  ELSE
    PERFORM card_spend_buckets_add(array_agg(c.company_id), array_agg(c.card_id), array_agg(c.occurred_at), array_agg(-c.spent))
    FROM (SELECT company_id, card_id, occurred_at, card_spend_of(kind, state, wallet_amount, settled_amount) AS spent FROM old_rows) c
    WHERE c.spent <> 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER card_spend_buckets_insert AFTER INSERT ON card_transactions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION card_spend_buckets_follow();
CREATE TRIGGER card_spend_buckets_update AFTER UPDATE ON card_transactions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION card_spend_buckets_follow();
CREATE TRIGGER card_spend_buckets_delete AFTER DELETE ON card_transactions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION card_spend_buckets_follow();
-- Emptying the table at once would skip the trigger and leave the buckets behind.
CREATE FUNCTION card_spend_buckets_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'card_transactions cannot be truncated: card_spend_buckets follows it row by row';
END
$$;
CREATE TRIGGER card_spend_buckets_no_truncate BEFORE TRUNCATE ON card_transactions
  FOR EACH STATEMENT EXECUTE FUNCTION card_spend_buckets_refuse_truncate();

-- What the cards spent before this migration.
INSERT INTO card_spend_buckets (company_id, card_id, width, bucket_start, amount)
SELECT c.company_id, c.card_id, w.width, w.bucket_start, sum(c.spent)
FROM (SELECT company_id, card_id, occurred_at, card_spend_of(kind, state, wallet_amount, settled_amount) AS spent FROM card_transactions) c
CROSS JOIN LATERAL card_spend_bucket_starts(c.occurred_at) AS w(width, bucket_start)
WHERE c.spent <> 0
GROUP BY c.company_id, c.card_id, w.width, w.bucket_start;
