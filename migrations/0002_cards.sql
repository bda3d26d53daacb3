-- Cards, their controls and history, card transactions with their network events, and FX rates.

-- Global: the processor names a card by our card id alone; this finds its company.
CREATE TABLE card_routes (
  card_id     text PRIMARY KEY,
  company_id  text NOT NULL REFERENCES companies (id)
);

-- Per company: the controls new cards inherit, FX markup and how long holds live.
CREATE TABLE card_settings (
  company_id               text PRIMARY KEY REFERENCES companies (id),
  default_controls         jsonb NOT NULL DEFAULT '{}'::jsonb,
  fx_markup_basis_points   integer NOT NULL DEFAULT 0 CHECK (fx_markup_basis_points BETWEEN 0 AND 1000),
  hold_expiry_hours        integer NOT NULL DEFAULT 168 CHECK (hold_expiry_hours BETWEEN 1 AND 2160),
  long_hold_expiry_hours   integer NOT NULL DEFAULT 720 CHECK (long_hold_expiry_hours BETWEEN 1 AND 2160),
  updated_at               timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cards (
  company_id            text NOT NULL REFERENCES companies (id),
  id                    text NOT NULL,
  user_id               text NOT NULL,
  kind                  text NOT NULL CHECK (kind IN ('virtual', 'physical', 'single_use', 'vendor')),
  status                text NOT NULL CHECK (status IN ('inactive', 'active', 'frozen', 'cancelled', 'expired')),
  purpose               text NOT NULL DEFAULT '' CHECK (length(purpose) <= 200),
  last4                 char(4) NOT NULL,
  -- AES-256-GCM with the configured key: never logged, never in ordinary responses.
  pan_ciphertext        text NOT NULL,
  cvv_ciphertext        text NOT NULL,
  expiry_month          integer NOT NULL CHECK (expiry_month BETWEEN 1 AND 12),
  expiry_year           integer NOT NULL CHECK (expiry_year BETWEEN 2000 AND 2100),
  controls              jsonb NOT NULL DEFAULT '{}'::jsonb,
  shipping_status       text CHECK (shipping_status IN ('ordered', 'shipped', 'delivered')),
  shipping_address      jsonb,
  vendor_merchant_id    text,
  vendor_merchant_name  text,
  vendor_mcc            char(4),
  single_use_spent      boolean NOT NULL DEFAULT false,
  cancel_reason         text CHECK (cancel_reason IN ('lost', 'stolen', 'damaged', 'no_longer_needed', 'replaced')),
  replaces_card_id      text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id),
  CHECK ((kind = 'physical') = (shipping_status IS NOT NULL)),
  CHECK (kind <> 'vendor' OR vendor_merchant_id IS NOT NULL OR vendor_merchant_name IS NOT NULL)
);
CREATE INDEX cards_user ON cards (company_id, user_id);

-- Every change of a card, with who, when and why.
CREATE TABLE card_events (
  company_id  text NOT NULL,
  id          text NOT NULL,
  card_id     text NOT NULL,
  actor_type  text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id    text,
  action      text NOT NULL,
  reason      text,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, card_id) REFERENCES cards (company_id, id)
);
CREATE INDEX card_events_card ON card_events (company_id, card_id);

-- One row per network transaction: an authorization (approved or declined) and what became
-- of it, or a refund or force post that arrived without one. Amounts are minor units.
CREATE TABLE card_transactions (
  company_id            text NOT NULL REFERENCES companies (id),
  id                    text NOT NULL,
  network_id            text NOT NULL CHECK (length(network_id) BETWEEN 1 AND 100),
  card_id               text NOT NULL,
  user_id               text NOT NULL,
  kind                  text NOT NULL CHECK (kind IN ('purchase', 'atm_withdrawal', 'refund', 'force_post')),
  state                 text NOT NULL CHECK (state IN ('declined', 'pending', 'settled', 'reversed', 'expired', 'refund_reversed')),
  decline_reason        text,
  decline_period        text,
  merchant_id           text,
  merchant_name         text NOT NULL,
  mcc                   char(4) NOT NULL,
  merchant_country      char(2) NOT NULL,
  channel               text NOT NULL CHECK (channel IN ('online', 'in_person', 'contactless', 'atm')),
  merchant_amount       bigint NOT NULL CHECK (merchant_amount >= 0),
  merchant_currency     char(3) NOT NULL,
  -- What the hold reserved, and what was finally booked, in the wallet's currency.
  wallet_amount         bigint NOT NULL CHECK (wallet_amount >= 0),
  settled_amount        bigint CHECK (settled_amount >= 0),
  settled_merchant_amount bigint CHECK (settled_merchant_amount >= 0),
  wallet_currency       char(3) NOT NULL,
  fx_rate               numeric(20, 10),
  hold_id               text,
  -- A clearing forced beyond the wallet's funds: how far it went below zero.
  shortfall             bigint NOT NULL DEFAULT 0 CHECK (shortfall >= 0),
  occurred_at           timestamptz NOT NULL,
  settled_at            timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, network_id),
  FOREIGN KEY (company_id, card_id) REFERENCES cards (company_id, id)
);
CREATE INDEX card_transactions_card_time ON card_transactions (company_id, card_id, occurred_at);
CREATE INDEX card_transactions_user ON card_transactions (company_id, user_id, id);

-- Lifecycle messages after the authorization (clearing, increment, reversal, expiry,
-- refund reversal), kept once each: a repeated message returns the first outcome.
CREATE TABLE card_network_events (
  company_id      text NOT NULL,
  id              text NOT NULL,
  network_event_id text NOT NULL CHECK (length(network_event_id) BETWEEN 1 AND 100),
  transaction_id  text NOT NULL,
  type            text NOT NULL,
  merchant_amount bigint,
  wallet_amount   bigint,
  outcome         jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, network_event_id),
  FOREIGN KEY (company_id, transaction_id) REFERENCES card_transactions (company_id, id)
);

-- Global reference data: how many units of `quote` one unit of `base` buys on a day.
CREATE TABLE fx_rates (
  base        char(3) NOT NULL,
  quote       char(3) NOT NULL,
  rate        numeric(24, 10) NOT NULL CHECK (rate > 0),
  rate_date   date NOT NULL,
  source      text NOT NULL,
  loaded_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (base, quote, rate_date)
);
