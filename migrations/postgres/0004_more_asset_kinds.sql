-- Three more asset kinds, which the tracker we replace had and its users' libraries
-- hold: Ammunition, Communication and Medical.
ALTER TABLE assets DROP CONSTRAINT assets_kind_check;
ALTER TABLE assets ADD CONSTRAINT assets_kind_check CHECK (kind IN ('Vehicle', 'Aircraft',
    'Watercraft', 'Weapon', 'Ammunition', 'Equipment', 'Communication', 'Medical', 'Supply', 'Other'));
ALTER TABLE pool_entries DROP CONSTRAINT pool_entries_kind_check;
ALTER TABLE pool_entries ADD CONSTRAINT pool_entries_kind_check CHECK (kind IN ('Vehicle', 'Aircraft',
    'Watercraft', 'Weapon', 'Ammunition', 'Equipment', 'Communication', 'Medical', 'Supply', 'Other'));
