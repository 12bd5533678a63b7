//! A staff member's own account: reading it, renaming it, and changing its password,
//! which needs the current password and moves the security stamp so that every other
//! session ends.

use super::{Rename, user_ref};
use crate::actor::Actor;
use crate::error::{UseCaseError, UseCaseResult, ValidationErrors};
use crate::ports::{Clock, PasswordHasher, Store, Verification};
use crate::tracker::Tracker;
use domain::{AuditAction, Password, User, Username};

/// A password change as typed into the profile form. Its `Debug` hides the passwords.
#[derive(Clone, Default)]
pub struct ChangePassword {
    /// The password in use now.
    pub current_password: String,
    /// The new password, at least 12 characters.
    pub new_password: String,
    /// The new password typed again.
    pub confirm_password: String,
}

impl std::fmt::Debug for ChangePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePassword { .. }")
    }
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// The actor's own account.
    /// # Errors
    /// `Forbidden` for the public; `NotFound("user")` when the account was deleted.
    pub async fn profile(&self, actor: &Actor) -> UseCaseResult<User> {
        let staff = actor.staff()?;
        self.user_or_404(staff.id).await
    }

    /// Changes the actor's own username. The same name again writes nothing; this
    /// session and the others go on under the new name.
    /// # Errors
    /// `Forbidden` for the public and for a disabled account; `NotFound("user")`;
    /// `Invalid` (`username`: its format, or "is already taken" by another account).
    pub async fn rename_own(&self, actor: &Actor, cmd: Rename) -> UseCaseResult<()> {
        let staff = actor.staff()?;
        let user = self.user_or_404(staff.id).await?;
        if user.is_disabled() {
            return Err(UseCaseError::Forbidden);
        }
        let describe = |old: &Username, new: &Username| format!("changed own username from {old} to {new}");
        self.rename(staff, user, &cmd, describe).await
    }

    /// Changes the actor's own password. The security stamp moves on, so every session
    /// of the account ends, this one included: the web layer must log the user in again
    /// under the new stamp (read it with `profile`) to keep the current session.
    /// # Errors
    /// `Forbidden` for the public and for a disabled account; `NotFound("user")`;
    /// `Invalid` with every problem found: `current_password` ("is not correct"),
    /// `new_password` (too short or long), `confirm_password` ("does not match").
    pub async fn change_own_password(&self, actor: &Actor, cmd: ChangePassword) -> UseCaseResult<()> {
        let staff = actor.staff()?;
        let mut user = self.user_or_404(staff.id).await?;
        if user.is_disabled() {
            return Err(UseCaseError::Forbidden);
        }
        let mut errors = ValidationErrors::new();
        let current_ok = match Password::attempt(&cmd.current_password) {
            Ok(current) => {
                matches!(self.hasher.verify(&current, Some(user.password_hash())).await?, Verification::Match { .. })
            }
            Err(_) => false,
        };
        if !current_ok {
            errors.add("current_password", "is not correct");
        }
        let new = errors.check("new_password", Password::parse(&cmd.new_password));
        if cmd.confirm_password != cmd.new_password {
            errors.add("confirm_password", "does not match");
        }
        let Some(new) = new else {
            return Err(UseCaseError::Invalid(errors));
        };
        errors.into_result()?;
        user.set_password_hash(self.hasher.hash(&new).await?);
        let audit =
            self.audit(staff, AuditAction::UserPasswordChanged, None, user_ref(staff.id), "changed own password");
        Ok(self.store.set_password_hash(staff.id, user.password_hash(), &audit).await?)
    }
}
