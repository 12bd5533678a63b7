//! The API-token port: tokens are issued, listed and revoked by their owner, and looked
//! up by digest on every API request.

use crate::error::RepoResult;
use domain::{ApiToken, ApiTokenId, NewAuditEntry, TokenDigest, TokenName, User, UserId};
use std::future::Future;
use time::UtcDateTime;

/// A token to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiToken {
    /// Whose role it carries.
    pub owner: UserId,
    /// What the owner calls it.
    pub name: TokenName,
    /// The keyed digest of its secret.
    pub digest: TokenDigest,
    /// When it was issued.
    pub created_at: UtcDateTime,
    /// When it stops working, if ever.
    pub expires_at: Option<UtcDateTime>,
}

/// Stores API tokens. A user's tokens go when the user is deleted.
pub trait TokenRepo: Send + Sync + 'static {
    /// Stores a new token.
    /// # Errors
    /// `NotFound("user")` when the owner does not exist.
    fn insert_token(
        &self,
        new: &NewApiToken,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<ApiTokenId>> + Send;
    /// The owner's tokens, newest first.
    fn tokens_of(&self, owner: UserId) -> impl Future<Output = RepoResult<Vec<ApiToken>>> + Send;
    /// Deletes one of the owner's tokens.
    /// # Errors
    /// `NotFound("token")` when the owner has no such token.
    fn delete_token(
        &self,
        owner: UserId,
        id: ApiTokenId,
        audit: &NewAuditEntry,
    ) -> impl Future<Output = RepoResult<()>> + Send;
    /// Deletes every token of `owner`, in one write; how many there were.
    fn delete_tokens_of(&self, owner: UserId, audit: &NewAuditEntry) -> impl Future<Output = RepoResult<u64>> + Send;
    /// How many tokens each user holds (users without any are left out).
    fn token_counts(&self) -> impl Future<Output = RepoResult<Vec<(UserId, u64)>>> + Send;
    /// The token with this digest and its owner as the owner is now (role, disabled),
    /// read in one statement.
    fn token_bearer(&self, digest: &TokenDigest) -> impl Future<Output = RepoResult<Option<(ApiToken, User)>>> + Send;
    /// Records that the token was used at `at`, unless a later use is recorded
    /// already. Not audited and not a change of the tracker's data: public pages and
    /// their caches do not see it. A missing token is no error.
    fn record_token_use(&self, id: ApiTokenId, at: UtcDateTime) -> impl Future<Output = RepoResult<()>> + Send;
}
