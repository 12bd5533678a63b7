//! The errors every use case returns, and the error every port returns.
//!
//! One `UseCaseError` serves all use cases: each use case's failures are a subset of
//! the same five outcomes (not found, forbidden, invalid input, conflict, unexpected),
//! and every adapter maps those five the same way. Variants carry text safe to show
//! to the user, except `Unexpected`, whose cause is for the logs only.

use domain::LedgerError;

/// Where a problem sits in a command: the field, keyed as the forms name their inputs
/// (`"name"`, `"change_delta"`), and for a field of a repeated row (an event's change
/// rows) the row, counted from 1 as submitted. Adapters place messages by this path;
/// they never read it out of a message's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldPath {
    /// The input field's key.
    pub field: &'static str,
    /// The row, counted from 1, for a field of a repeated row; `None` otherwise.
    pub row: Option<usize>,
}

impl FieldPath {
    /// A field of the command itself.
    pub const fn field(field: &'static str) -> Self {
        Self { field, row: None }
    }

    /// A field of the command's row `row` (counted from 1).
    pub const fn row(field: &'static str, row: usize) -> Self {
        Self { field, row: Some(row) }
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.row {
            Some(row) => write!(f, "row {row} {}", self.field),
            None => f.write_str(self.field),
        }
    }
}

/// One problem with the input, such as `name`: "must not be empty".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where the problem is.
    pub path: FieldPath,
    /// What is wrong, in words for the user, without the field's name.
    pub message: String,
}

/// Every problem found with a command's input, collected so a form can show them all.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", self.summary())]
pub struct ValidationErrors(Vec<FieldError>);

impl ValidationErrors {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A single problem with `field`.
    pub fn single(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Records a problem with `field`.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.add_at(FieldPath::field(field), message);
    }

    /// Records a problem at `path` (a field, or a field of a row).
    pub fn add_at(&mut self, path: FieldPath, message: impl Into<String>) {
        self.0.push(FieldError { path, message: message.into() });
    }

    /// Keeps the value of a successful parse, or records its error against `field`.
    pub fn check<T, E: std::fmt::Display>(&mut self, field: &'static str, parsed: Result<T, E>) -> Option<T> {
        parsed.map_err(|e| self.add(field, e.to_string())).ok()
    }

    /// The problems found.
    pub fn fields(&self) -> &[FieldError] {
        &self.0
    }

    /// The first message for the command's own `field` (not a row's), if any.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.path.field == field && e.path.row.is_none()).map(|e| e.message.as_str())
    }

    /// The first message at `path`, if any.
    pub fn message_at(&self, path: FieldPath) -> Option<&str> {
        self.0.iter().find(|e| e.path == path).map(|e| e.message.as_str())
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was found, else the collected errors.
    pub fn into_result(self) -> Result<(), UseCaseError> {
        if self.is_empty() { Ok(()) } else { Err(UseCaseError::Invalid(self)) }
    }

    fn summary(&self) -> String {
        self.0.iter().map(|e| format!("{}: {}", e.path, e.message)).collect::<Vec<_>>().join("; ")
    }
}

/// A request that is well-formed but clashes with the tracker's state or rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    /// Another account has this username (compared case-insensitively).
    #[error("the username is already taken")]
    DuplicateUsername,
    /// Another library has this name.
    #[error("a library with this name already exists")]
    DuplicateLibraryName,
    /// The library already has an asset with this name.
    #[error("this library already has an asset with this name")]
    DuplicateAssetName,
    /// The asset is already in the campaign's pool.
    #[error("the asset is already in this campaign's pool")]
    AlreadyInPool,
    /// The campaign is closed and read-only.
    #[error("the campaign is closed and can no longer be changed")]
    CampaignClosed,
    /// Another campaign became active at the same time.
    #[error("another campaign is already active")]
    AnotherCampaignActive,
    /// The change would leave no enabled admin.
    #[error("the last enabled admin cannot be deleted, disabled or demoted")]
    LastAdmin,
    /// Users may not delete or disable themselves.
    #[error("you cannot delete or disable your own account")]
    SelfAction,
    /// The object is still referenced and cannot be removed.
    #[error("{0} is in use and cannot be removed")]
    InUse(&'static str),
    /// The ledger rule forbids the change.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The idempotency key was already used for a different request.
    #[error("this request key was already used for a different request")]
    IdempotencyKeyReused,
    /// An import from the old tracker needs an empty store.
    #[error("the store is not empty: it already holds users, libraries or campaigns")]
    StoreNotEmpty,
}

