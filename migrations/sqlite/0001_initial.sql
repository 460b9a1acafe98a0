-- The whole jitd schema. Timestamps are RFC 3339 UTC text with a fixed width, so that
-- comparing them as strings orders them in time. Dates are `YYYY-MM-DD`.

CREATE TABLE departments (
    name TEXT NOT NULL PRIMARY KEY
);

CREATE TABLE users (
    username      TEXT NOT NULL PRIMARY KEY,
    display_name  TEXT NOT NULL,
    email         TEXT NOT NULL,
    department    TEXT NOT NULL REFERENCES departments (name),
    -- Comma-separated `api::Role` names.
    roles         TEXT NOT NULL,
    -- Comma-separated department names this user decides for as a responsible person.
    rp_of         TEXT NOT NULL DEFAULT '',
    -- argon2id PHC string; NULL until a password is set.
    password_hash TEXT,
    created_at    TEXT NOT NULL
);

CREATE TABLE devices (
    -- Trimmed, lower-case name: the key devices are matched by.
    name_key         TEXT NOT NULL PRIMARY KEY,
    name             TEXT NOT NULL,
    state            TEXT NOT NULL,
    agent_id         TEXT,
    pending_agent_id TEXT,
    last_check_in_at TEXT
);

CREATE TABLE requests (
    id                  TEXT NOT NULL PRIMARY KEY,
    requester           TEXT NOT NULL REFERENCES users (username),
    department          TEXT NOT NULL,
    device_key          TEXT NOT NULL REFERENCES devices (name_key),
    reason              TEXT NOT NULL,
    ticket              TEXT,
    state               TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    decided_by          TEXT,
    decided_at          TEXT,
    decision_reason     TEXT,
    approval_expires_at TEXT,
    lapses_at           TEXT NOT NULL
);
CREATE INDEX requests_by_requester ON requests (requester, device_key);
CREATE INDEX requests_by_department ON requests (department, state);

CREATE TABLE training (
    username     TEXT NOT NULL PRIMARY KEY REFERENCES users (username),
    completed_on TEXT NOT NULL,
    good_through TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);

CREATE TABLE activations (
    id                    TEXT NOT NULL PRIMARY KEY,
    username              TEXT NOT NULL REFERENCES users (username),
    device_key            TEXT NOT NULL REFERENCES devices (name_key),
    state                 TEXT NOT NULL,
    requested_at          TEXT NOT NULL,
    effective_at          TEXT,
    expires_at            TEXT NOT NULL,
    expected_effective_by TEXT NOT NULL,
    ended_at              TEXT
);
CREATE INDEX activations_by_device ON activations (device_key, expires_at);
CREATE INDEX activations_by_user ON activations (username, expires_at);

CREATE TABLE reimage_fixes (
    id                TEXT NOT NULL PRIMARY KEY,
    device_key        TEXT NOT NULL REFERENCES devices (name_key),
    old_agent_id      TEXT,
    new_agent_id      TEXT,
    filed_by          TEXT NOT NULL,
    filed_at          TEXT NOT NULL,
    state             TEXT NOT NULL,
    resolved_by       TEXT,
    resolved_at       TEXT,
    resolution_reason TEXT
);
CREATE INDEX reimage_fixes_by_device ON reimage_fixes (device_key, filed_at);

CREATE TABLE tokens (
    id         TEXT NOT NULL PRIMARY KEY,
    -- SHA-256 of the secret, hex. The secret itself is never stored.
    hash       TEXT NOT NULL UNIQUE,
    -- `login`, `api`, `agent` or `learning_system`.
    kind       TEXT NOT NULL,
    -- The user for `login` and `api` tokens; NULL for agent and learning-system credentials.
    username   TEXT REFERENCES users (username),
    name       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE idempotency (
    principal    TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (principal, key)
);

-- Append-only: nothing in jitd updates or deletes a row here.
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    before  TEXT,
    after   TEXT
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
