-- The store's revision: one number that every committed change raises, in the same
-- transaction as the change (the last statement before COMMIT, so the row is locked
-- only for the commit itself). Readers compare it to decide whether a cached public
-- page is still current; since the row is updated under its lock, the revision a
-- reader sees never runs ahead of the changes it can see, on any replica.
CREATE TABLE store_revision (
    id       SMALLINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT   NOT NULL CHECK (revision >= 0)
);
INSERT INTO store_revision (id, revision) VALUES (1, 0);
