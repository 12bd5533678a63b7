-- The store's revision: one number that every committed change raises, in the same
-- transaction as the change (the last statement before COMMIT). Readers compare it to
-- decide whether a cached public page is still current.
CREATE TABLE store_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL CHECK (revision >= 0)
) STRICT;
INSERT INTO store_revision (id, revision) VALUES (1, 0);
