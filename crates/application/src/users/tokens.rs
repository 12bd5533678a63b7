//! API tokens: a staff member issues named tokens for their scripts, lists and revokes
//! them; every API request presents one and acts as its owner, with the owner's role
//! as it is now.
//!
//! Invariants: the secret is returned once, at issue, and never stored (only its keyed
//! digest); a token acts only while it is live and its owner is enabled, and always
//! with the owner's current role, so demoting or disabling the owner takes effect on
//! the next request; issuing and revoking are audited, and every write made with a
//! token names the token in its audit entry. A working token's use is recorded (at
//! most once a minute, unaudited) so its owner sees when it last served.

use crate::actor::{Actor, StaffMember};
use crate::error::{UseCaseError, UseCaseResult, ValidationErrors};
use crate::events::complete;
use crate::ports::{Clock, NewApiToken, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{ApiToken, ApiTokenId, AuditAction, MAX_TOKEN_DAYS, ObjectKind, ObjectRef, TokenName, UserId};

/// A token to issue, as typed on the profile page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenInput {
    /// What to call it.
    pub name: String,
    /// Days until it expires (1 to [`MAX_TOKEN_DAYS`]); empty: it never expires.
    pub expires_in_days: String,
}

/// A token just issued, with its secret: shown once, never again.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedApiToken {
    /// The token.
    pub token: ApiToken,
    /// The bearer secret.
    pub secret: String,
}

impl std::fmt::Debug for IssuedApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedApiToken").field("token", &self.token).finish_non_exhaustive()
    }
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Issues the actor a token.
    /// # Errors
    /// `Forbidden` for the public and for a token (a token cannot make tokens);
    /// `Invalid` (`name`, `expires_in_days`).
    pub async fn create_token(&self, actor: &Actor, cmd: TokenInput) -> UseCaseResult<IssuedApiToken> {
        let staff = self.session_staff(actor)?;
        let mut errors = ValidationErrors::new();
        let name = errors.check("name", TokenName::parse(&cmd.name));
        let days = errors.check("expires_in_days", lifetime(&cmd.expires_in_days));
        let (name, days) = complete(errors, name.zip(days))?;
        let now = self.clock.now();
        let expires_at = days.map(|d| now + time::Duration::days(i64::from(d)));
        let issued = self.hasher.issue();
        let new =
            NewApiToken { owner: staff.id, name: name.clone(), digest: issued.digest, created_at: now, expires_at };
        let until = expires_at.map_or_else(|| "with no expiry".to_owned(), |at| format!("expiring {}", at.date()));
        let details = format!("issued the API token \"{name}\" {until}");
        let audit =
            self.audit(staff, AuditAction::TokenCreated, None, ObjectRef::created(ObjectKind::ApiToken), details);
        let id = self.store.insert_token(&new, &audit).await?;
        let token = ApiToken { id, owner: staff.id, name, created_at: now, expires_at, last_used_at: None };
        Ok(IssuedApiToken { token, secret: issued.secret })
    }

    /// The actor's tokens, newest first.
    /// # Errors
    /// `Forbidden` for the public.
    pub async fn tokens(&self, actor: &Actor) -> UseCaseResult<Vec<ApiToken>> {
        let staff = actor.staff()?;
        Ok(self.store.tokens_of(staff.id).await?)
    }

    /// Revokes one of the actor's tokens: it stops working at once.
    /// # Errors
    /// `Forbidden` for the public and for a token; `NotFound("token")` unless the
    /// actor owns it.
    pub async fn revoke_token(&self, actor: &Actor, id: ApiTokenId) -> UseCaseResult<()> {
        let staff = self.session_staff(actor)?;
        let token = self.store.tokens_of(staff.id).await?.into_iter().find(|t| t.id == id);
        let token = token.ok_or(UseCaseError::NotFound("token"))?;
        let details = format!("revoked the API token \"{}\"", token.name);
        let object = ObjectRef::existing(ObjectKind::ApiToken, id.get());
        let audit = self.audit(staff, AuditAction::TokenRevoked, None, object, details);
        self.store.delete_token(staff.id, id, &audit).await?;
        Ok(())
    }

    /// How many API tokens each user holds, for an admin (users without any are left out).
    /// # Errors
    /// `Forbidden` for anyone but an admin.
    pub async fn token_counts(&self, actor: &Actor) -> UseCaseResult<Vec<(UserId, u64)>> {
        actor.admin()?;
        Ok(self.store.token_counts().await?)
    }

    /// Revokes every API token of a user, as an admin answering a leaked token: they
    /// stop working at once, and only a new one made by the owner works again. Nothing
    /// is written when the user has none.
    /// # Errors
    /// `Forbidden` for anyone but an admin in a browser session; `NotFound("user")`.
    pub async fn revoke_user_tokens(&self, actor: &Actor, id: UserId) -> UseCaseResult<u64> {
        let admin = self.session_staff(actor)?;
        actor.admin()?;
        let user = self.user_or_404(id).await?;
        let held = self.store.tokens_of(id).await?.len();
        if held == 0 {
            return Ok(0);
        }
        let details = format!("revoked all {held} API tokens of {}", user.username());
        let object = ObjectRef::existing(ObjectKind::User, id.get());
        let audit = self.audit(admin, AuditAction::TokenRevoked, None, object, details);
        Ok(self.store.delete_tokens_of(id, &audit).await?)
    }

    /// The staff member a presented secret acts as: `None` when no live token has it or
    /// its owner is disabled.
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn token_actor(&self, secret: &str) -> UseCaseResult<Option<StaffMember>> {
        let digest = self.hasher.digest(secret);
        let Some((token, owner)) = self.store.token_bearer(&digest).await? else {
            return Ok(None);
        };
        let now = self.clock.now();
        if owner.is_disabled() || !token.is_live_at(now) {
            return Ok(None);
        }
        if token.use_is_news_at(now) {
            self.store.record_token_use(token.id, now).await?;
        }
        Ok(Some(StaffMember { token: Some(token.name), ..StaffMember::of(&owner) }))
    }

    /// The staff member behind a browser session: managing tokens needs a login, so
    /// that a leaked token cannot mint or revoke others.
    fn session_staff<'a>(&self, actor: &'a Actor) -> UseCaseResult<&'a StaffMember> {
        let staff = actor.staff()?;
        if staff.token.is_some() { Err(UseCaseError::Forbidden) } else { Ok(staff) }
    }
}

/// A token's lifetime in days: blank for none, else 1 to [`MAX_TOKEN_DAYS`].
fn lifetime(raw: &str) -> Result<Option<u32>, String> {
    match raw.trim() {
        "" => Ok(None),
        raw => match raw.parse::<u32>() {
            Ok(days @ 1..=MAX_TOKEN_DAYS) => Ok(Some(days)),
            _ => Err(format!("must be a whole number of days from 1 to {MAX_TOKEN_DAYS}, or blank for none")),
        },
    }
}

#[cfg(test)]
mod tests;
