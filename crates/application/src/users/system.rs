//! Accounts the system creates with no logged-in actor: the first admin on the
//! server's first run, and admins made by an operator with `asset-tracker
//! create-admin`. Their audit entries name the actor "system".

use crate::error::{UseCaseError, UseCaseResult, ValidationErrors};
use crate::ports::{Clock, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{AuditAction, ObjectKind, ObjectRef, Password, Role, UserId, Username};

/// An admin account the system creates (first run, operator command), as typed. Its
/// `Debug` hides the password.
#[derive(Clone, Default)]
pub struct CreateAdmin {
    /// Login name, 3 to 64 letters, digits, `_`, `.` or `-`; unique case-insensitively.
    pub username: String,
    /// The password, at least 12 characters.
    pub password: String,
}

impl std::fmt::Debug for CreateAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateAdmin").field("username", &self.username).finish_non_exhaustive()
    }
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Creates an admin when the store holds no account at all, and returns its id;
    /// returns `None`, validating nothing and changing nothing, once any account exists.
    /// Two servers racing through their first run with different names could both
    /// create one; that leaves two admins, which breaks no rule.
    /// # Errors
    /// `Invalid` (`username`, `password`); `Conflict::DuplicateUsername` when a racing
    /// first run created the same name.
    pub async fn create_first_admin(&self, cmd: CreateAdmin) -> UseCaseResult<Option<UserId>> {
        if !self.store.users().await?.is_empty() {
            return Ok(None);
        }
        self.create_system_admin(&cmd, "created the first admin").await.map(Some)
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
    pub async fn create_admin(&self, cmd: CreateAdmin) -> UseCaseResult<UserId> {
        self.create_system_admin(&cmd, "created admin").await
    }

    /// Validates the credentials and creates an admin audited as `"{what} {username}"`.
    async fn create_system_admin(&self, cmd: &CreateAdmin, what: &str) -> UseCaseResult<UserId> {
        let mut errors = ValidationErrors::new();
        let username = errors.check("username", Username::parse(&cmd.username));
        let password = errors.check("password", Password::parse(&cmd.password));
        let (Some(username), Some(password)) = (username, password) else {
            return Err(UseCaseError::Invalid(errors));
        };
        let object = ObjectRef::created(ObjectKind::User);
        let audit = self.system_audit(AuditAction::UserCreated, object, format!("{what} {username}"));
        self.insert_new_user(username, Role::Admin, &password, &audit, None).await
    }
}
