-- Three more asset kinds, which the tracker we replace had and its users' libraries
-- hold: Ammunition, Communication and Medical.
--
-- SQLite cannot change a CHECK constraint in place, so `assets` and `pool_entries` are
-- rebuilt. sqlx runs every SQLite migration inside a transaction, where foreign keys
-- cannot be switched off; instead they are deferred to COMMIT. Each table is copied
-- aside, dropped (which leaves the rows referencing it dangling and counts them),
-- created again under its own name and refilled with the same ids (which finds them
-- their rows again and counts them back), so COMMIT finds every reference whole and
-- fails the migration if one is not. The AUTOINCREMENT counters carry over, so the ids of
-- deleted rows are never handed out again.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE kept_sequence AS SELECT name, seq FROM sqlite_sequence WHERE name IN ('assets', 'pool_entries');

CREATE TEMP TABLE assets_copy AS SELECT * FROM assets;
DROP TABLE assets;
CREATE TABLE assets (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    library_id       INTEGER NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind             TEXT    NOT NULL CHECK (kind IN ('Vehicle', 'Aircraft', 'Watercraft', 'Weapon',
                                                      'Ammunition', 'Equipment', 'Communication',
                                                      'Medical', 'Supply', 'Other')),
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
INSERT INTO assets (id, library_id, name, kind, category, description, default_quantity, is_unique, is_public,
                    class_name)
    SELECT id, library_id, name, kind, category, description, default_quantity, is_unique, is_public, class_name
    FROM assets_copy ORDER BY id;
DROP TABLE assets_copy;

CREATE TEMP TABLE pool_entries_copy AS SELECT * FROM pool_entries;
DROP TABLE pool_entries;
CREATE TABLE pool_entries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    asset_id         INTEGER NOT NULL REFERENCES assets (id) ON DELETE RESTRICT,
    library_id       INTEGER NOT NULL REFERENCES libraries (id) ON DELETE RESTRICT,
    asset_name       TEXT    NOT NULL CHECK (length(asset_name) BETWEEN 1 AND 200),
    kind             TEXT    NOT NULL CHECK (kind IN ('Vehicle', 'Aircraft', 'Watercraft', 'Weapon',
                                                      'Ammunition', 'Equipment', 'Communication',
                                                      'Medical', 'Supply', 'Other')),
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
INSERT INTO pool_entries (id, campaign_id, asset_id, library_id, asset_name, kind, category, is_unique,
                          initial_quantity, current_quantity, is_public)
    SELECT id, campaign_id, asset_id, library_id, asset_name, kind, category, is_unique, initial_quantity,
           current_quantity, is_public
    FROM pool_entries_copy ORDER BY id;
DROP TABLE pool_entries_copy;
CREATE INDEX pool_entries_asset_idx ON pool_entries (asset_id);
CREATE INDEX pool_entries_library_idx ON pool_entries (library_id);

-- The counters as they were (or higher, if the copies hold a higher id).
INSERT INTO sqlite_sequence (name, seq)
    SELECT k.name, 0 FROM kept_sequence k WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = k.name);
UPDATE sqlite_sequence SET seq = max(seq, (SELECT k.seq FROM kept_sequence k WHERE k.name = sqlite_sequence.name))
    WHERE name IN (SELECT name FROM kept_sequence);
DROP TABLE kept_sequence;
