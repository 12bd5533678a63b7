//! API tokens in memory; a user's tokens go with the user, as the database's foreign
//! key deletes them.

use super::MemoryStore;
use crate::error::{RepoError, RepoResult};
use crate::ports::{NewApiToken, TokenRepo};
use domain::{ApiToken, ApiTokenId, NewAuditEntry, TokenDigest, User, UserId};
use time::UtcDateTime;

impl TokenRepo for MemoryStore {
    async fn insert_token(&self, new: &NewApiToken, audit: &NewAuditEntry) -> RepoResult<ApiTokenId> {
        let id = self.create(audit, None, |s, id| {
            if !s.users.contains_key(&new.owner) {
                return Err(RepoError::NotFound("user"));
            }
            let token = ApiToken {
                id: ApiTokenId::new(id),
                owner: new.owner,
                name: new.name.clone(),
                created_at: new.created_at,
                expires_at: new.expires_at,
                last_used_at: None,
            };
            s.tokens.insert(token.id, (token, new.digest.clone()));
            Ok(())
        })?;
        Ok(ApiTokenId::new(id))
    }

    async fn tokens_of(&self, owner: UserId) -> RepoResult<Vec<ApiToken>> {
        self.read(|s| s.tokens.values().rev().filter(|(t, _)| t.owner == owner).map(|(t, _)| t.clone()).collect())
    }

    async fn delete_token(&self, owner: UserId, id: ApiTokenId, audit: &NewAuditEntry) -> RepoResult<()> {
        self.change(audit, |s| match s.tokens.get(&id) {
            Some((token, _)) if token.owner == owner => {
                s.tokens.remove(&id);
                Ok(())
            }
            _ => Err(RepoError::NotFound("token")),
        })
    }

    async fn delete_tokens_of(&self, owner: UserId, audit: &NewAuditEntry) -> RepoResult<u64> {
        let mut deleted = 0;
        self.change(audit, |s| {
            let before = s.tokens.len();
            s.tokens.retain(|_, (token, _)| token.owner != owner);
            deleted = (before - s.tokens.len()) as u64;
            Ok(())
        })?;
        Ok(deleted)
    }

    async fn token_counts(&self) -> RepoResult<Vec<(UserId, u64)>> {
        self.read(|s| {
            let mut counts = std::collections::BTreeMap::new();
            for (token, _) in s.tokens.values() {
                *counts.entry(token.owner).or_insert(0) += 1;
            }
            counts.into_iter().collect()
        })
    }

    async fn token_bearer(&self, digest: &TokenDigest) -> RepoResult<Option<(ApiToken, User)>> {
        self.read(|s| {
            let (token, _) = s.tokens.values().find(|(_, d)| d == digest)?;
            Some((token.clone(), s.users.get(&token.owner)?.clone()))
        })
    }

    async fn record_token_use(&self, id: ApiTokenId, at: UtcDateTime) -> RepoResult<()> {
        self.write(|s| {
            if let Some((token, _)) = s.tokens.get_mut(&id) {
                token.last_used_at = Some(token.last_used_at.map_or(at, |last| last.max(at)));
            }
            Ok(())
        })
    }
}
