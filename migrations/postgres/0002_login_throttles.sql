-- The per-account login throttle: each username's run of failed logins, shared by every
-- replica. Keyed by the lower-cased username whether or not an account has it, so the
-- table reveals nothing the login form would not. The rule (when a run locks, how long,
-- when it is forgotten) is domain::ThrottleState's; forget_at is stored so that the
-- counting upsert can start a forgotten run again at one, atomically, with no read
-- before it. A successful login deletes the row.
CREATE TABLE login_throttles (
    username        TEXT        PRIMARY KEY CHECK (username = lower(username)),
    failures        BIGINT      NOT NULL CHECK (failures > 0),
    last_failure_at TIMESTAMPTZ NOT NULL,
    forget_at       TIMESTAMPTZ NOT NULL
);
