-- Feature flags for testing in production (issue 14), platform-wide: one row a flag.
--
-- A boolean flag has the variants 'on' and 'off'; a variant flag names its own (the OCR
-- engine, the authorization engine). The rules are tried in order and the first that matches
-- the evaluation context (company, person, roles, or a stable percentage bucket) gives the
-- variant; none matching gives default_variant. A disabled flag gives the code's own default.
-- Every server process keeps the flags in memory and polls sum(revision): each change adds
-- one to its row's revision, so a change committed late is still seen (a max(updated_at)
-- could go backwards past a poll).
--
-- outlay: expand
CREATE TABLE feature_flags (
  key              text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9-]{0,62}$'),
  description      text NOT NULL DEFAULT '',
  kind             text NOT NULL CHECK (kind IN ('boolean', 'variant')),
  variants         text[] NOT NULL CHECK (cardinality(variants) BETWEEN 1 AND 20),
  default_variant  text NOT NULL,
  enabled          boolean NOT NULL DEFAULT true,
  rules            jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(rules) = 'array'),
  revision         bigint NOT NULL DEFAULT 1,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  -- Who changed it last, as the audit trail names them: a person's id, or 'cli'/'system'.
  updated_by       text,
  CHECK (default_variant = ANY (variants)),
  CHECK (kind <> 'boolean' OR variants = ARRAY['on', 'off'])
);
