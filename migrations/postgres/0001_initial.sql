-- The tracker's schema for PostgreSQL 15+.
--
-- The CHECK constraints mirror the domain's rules. They are a backstop: the
-- application validates every value through the domain's constructors first, and
-- the adapter maps the named UNIQUE constraints and foreign keys to the port's
-- conflicts (crates/adapters-postgres/src/errors.rs). Renaming a constraint here
-- means renaming it there.

-- One sequence numbers every object, whatever its table, as the in-memory store
-- does: an id of one kind (a mission) then never finds an object of another kind
-- (an event) by accident, and ids show the order in which objects were created.
CREATE SEQUENCE object_ids AS BIGINT;

-- Staff accounts. Usernames are unique case-insensitively; the role and the
-- disabled flag drive the last-enabled-admin rule, checked by the adapter.
CREATE TABLE users (
    id             BIGINT PRIMARY KEY DEFAULT nextval('object_ids'),
    username       TEXT NOT NULL CHECK (char_length(username) BETWEEN 3 AND 64),
    role           TEXT NOT NULL CHECK (role IN ('admin', 'manager')),
    password_hash  TEXT NOT NULL,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    -- Moves on when the password changes or the user is disabled; sessions
    -- created under an older stamp end.
    security_stamp BIGINT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

-- Reusable catalogues of assets.
CREATE TABLE libraries (
    id          BIGINT PRIMARY KEY DEFAULT nextval('object_ids'),
    name        TEXT NOT NULL CONSTRAINT libraries_name_key UNIQUE
                CHECK (char_length(name) BETWEEN 1 AND 200),
    description TEXT NOT NULL,
    category    TEXT NOT NULL CHECK (char_length(category) <= 100),
    -- Pre-selected when a campaign is created.
    is_default  BOOLEAN NOT NULL DEFAULT FALSE
);

-- A library's assets. Deleting a library deletes its assets, unless a pool
-- still refers to one of them (pool_entries' foreign keys restrict that).
CREATE TABLE assets (
    id               BIGINT PRIMARY KEY DEFAULT nextval('object_ids'),
    library_id       BIGINT NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    kind             TEXT NOT NULL CHECK (kind IN ('Vehicle', 'Aircraft', 'Watercraft',
                         'Weapon', 'Equipment', 'Supply', 'Other')),
    category         TEXT NOT NULL CHECK (char_length(category) <= 100),
    description      TEXT NOT NULL,
    default_quantity INTEGER NOT NULL CHECK (default_quantity BETWEEN 0 AND 1000000),
    is_unique        BOOLEAN NOT NULL,
    is_public        BOOLEAN NOT NULL,
    -- The ARMA config class of a built-in asset, when known.
    class_name       TEXT NULL,
    CONSTRAINT assets_library_name_key UNIQUE (library_id, name),
    CHECK (NOT is_unique OR default_quantity <= 1)
);

-- Campaigns. At most one is active (campaigns_one_active); a closed campaign is
-- read-only, which the adapter enforces under a row lock on this table.
CREATE TABLE campaigns (
    id           BIGINT PRIMARY KEY DEFAULT nextval('object_ids'),
    name         TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    description  TEXT NOT NULL,
    start_date   DATE NOT NULL,
    end_date     DATE NULL CHECK (end_date >= start_date),
    map_edit_url TEXT NULL CHECK (map_edit_url ~* '^https?://'),
    map_view_url TEXT NULL CHECK (map_view_url ~* '^https?://'),
    status       TEXT NOT NULL CHECK (status IN ('Planned', 'Active', 'Closed')),
    created_at   TIMESTAMPTZ NOT NULL,
    closed_at    TIMESTAMPTZ NULL
);
CREATE UNIQUE INDEX campaigns_one_active ON campaigns (status) WHERE status = 'Active';

-- The final report archived when a campaign is closed, as written by
-- application::archive::encode (its field names are a storage format).
CREATE TABLE campaign_reports (
    campaign_id BIGINT PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    report      JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A campaign's pool. The asset's name, kind, category and uniqueness are copied at
-- import, so later library edits never rewrite a campaign's history. The ledger
-- rule (0 <= current, at most 1 for a unique asset) is applied by guarded UPDATEs
-- in the adapter; the CHECKs below are its last line of defence.
CREATE TABLE pool_entries (
    id               BIGINT PRIMARY KEY DEFAULT nextval('object_ids'),
    campaign_id      BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    asset_id         BIGINT NOT NULL REFERENCES assets (id) ON DELETE RESTRICT,
    library_id       BIGINT NOT NULL REFERENCES libraries (id) ON DELETE RESTRICT,
    asset_name       TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('Vehicle', 'Aircraft', 'Watercraft',
                         'Weapon', 'Equipment', 'Supply', 'Other')),
    category         TEXT NOT NULL,
    is_unique        BOOLEAN NOT NULL,
    initial_quantity INTEGER NOT NULL CHECK (initial_quantity BETWEEN 0 AND 1000000),
    current_quantity INTEGER NOT NULL CHECK (current_quantity BETWEEN 0 AND 1000000),
    is_public        BOOLEAN NOT NULL,
    CONSTRAINT pool_entries_campaign_asset_key UNIQUE (campaign_id, asset_id),
    CHECK (NOT is_unique OR (initial_quantity <= 1 AND current_quantity <= 1))
);
CREATE INDEX pool_entries_asset_id ON pool_entries (asset_id);
CREATE INDEX pool_entries_library_id ON pool_entries (library_id);

-- A campaign's missions, listed by (order_index, id).
CREATE TABLE missions (
    id           BIGINT PRIMARY KEY DEFAULT nextval('object_ids'),
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    description  TEXT NOT NULL,
    mission_date DATE NULL,
    location     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('Planned', 'InProgress', 'Completed', 'Cancelled')),
    order_index  INTEGER NOT NULL,
    map_edit_url TEXT NULL CHECK (map_edit_url ~* '^https?://'),
    map_view_url TEXT NULL CHECK (map_view_url ~* '^https?://')
);
CREATE INDEX missions_campaign_order ON missions (campaign_id, order_index);

-- What happened during a mission.
CREATE TABLE events (
    id          BIGINT PRIMARY KEY DEFAULT nextval('object_ids'),
    mission_id  BIGINT NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('Combat', 'Logistics', 'Training', 'Other')),
    title       TEXT NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    location    TEXT NOT NULL,
    notes       TEXT NOT NULL
);
CREATE INDEX events_mission_id ON events (mission_id);
CREATE INDEX events_occurred_at ON events (occurred_at);

