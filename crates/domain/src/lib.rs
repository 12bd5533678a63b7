//! The ARMA 3 asset tracker's domain: every value valid by construction and every
//! rule of the tracker that needs no data from outside, above all the ledger rule.
//!
//! Invariant: this crate does no I/O and knows no async runtime, web framework,
//! database or serialization format. Types have private fields and fallible
//! constructors, so an invalid value cannot exist.

pub mod audit;
pub mod campaign;
pub mod event;
pub mod ids;
pub mod library;
pub mod mission;
pub mod pool;
pub mod report;
pub mod text;
pub mod throttle;
pub mod token;
pub mod url;
pub mod user;

pub use audit::{AuditAction, AuditEntry, NewAuditEntry, ObjectKind, ObjectRef};
pub use campaign::{
    Campaign, CampaignClosed, CampaignDates, CampaignDatesError, CampaignDetails, CampaignName, CampaignStatus,
};
pub use event::{AssetChange, Delta, DeltaError, Event, EventDetails, EventKind, EventTitle};
pub use ids::{
    ApiTokenId, AssetChangeId, AssetId, AuditEntryId, CampaignId, EventId, IdempotencyKey, IdempotencyKeyError,
    LibraryId, MissionId, PoolEntryId, UserId,
};
pub use library::{Asset, AssetKind, AssetLibrary, AssetName, AssetSpec, AssetSpecError, LibraryName};
pub use mission::{Mission, MissionDetails, MissionName, MissionStatus};
pub use pool::{LedgerError, PoolEntry, PoolGlance, PooledAsset, Quantity, QuantityError, plan_changes, totals_over};
pub use report::{
    AssetMove, CampaignReport, EntryLevel, KindSeries, KindTotals, MissionLosses, ReportChange, ReportEntry,
    ReportEvent, ReportMission, ReportSummary, Step,
};
pub use text::{Category, Description, Location, Notes, ShortText, TextError};
pub use throttle::ThrottleState;
pub use token::{ApiToken, LAST_USED_STEP, MAX_TOKEN_DAYS, TokenDigest, TokenName};
pub use url::{MapUrl, MapUrlError};
pub use user::{Password, PasswordError, PasswordHash, Role, SecurityStamp, User, Username, UsernameError};

/// A value named by a string in a closed set (roles, kinds, statuses) could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of: {expected}")]
pub struct UnknownVariant {
    /// The accepted spellings, comma separated.
    pub expected: &'static str,
}
