-- The tracker's schema on SQLite: every table, with the database-side backstops for the
-- domain's rules (CHECK constraints mirror the domain's constructors; unique names and
-- the single active campaign are unique indexes; foreign keys keep history intact).
--
-- Conventions:
-- - STRICT tables, so a value of the wrong type is refused instead of silently stored.
-- - Ids are INTEGER PRIMARY KEY AUTOINCREMENT: an id is never reused after a delete,
--   so audit entries and idempotency keys never point at a different, newer object.
-- - Booleans are INTEGER 0/1; dates are TEXT 'YYYY-MM-DD'; timestamps are TEXT in
--   RFC 3339 UTC with nine fraction digits ('2026-01-01T12:00:00.000000000Z'), a fixed
--   width so that text order is time order.
-- - Constraint names match the PostgreSQL schema. SQLite reports unique violations by
--   column list rather than by name; the adapter's errors.rs maps one to the other.

-- Staff accounts. Usernames are unique case-insensitively.
CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    username       TEXT    NOT NULL CHECK (length(username) BETWEEN 3 AND 64),
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'manager')),
    password_hash  TEXT    NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    security_stamp INTEGER NOT NULL,
    created_at     TEXT    NOT NULL
) STRICT;

CREATE UNIQUE INDEX users_username_key ON users (lower(username));

-- Reusable catalogues of assets.
CREATE TABLE libraries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT    NOT NULL DEFAULT '',
    category    TEXT    NOT NULL DEFAULT '' CHECK (length(category) <= 100),
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    CONSTRAINT libraries_name_key UNIQUE (name)
) STRICT;

-- The assets of a library; deleted with it (unless a pool holds one: see pool_entries).
CREATE TABLE assets (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    library_id       INTEGER NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind             TEXT    NOT NULL CHECK (kind IN ('Vehicle', 'Aircraft', 'Watercraft',
                                                      'Weapon', 'Equipment', 'Supply', 'Other')),
    category         TEXT    NOT NULL DEFAULT '' CHECK (length(category) <= 100),
    description      TEXT    NOT NULL DEFAULT '',
    default_quantity INTEGER NOT NULL CHECK (default_quantity BETWEEN 0 AND 1000000),
    is_unique        INTEGER NOT NULL CHECK (is_unique IN (0, 1)),
    is_public        INTEGER NOT NULL CHECK (is_public IN (0, 1)),
    -- The ARMA config class of an asset of a built-in library; NULL for the others.
    class_name       TEXT,
    CONSTRAINT assets_library_name_key UNIQUE (library_id, name),
    CONSTRAINT assets_unique_default CHECK (NOT is_unique OR default_quantity <= 1)
) STRICT;

