//! Logging in and checking sessions, with no actor: the login form calls
//! `authenticate`, the session layer calls `session_user` on every request.
//!
//! Invariant: every login attempt verifies exactly one password hash (a dummy one when
//! the account does not exist or the input is malformed) before anything else is
//! decided, even while the username is locked, and every failure is the same
//! `InvalidCredentials` (or, past the limit, the same `TooManyAttempts`), so neither the
//! answer nor its timing tells whether a username exists or an account is disabled:
//! the login throttle is read and counted for every well-formed username alike.

use super::user_ref;
use crate::error::{LoginLocked, RepoError, UseCaseError, UseCaseResult};
use crate::ports::{Clock, PasswordHasher, Store, Verification};
use crate::tracker::Tracker;
use domain::{AuditAction, ObjectKind, ObjectRef, Password, SecurityStamp, ThrottleState, User, UserId, Username};

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// The enabled account with this username and password. A hash made with outdated
    /// parameters is replaced by a current one of the same password, keeping the
    /// security stamp (so the user's other sessions go on). A successful login is not
    /// a change and writes no audit entry; it clears the username's run of failures.
    ///
    /// Every failure for a well-formed username counts in its login throttle, whether
    /// or not an account has that name. While the username is locked
    /// (`domain::ThrottleState`), every login is refused whatever the password and
    /// counts as a failure too; the failure that starts a lock and each refusal are
    /// audited (`UserLoginLocked`, `UserLoginRefused`).
    /// # Errors
    /// `InvalidCredentials` for an unknown username, a wrong password, a disabled
    /// account and malformed input alike; `TooManyAttempts` while the username is
    /// locked, and for the failure that locks it; `Unexpected` when the store or
    /// hasher fails.
    pub async fn authenticate(&self, username: &str, password: &str) -> UseCaseResult<User> {
        let offered = Password::attempt(password).ok();
        let name = Username::parse(username).ok();
        let (user, run) = match &name {
            Some(name) => {
                let user = if offered.is_some() { self.store.user_by_username(name).await? } else { None };
                (user, self.store.login_throttle(name).await?)
            }
            None => (None, ThrottleState::CLEAR),
        };
        // A malformed (over-long) password is still verified, as an empty one against
        // the dummy hash, so that rejecting it takes as long as any other failure.
        let attempt = match offered {
            Some(p) => p,
            None => Password::attempt("").map_err(|_| UseCaseError::InvalidCredentials)?,
        };
        let verification = self.hasher.verify(&attempt, user.as_ref().map(User::password_hash)).await?;
        // A malformed username names no account and has no throttle to count in.
        let Some(name) = name else { return Err(UseCaseError::InvalidCredentials) };
        let now = self.clock.now();
        let object = ObjectRef { kind: ObjectKind::User, id: user.as_ref().map(|u| u.id().get()) };
        if run.is_locked_at(now) {
            let details = format!("refused a login for {name}: the username is locked");
            let audit = self.system_audit(AuditAction::UserLoginRefused, object, details);
            let run = self.store.record_login_failure(&name, now, &audit).await?;
            return Err(UseCaseError::TooManyAttempts(LoginLocked {
                retry_after: run.retry_after(now),
                started: false,
            }));
        }
        let verified = match (user, verification) {
            (Some(user), Verification::Match { needs_rehash }) if !user.is_disabled() => Some((user, needs_rehash)),
            _ => None,
        };
        let Some((user, needs_rehash)) = verified else {
            let details = format!("failed logins for {name} reached the limit: the username is locked");
            let audit = self.system_audit(AuditAction::UserLoginLocked, object, details);
            let run = self.store.record_login_failure(&name, now, &audit).await?;
            return Err(if run.is_locked_at(now) {
                UseCaseError::TooManyAttempts(LoginLocked { retry_after: run.retry_after(now), started: true })
            } else {
                UseCaseError::InvalidCredentials
            });
        };
        if run.failures() > 0 {
            self.store.reset_login_throttle(&name).await?;
        }
        if needs_rehash { self.upgrade_hash(user, &attempt).await } else { Ok(user) }
    }

    /// The account behind a session: `Some` only when it still exists, is enabled and
    /// has the stamp the session was created under. `None` tells the web layer to end
    /// the session (the user was deleted or disabled, or a password changed).
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn session_user(&self, id: UserId, stamp: SecurityStamp) -> UseCaseResult<Option<User>> {
        let user = self.store.user(id).await?;
        Ok(user.filter(|u| !u.is_disabled() && u.security_stamp() == stamp))
    }

    /// Deletes the login-throttle runs forgotten by now (a periodic sweep, run by the
    /// server): failures under made-up usernames leave nothing behind for long. Answers
    /// how many runs were deleted.
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn forget_login_throttles(&self) -> UseCaseResult<u64> {
        Ok(self.store.forget_login_throttles(self.clock.now()).await?)
    }

    /// Saves a current hash of the password just verified for `verified`, keeping the
    /// stamp. The store replaces the hash only if it is still the one verified (a
    /// compare-and-set), so a concurrent change or reset is never undone; a concurrent
    /// role change or disable touches other fields and is kept too. When the hash
    /// changed meanwhile the upgrade is skipped and the next login tries again.
    async fn upgrade_hash(&self, verified: User, password: &Password) -> UseCaseResult<User> {
        let hash = self.hasher.hash(password).await?;
        let details = format!("upgraded the password hash of {} at login", verified.username());
        let audit = self.system_audit(AuditAction::UserPasswordRehashed, user_ref(verified.id()), details);
        match self.store.rehash_password(verified.id(), verified.password_hash(), &hash, &audit).await {
            Ok(true) => {
                let mut user = verified;
                user.rehash(hash);
                Ok(user)
            }
            // The session made from `verified` carries its old stamp, so the session
            // layer ends it on the next request if the password was changed meanwhile.
            Ok(false) => match self.store.user(verified.id()).await? {
                Some(current) if !current.is_disabled() => Ok(verified),
                Some(_) | None => Err(UseCaseError::InvalidCredentials),
            },
            Err(RepoError::NotFound(_)) => Err(UseCaseError::InvalidCredentials),
            Err(e) => Err(e.into()),
        }
    }
}
