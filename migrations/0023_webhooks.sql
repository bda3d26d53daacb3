-- Signed webhooks (issue 17, part 4). A company's endpoints each subscribe to event types; an
-- event is written once per subscribing endpoint as a delivery, in the transaction of the
-- change it tells of, so a delivery exists exactly when its cause committed. The delivery row
-- is its own job, like outgoing_mail: a process claims it for a lease, posts it, and marks it
-- delivered, queued again later (exponential backoff), or failed after its last attempt. Each
-- attempt is kept in webhook_attempts (the delivery log), the response cut to a bounded size.
--
-- outlay: expand
CREATE TABLE webhook_endpoints (
  company_id                  text NOT NULL REFERENCES companies (id),
  id                          text NOT NULL,
  url                         text NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
  description                 text NOT NULL DEFAULT '' CHECK (length(description) <= 200),
  event_types                 text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 64),
  status                      text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
  -- 'failing': disabled by Outlay after a day of failed deliveries; 'by_hand': by an admin.
  disabled_reason             text CHECK (disabled_reason IN ('failing', 'by_hand')),
  -- The signing secrets, encrypted like card numbers (src/shared/field-encryption.ts). After a
  -- rotation the previous secret signs too, beside the new one, until previous_secret_until.
  secret_ciphertext           text NOT NULL,
  previous_secret_ciphertext  text,
  previous_secret_until       timestamptz,
  -- Since when every delivery to the endpoint failed; cleared by a success.
  failing_since               timestamptz,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, id),
  CHECK ((status = 'enabled') = (disabled_reason IS NULL))
);
-- What recording an event looks for: the company's enabled endpoints.
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (company_id) WHERE status = 'enabled';

CREATE TABLE webhook_deliveries (
  company_id        text NOT NULL,
  id                text NOT NULL,
  endpoint_id       text NOT NULL,
  -- The event's id is the webhook-id header: the same for every attempt and every endpoint.
  event_id          text NOT NULL,
  event_type        text NOT NULL CHECK (event_type ~ '^[a-z_]+\.[a-z_]+$'),
  payload           text NOT NULL CHECK (length(payload) <= 65536),
  status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'delivered', 'failed')),
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at   timestamptz NOT NULL,
  lease_until       timestamptz,
  last_status_code  integer,
  last_error        text CHECK (length(last_error) <= 1000),
  created_at        timestamptz NOT NULL,
  delivered_at      timestamptz,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, endpoint_id) REFERENCES webhook_endpoints (company_id, id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (company_id, endpoint_id, id);

CREATE TABLE webhook_attempts (
  company_id     text NOT NULL,
  id             text NOT NULL,
  delivery_id    text NOT NULL,
  attempted_at   timestamptz NOT NULL,
  -- The receiver's HTTP status, or null when there was none (refused, timed out, blocked).
  status_code    integer,
  -- The start of the response body, or what went wrong.
  response_body  text CHECK (length(response_body) <= 2000),
  error          text CHECK (length(error) <= 1000),
  duration_ms    integer NOT NULL CHECK (duration_ms >= 0),
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, delivery_id) REFERENCES webhook_deliveries (company_id, id)
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (company_id, delivery_id, id);
