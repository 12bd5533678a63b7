-- API tokens: named bearer secrets with which a staff member's scripts use the JSON
-- API. Only the keyed digest of the secret is stored (HMAC-SHA-256 with the server's
-- token key), never the secret. A token carries its owner's role as it is at each
-- request, so the row holds no role; it goes with its owner.
CREATE TABLE api_tokens (
    id         BIGINT      PRIMARY KEY DEFAULT nextval('object_ids'),
    owner_id   BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    digest     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NULL CHECK (expires_at > created_at)
);
CREATE UNIQUE INDEX api_tokens_digest_key ON api_tokens (digest);
CREATE INDEX api_tokens_owner_id ON api_tokens (owner_id);