/// A refused login's lock, for the adapter's answer (a `Retry-After`) and its metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLocked {
    /// How long until the lock ends.
    pub retry_after: time::Duration,
    /// Whether this attempt's failure started the lock (a lockout), rather than being
    /// refused because the username was already locked.
    pub started: bool,
}

/// What a use case returns when it does not succeed.
#[derive(Debug, thiserror::Error)]
pub enum UseCaseError {
    /// The object does not exist (or the actor may not know it exists).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The actor may not do this.
    #[error("you are not allowed to do this")]
    Forbidden,
    /// The login failed; deliberately says nothing about which part was wrong.
    #[error("invalid username or password")]
    InvalidCredentials,
    /// Too many failed logins for the username (whether or not an account has it):
    /// every login is refused, whatever the password, until the lock ends.
    #[error("too many failed logins for this username; try again later")]
    TooManyAttempts(LoginLocked),
    /// The input is malformed; each field says why.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// The request clashes with the state or the rules.
    #[error(transparent)]
    Conflict(#[from] Conflict),
    /// The store cannot be reached or cannot write right now; nothing was changed and a
    /// retry later may succeed. The cause is for the logs only.
    #[error("the tracker's storage is unavailable right now")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Something outside the tracker failed; the cause is for the logs only.
    #[error("an unexpected error occurred")]
    Unexpected(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<LedgerError> for UseCaseError {
    fn from(e: LedgerError) -> Self {
        UseCaseError::Conflict(Conflict::Ledger(e))
    }
}

impl From<domain::CampaignClosed> for UseCaseError {
    fn from(_: domain::CampaignClosed) -> Self {
        UseCaseError::Conflict(Conflict::CampaignClosed)
    }
}

/// What a port returns when it does not succeed.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// The object named by the write does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A rule checked by the store (a constraint, the ledger, a closed campaign).
    #[error(transparent)]
    Conflict(#[from] Conflict),
    /// The store cannot be reached or cannot write right now (the database is down or
    /// restarting, no connection came free in time, the disk is full or read-only): a
    /// retry later may succeed. Nothing was written. The cause is for the logs only.
    #[error("storage unavailable")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The store failed; the cause is for the logs only.
    #[error("storage failure")]
    Unexpected(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl RepoError {
    /// Wraps a driver error.
    pub fn unexpected(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        RepoError::Unexpected(Box::new(e))
    }
}

impl From<LedgerError> for RepoError {
    fn from(e: LedgerError) -> Self {
        RepoError::Conflict(Conflict::Ledger(e))
    }
}

impl From<domain::CampaignClosed> for RepoError {
    fn from(_: domain::CampaignClosed) -> Self {
        RepoError::Conflict(Conflict::CampaignClosed)
    }
}

impl From<RepoError> for UseCaseError {
    fn from(e: RepoError) -> Self {
        match e {
            RepoError::NotFound(what) => UseCaseError::NotFound(what),
            RepoError::Conflict(c) => UseCaseError::Conflict(c),
            RepoError::Unavailable(cause) => UseCaseError::Unavailable(cause),
            RepoError::Unexpected(cause) => UseCaseError::Unexpected(cause),
        }
    }
}

/// Shorthand for use-case results.
pub type UseCaseResult<T> = Result<T, UseCaseError>;
/// Shorthand for port results.
pub type RepoResult<T> = Result<T, RepoError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_collect_every_field() {
        let mut errors = ValidationErrors::new();
        assert_eq!(errors.check("qty", "7".parse::<u32>()), Some(7));
        assert_eq!(errors.check("name", Err::<(), _>("must not be empty")), None);
        errors.add("end", "must not be before the start date");
        assert_eq!(errors.fields().len(), 2);
        assert_eq!(errors.fields()[1].path, FieldPath::field("end"));
        assert_eq!(errors.message_for("name"), Some("must not be empty"));
        errors.add_at(FieldPath::row("change_delta", 3), "must not be zero");
        assert_eq!(errors.message_at(FieldPath::row("change_delta", 3)), Some("must not be zero"));
        assert_eq!(errors.message_for("change_delta"), None, "a row's field is not the command's");
        assert_eq!(
            errors.to_string(),
            "invalid input: name: must not be empty; end: must not be before the start date; row 3 change_delta: must not be zero"
        );
        assert!(matches!(errors.into_result(), Err(UseCaseError::Invalid(_))));
    }
}
