-- When each API token was last used (to within a minute: a request records its use
-- only when the recorded one is a minute old), so that its owner can tell which
-- tokens still serve a script and revoke the others. NULL: never used.
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT NULL;
