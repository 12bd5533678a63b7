//! Accounts the system creates with no logged-in actor: the first admin on the
//! server's first run, and admins made by an operator with `asset-tracker
//! create-admin`. Their audit entries name the actor "system".

use crate::error::{UseCaseError, UseCaseResult, ValidationErrors};
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{AuditAction, ObjectKind, ObjectRef, Password, Role, UserId, Username};

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Creates an admin when the store holds no account at all, and returns its id;
    /// returns `None`, validating nothing and changing nothing, once any account exists.
    /// Two servers racing through their first run with different names could both
    /// create one; that leaves two admins, which breaks no rule.
    /// # Errors
    /// `Invalid` (`username`, `password`); `Conflict::DuplicateUsername` when a racing
    /// first run created the same name.
    pub async fn create_first_admin(&self, username: &str, password: &str) -> UseCaseResult<Option<UserId>> {
        if !self.store.users().await?.is_empty() {
            return Ok(None);
        }
        self.create_system_admin(username, password, "created the first admin").await.map(Some)
    }

    /// Whether any account exists, so that a production server with none can tell the
    /// operator to run `asset-tracker create-admin`.
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn has_accounts(&self) -> UseCaseResult<bool> {
        Ok(!self.store.users().await?.is_empty())
    }

    /// Creates an admin at an operator's request, whatever accounts exist.
    /// # Errors
    /// `Invalid` (`username`, `password`); `Conflict::DuplicateUsername`.
    pub async fn create_admin(&self, username: &str, password: &str) -> UseCaseResult<UserId> {
        self.create_system_admin(username, password, "created admin").await
    }

    /// Validates the credentials and creates an admin audited as `"{what} {username}"`.
    async fn create_system_admin(&self, username: &str, password: &str, what: &str) -> UseCaseResult<UserId> {
        let mut errors = ValidationErrors::new();
        let username = errors.check("username", Username::parse(username));
        let password = errors.check("password", Password::parse(password));
        let (Some(username), Some(password)) = (username, password) else {
            return Err(UseCaseError::Invalid(errors));
        };
        let object = ObjectRef::created(ObjectKind::User);
        let audit = self.system_audit(AuditAction::UserCreated, object, format!("{what} {username}"));
        self.insert_new_user(username, Role::Admin, &password, &audit, None).await
    }
}