-- The asset changes an event records. A pool entry that a change refers to cannot
-- be removed (RESTRICT); deleting the event or mission deletes its changes, after
-- the adapter has reversed them under the ledger rule.
CREATE TABLE asset_changes (
    id            BIGINT PRIMARY KEY DEFAULT nextval('object_ids'),
    event_id      BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    pool_entry_id BIGINT NOT NULL REFERENCES pool_entries (id) ON DELETE RESTRICT,
    delta         INTEGER NOT NULL CHECK (delta <> 0 AND delta BETWEEN -1000000 AND 1000000),
    note          TEXT NOT NULL
);
CREATE INDEX asset_changes_pool_entry_id ON asset_changes (pool_entry_id);
CREATE INDEX asset_changes_event_id ON asset_changes (event_id);

-- Who did what, when. No foreign keys: entries outlive deleted users and objects.
CREATE TABLE audit_log (
    id          BIGINT PRIMARY KEY DEFAULT nextval('object_ids'),
    at          TIMESTAMPTZ NOT NULL,
    actor_id    BIGINT NULL,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    campaign_id BIGINT NULL,
    object_kind TEXT NOT NULL,
    object_id   BIGINT NULL,
    details     TEXT NOT NULL
);
CREATE INDEX audit_log_campaign_id ON audit_log (campaign_id);
CREATE INDEX audit_log_actor_id ON audit_log (actor_id);
CREATE INDEX audit_log_action ON audit_log (action);
CREATE INDEX audit_log_at ON audit_log (at);

-- Keys of create requests already carried out, so that a retried request replays
-- the first outcome instead of creating twice. The row is inserted first in the
-- write's transaction: a concurrent duplicate waits on the primary key, then fails
-- and replays. object_ids holds the created ids, comma separated.
CREATE TABLE idempotency_keys (
    key        TEXT PRIMARY KEY,
    actor_id   BIGINT NULL,
    action     TEXT NOT NULL,
    object_ids TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
