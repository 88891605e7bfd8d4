-- The integration API and webhooks (postgres). Kept in step with ../sqlite/20261206000016_integration_api.sql.

-- An organisation's API keys: the key itself is shown once and never
-- stored, only its SHA-256 (keys are 256 random bits, so a fast hash is
-- enough); `prefix` tells keys apart in lists and logs; a key may have an
-- expiry date. `scopes` is
-- space-separated. `per_minute`: requests allowed per minute.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    per_minute INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    -- After this a key is refused (NULL: until revoked).
    expires_at BIGINT,
    revoked_at BIGINT,
    revoked_by TEXT
);
CREATE INDEX api_keys_org ON api_keys (org_id, created_at);

-- What a request with an `Idempotency-Key` answered, for 24 hours, so a
-- retried order is answered the same and creates nothing twice. `status`
-- 0: the first request is still under way. The answer may hold candidate
-- links; the clean-up deletes rows after a day.
CREATE TABLE api_idempotency (
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, idempotency_key)
);

-- An invitation ordered by another system: its own id for it (e.g. the
-- applicant tracking system's application id) and the key that ordered it;
-- when the expiry was announced to webhooks.
ALTER TABLE invitations ADD COLUMN external_id TEXT;
ALTER TABLE invitations ADD COLUMN api_key_id TEXT;
ALTER TABLE invitations ADD COLUMN expiry_announced_at BIGINT;
CREATE INDEX invitations_external ON invitations (org_id, external_id);
CREATE INDEX sessions_completed ON assessment_sessions (org_id, completed_at, invitation_id);

-- Where an organisation wants events sent. `events`: space-separated, with
-- a space at each end (so one LIKE finds a type). The signing secret must
-- be kept to sign; after a rotation the previous one signs too until
-- `previous_secret_until`.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_until BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id);

-- One event (its id is the `webhook-id` every delivery of it carries),
-- written in the same transaction as the change it tells of.
CREATE TABLE webhook_events (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The durable delivery queue: one row per event and endpoint; 'pending'
-- until a 2xx answer ('delivered') or 24 hours of retries ('failed').
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);

-- The audit log names API keys as actors too.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_kind_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_kind_check CHECK (actor_kind IN ('user', 'candidate', 'system', 'api_key'));
