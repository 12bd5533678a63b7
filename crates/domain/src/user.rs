//! User accounts: usernames, roles, passwords and the security stamp that lets the web
//! layer end every session of a user whose password changed or who was disabled.
//!
//! Invariant: a `Password` is never printed (its `Debug` is redacted) and a user's
//! stamp changes whenever its password changes or it is disabled. Re-hashing the same
//! password with current parameters (`User::rehash`) is not a change of password and
//! keeps the stamp.

use crate::UnknownVariant;
use crate::ids::UserId;
use time::UtcDateTime;

/// A login name: 3 to 64 letters, digits, `_`, `.` or `-`. Unique case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

/// Why a string is not a username.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    /// Fewer than 3 or more than 64 characters.
    #[error("must be 3 to 64 characters long")]
    Length,
    /// A character other than letters, digits, `_`, `.` or `-`.
    #[error("may contain only letters, digits, '_', '.' and '-'")]
    Characters,
}

impl Username {
    /// Parses a trimmed username, keeping its case for display.
    pub fn parse(raw: &str) -> Result<Self, UsernameError> {
        let raw = raw.trim();
        if !(3..=64).contains(&raw.chars().count()) {
            return Err(UsernameError::Length);
        }
        if !raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
            return Err(UsernameError::Characters);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The name as the user chose it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key under which usernames are unique: lower case.
    pub fn normalized(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    /// Whether two usernames name the same account.
    pub fn same_as(&self, other: &Username) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a logged-in user may do. The public needs no account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Manages users, libraries and every campaign that is not closed.
    Admin,
    /// Runs the active campaign: missions, events, pool and libraries.
    Manager,
}

impl Role {
    /// Every role, admin first.
    pub const ALL: [Role; 2] = [Role::Admin, Role::Manager];

    /// The stored and displayed name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
        }
    }

    /// Parses `admin` or `manager`, in any case.
    pub fn parse(raw: &str) -> Result<Self, UnknownVariant> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "manager" => Ok(Role::Manager),
            _ => Err(UnknownVariant { expected: "admin, manager" }),
        }
    }
}

/// A plain-text password as typed: 12 to 1024 characters. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Why a string is not an acceptable password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Shorter than 12 characters.
    #[error("must be at least {min} characters", min = Password::MIN_CHARS)]
    TooShort,
    /// Longer than 1024 characters.
    #[error("must be at most {max} characters", max = Password::MAX_CHARS)]
    TooLong,
}

impl Password {
    /// The fewest characters a password may have.
    pub const MIN_CHARS: usize = 12;
    /// The most characters a password may have (bounds hashing cost).
    pub const MAX_CHARS: usize = 1024;

    /// Checks the length of a new password. Passwords are not trimmed.
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            Err(PasswordError::TooShort)
        } else if n > Self::MAX_CHARS {
            Err(PasswordError::TooLong)
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    /// A password offered at login, which is only compared, never stored: any length
    /// up to the maximum is accepted so that old short passwords still verify.
    pub fn attempt(raw: &str) -> Result<Self, PasswordError> {
        if raw.chars().count() > Self::MAX_CHARS { Err(PasswordError::TooLong) } else { Ok(Self(raw.to_owned())) }
    }

    /// The secret, for the password hasher only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// A password hash in PHC string format, as produced by the password hasher port.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Wraps a PHC string produced by a hasher or read from storage.
    pub fn new(phc: String) -> Self {
        Self(phc)
    }

    /// The PHC string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash([redacted])")
    }
}

/// Changes whenever a user's password changes or the user is disabled; sessions
/// remember the stamp they were created under and end when it no longer matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecurityStamp(i64);

impl SecurityStamp {
    /// The stamp of a new account.
    pub const INITIAL: Self = Self(1);

    /// Wraps a stored stamp.
    pub const fn new(raw: i64) -> Self {
        Self(raw)
    }

    /// The raw value, for storage.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// The stamp that follows this one.
    #[must_use]
    pub const fn next(self) -> Self {
        Self(self.0.wrapping_add(1))
    }
}

/// A staff account: an admin or a manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    id: UserId,
    username: Username,
    role: Role,
    password_hash: PasswordHash,
    disabled: bool,
    security_stamp: SecurityStamp,
    created_at: UtcDateTime,
}

impl User {
    /// Rebuilds a user from its parts (a new one or one read from storage).
    pub fn new(
        id: UserId,
        username: Username,
        role: Role,
        password_hash: PasswordHash,
        disabled: bool,
        security_stamp: SecurityStamp,
        created_at: UtcDateTime,
    ) -> Self {
        Self { id, username, role, password_hash, disabled, security_stamp, created_at }
    }

    /// The account's id.
    pub fn id(&self) -> UserId {
        self.id
    }
    /// The login name.
    pub fn username(&self) -> &Username {
        &self.username
    }
    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }
    /// The password hash.
    pub fn password_hash(&self) -> &PasswordHash {
        &self.password_hash
    }
    /// Whether the account is disabled (cannot log in).
    pub fn is_disabled(&self) -> bool {
        self.disabled
    }
    /// Whether this is an admin that can log in.
    pub fn is_enabled_admin(&self) -> bool {
        self.role == Role::Admin && !self.disabled
    }
    /// The current security stamp.
    pub fn security_stamp(&self) -> SecurityStamp {
        self.security_stamp
    }
    /// When the account was created.
    pub fn created_at(&self) -> UtcDateTime {
        self.created_at
    }

    /// Changes the role.
    pub fn set_role(&mut self, role: Role) {
        self.role = role;
    }

    /// Changes the login name. Sessions go on: they are bound to the account's id and
    /// stamp, not to its name.
    pub fn rename(&mut self, username: Username) {
        self.username = username;
    }

    /// Replaces the password hash and moves the stamp on, ending every session.
    pub fn set_password_hash(&mut self, hash: PasswordHash) {
        self.password_hash = hash;
        self.security_stamp = self.security_stamp.next();
    }

    /// Replaces the hash with one of the *same* password under current hashing
    /// parameters, after a successful login. The password did not change, so the
    /// stamp stays and the user's sessions go on.
    pub fn rehash(&mut self, hash: PasswordHash) {
        self.password_hash = hash;
    }

    /// Disables the account (moving the stamp on, ending every session) or enables it.
    pub fn set_disabled(&mut self, disabled: bool) {
        if disabled && !self.disabled {
            self.security_stamp = self.security_stamp.next();
        }
        self.disabled = disabled;
    }
}

#[cfg(test)]
mod tests;
