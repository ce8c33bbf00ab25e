-- Durable email outbox. Services enqueue inside their own transaction (a rollback
-- drops the message); a worker claims due rows with FOR UPDATE SKIP LOCKED, sends
-- them over SMTP and records the result. The queue lives here, so a restart loses
-- nothing. Delivery is at-least-once: a worker that dies after the SMTP server
-- accepted a message but before it is marked sent leaves it to be sent again once
-- its lease (locked_until) runs out. Each message carries Message-ID <id@domain>
-- so a duplicate can be recognised downstream.
--
-- to_address, subject and the bodies may be personal data: they never go to the
-- audit log, the logs or last_error.

CREATE TABLE email_outbox (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  to_address       text NOT NULL,
  subject          text NOT NULL,
  body_text        text NOT NULL,
  body_html        text,
  -- A fixed name such as 'case.acknowledgement', never personal data: it is what
  -- the audit log records about the message.
  template         text NOT NULL,
  -- Unique when set, so the same reminder is never enqueued twice; NULLs never clash.
  dedupe_key       text UNIQUE,
  status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sending','sent','failed')),
  -- Attempts started, counted when a worker claims the message.
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  -- The claiming worker's lease; after it passes, another worker may take the message.
  locked_until     timestamptz,
  -- What went wrong last time, with addresses redacted and never the body.
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  CONSTRAINT email_outbox_lease_when_sending CHECK ((status = 'sending') = (locked_until IS NOT NULL)),
  CONSTRAINT email_outbox_sent_at_when_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);

-- What a worker looks for: queued messages that are due, and leases that ran out.
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX email_outbox_lease_idx ON email_outbox (locked_until) WHERE status = 'sending';
