-- Outgoing e-mail (issue 15): one row a message, written in the transaction of the change it
-- tells of, so a message exists exactly when its cause committed. The row is its own delivery
-- job: a process claims it for a lease (status 'sending'), sends it over SMTP, and marks it
-- sent, or queued again with a later next_attempt_at, or failed after its last attempt. A
-- process that dies while sending leaves a lease that runs out, and the message is sent again
-- (at least once). Without an SMTP server configured, messages stay queued: that is the outbox
-- the web app shows in development.
--
-- outlay: expand
CREATE TABLE outgoing_mail (
  company_id       text NOT NULL REFERENCES companies (id),
  id               text NOT NULL,
  -- What it is (an invitation, a notification's kind) and, for a person, who.
  kind             text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{0,62}$'),
  user_id          text,
  to_address       text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 320),
  locale           text NOT NULL,
  subject          text NOT NULL CHECK (length(subject) <= 300),
  text_body        text NOT NULL CHECK (length(text_body) <= 20000),
  html_body        text NOT NULL CHECK (length(html_body) <= 60000),
  -- The page the message links to, under the public URL (added when it is sent, so the row
  -- needs no configuration to be written). A link that signs someone in (an invitation, a
  -- password reset) is cleared once sent: the database keeps no usable copy of it.
  link_path        text CHECK (link_path ~ '^/'),
  status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  lease_until      timestamptz,
  last_error       text CHECK (length(last_error) <= 1000),
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

-- What the delivery loop looks for: due messages, oldest first.
CREATE INDEX outgoing_mail_due ON outgoing_mail (next_attempt_at) WHERE status IN ('queued', 'sending');