-- Campaigns. At most one is Active (campaigns_one_active); a Closed one never changes
-- (enforced by the adapter inside each write's transaction).
CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description  TEXT NOT NULL DEFAULT '',
    start_date   TEXT NOT NULL CHECK (start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    end_date     TEXT CHECK (end_date IS NULL OR end_date >= start_date),
    map_edit_url TEXT CHECK (map_edit_url IS NULL
                             OR map_edit_url LIKE 'http://%' OR map_edit_url LIKE 'https://%'),
    map_view_url TEXT CHECK (map_view_url IS NULL
                             OR map_view_url LIKE 'http://%' OR map_view_url LIKE 'https://%'),
    status       TEXT NOT NULL CHECK (status IN ('Planned', 'Active', 'Closed')),
    created_at   TEXT NOT NULL,
    closed_at    TEXT
) STRICT;

CREATE UNIQUE INDEX campaigns_one_active ON campaigns (status) WHERE status = 'Active';

-- The final report archived when a campaign is closed (application::archive JSON).
CREATE TABLE campaign_reports (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    report      TEXT NOT NULL CHECK (json_valid(report)),
    created_at  TEXT NOT NULL
) STRICT;

-- A campaign's pool. The asset's name, kind, category and uniqueness are copied at
-- import so that later library edits never rewrite history; the library asset and the
-- library cannot be deleted while a pool holds the asset (RESTRICT).
CREATE TABLE pool_entries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    asset_id         INTEGER NOT NULL REFERENCES assets (id) ON DELETE RESTRICT,
    library_id       INTEGER NOT NULL REFERENCES libraries (id) ON DELETE RESTRICT,
    asset_name       TEXT    NOT NULL CHECK (length(asset_name) BETWEEN 1 AND 200),
    kind             TEXT    NOT NULL CHECK (kind IN ('Vehicle', 'Aircraft', 'Watercraft',
                                                      'Weapon', 'Equipment', 'Supply', 'Other')),
    category         TEXT    NOT NULL DEFAULT '',
    is_unique        INTEGER NOT NULL CHECK (is_unique IN (0, 1)),
    initial_quantity INTEGER NOT NULL CHECK (initial_quantity BETWEEN 0 AND 1000000),
    -- The ledger rule's bounds; the adapter's guarded UPDATE keeps them without relying
    -- on this CHECK, which is the last line of defence.
    current_quantity INTEGER NOT NULL CHECK (current_quantity BETWEEN 0 AND 1000000),
    is_public        INTEGER NOT NULL CHECK (is_public IN (0, 1)),
    CONSTRAINT pool_entries_campaign_asset_key UNIQUE (campaign_id, asset_id),
    CONSTRAINT pool_entries_unique_at_most_one
        CHECK (NOT is_unique OR (initial_quantity <= 1 AND current_quantity <= 1))
) STRICT;

CREATE INDEX pool_entries_asset_idx ON pool_entries (asset_id);
CREATE INDEX pool_entries_library_idx ON pool_entries (library_id);

-- The missions of a campaign, in order.
CREATE TABLE missions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description  TEXT    NOT NULL DEFAULT '',
    mission_date TEXT,
    location     TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL CHECK (status IN ('Planned', 'InProgress', 'Completed', 'Cancelled')),
    order_index  INTEGER NOT NULL,
    map_edit_url TEXT CHECK (map_edit_url IS NULL
                             OR map_edit_url LIKE 'http://%' OR map_edit_url LIKE 'https://%'),
    map_view_url TEXT CHECK (map_view_url IS NULL
                             OR map_view_url LIKE 'http://%' OR map_view_url LIKE 'https://%')
) STRICT;

CREATE INDEX missions_campaign_order_idx ON missions (campaign_id, order_index);

-- The events of a mission.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    mission_id  INTEGER NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('Combat', 'Logistics', 'Training', 'Other')),
    title       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description TEXT    NOT NULL DEFAULT '',
    occurred_at TEXT    NOT NULL,
    location    TEXT    NOT NULL DEFAULT '',
    notes       TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX events_mission_idx ON events (mission_id);
CREATE INDEX events_occurred_at_idx ON events (occurred_at);

-- The asset changes an event records. A pool entry with changes cannot be removed.
CREATE TABLE asset_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    pool_entry_id INTEGER NOT NULL REFERENCES pool_entries (id) ON DELETE RESTRICT,
    delta         INTEGER NOT NULL CHECK (delta <> 0 AND delta BETWEEN -1000000 AND 1000000),
    note          TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX asset_changes_pool_entry_idx ON asset_changes (pool_entry_id);
CREATE INDEX asset_changes_event_idx ON asset_changes (event_id);

-- The audit trail. No foreign keys: entries outlive the users and objects they name.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    campaign_id INTEGER,
    object_kind TEXT    NOT NULL,
    object_id   INTEGER,
    details     TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_log_campaign_idx ON audit_log (campaign_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);
CREATE INDEX audit_log_action_idx ON audit_log (action);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- Keys of create requests already served, so that a retried request records once.
-- object_ids: the ids created, comma separated (empty when nothing was created).
CREATE TABLE idempotency_keys (
    key        TEXT PRIMARY KEY,
    actor_id   INTEGER,
    action     TEXT NOT NULL,
    object_ids TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
