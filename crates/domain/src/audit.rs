//! The audit trail: who did what, when, to which object of which campaign.

use crate::UnknownVariant;
use crate::ids::{AuditEntryId, CampaignId, UserId};
use time::UtcDateTime;

macro_rules! names {
    ($(#[$doc:meta])* $ty:ident { $($(#[$vdoc:meta])* $variant:ident => $name:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $ty { $($(#[$vdoc])* $variant,)+ }

        impl $ty {
            /// Every value.
            pub const ALL: &'static [$ty] = &[$($ty::$variant,)+];

            /// The stored name.
            pub const fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name,)+ }
            }

            /// Parses a stored name.
            pub fn parse(raw: &str) -> Result<Self, UnknownVariant> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw.trim())
                    .ok_or(UnknownVariant { expected: concat!($($name, " "),+) })
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

names!(
    /// What was done.
    AuditAction {
        /// A user account was created.
        UserCreated => "user.created",
        /// A user's role changed.
        UserRoleChanged => "user.role_changed",
        /// A user's username changed (by the user or by an admin).
        UserRenamed => "user.renamed",
        /// A user was disabled.
        UserDisabled => "user.disabled",
        /// A user was enabled again.
        UserEnabled => "user.enabled",
        /// An admin reset a user's password.
        UserPasswordReset => "user.password_reset",
        /// A user changed their own password.
        UserPasswordChanged => "user.password_changed",
        /// A user's password was re-hashed with current parameters at login (the
        /// password itself did not change).
        UserPasswordRehashed => "user.password_rehashed",
        /// A user account was deleted.
        UserDeleted => "user.deleted",
        /// A failed login reached the limit and locked the username's logins for a while
        /// (the username need not name an account).
        UserLoginLocked => "user.login_locked",
        /// A login was refused, whatever the password, because the username was locked;
        /// it counted as a failure and extended the lock.
        UserLoginRefused => "user.login_refused",
        /// A library was created.
        LibraryCreated => "library.created",
        /// A library was edited.
        LibraryUpdated => "library.updated",
        /// A library was deleted.
        LibraryDeleted => "library.deleted",
        /// An asset was added to a library.
        AssetCreated => "asset.created",
        /// A library asset was edited.
        AssetUpdated => "asset.updated",
        /// A library asset was deleted.
        AssetDeleted => "asset.deleted",
        /// Assets were copied from one library into another.
        AssetsCopied => "library.assets_copied",
        /// Assets were imported into a library from a CSV file.
        AssetsImported => "library.assets_imported",
        /// A campaign was created.
        CampaignCreated => "campaign.created",
        /// A campaign was edited.
        CampaignUpdated => "campaign.updated",
        /// A campaign was made the active one.
        CampaignActivated => "campaign.activated",
        /// A campaign was closed and its final report archived.
        CampaignClosed => "campaign.closed",
        /// A library was imported into a campaign's pool.
        LibraryImported => "pool.library_imported",
        /// A library's new assets were added to a campaign's pool.
        LibrarySynced => "pool.library_synced",
        /// One asset was added to a pool.
        PoolAssetAdded => "pool.asset_added",
        /// A pool entry's initial quantity changed.
        PoolInitialChanged => "pool.initial_changed",
        /// A pool entry was shown or hidden on the public pages.
        PoolVisibilityChanged => "pool.visibility_changed",
        /// A pool entry was removed.
        PoolEntryRemoved => "pool.entry_removed",
        /// A mission was created.
        MissionCreated => "mission.created",
        /// A mission was edited.
        MissionUpdated => "mission.updated",
        /// A mission's status changed.
        MissionStatusChanged => "mission.status_changed",
        /// A campaign's missions were reordered.
        MissionsReordered => "mission.reordered",
        /// A mission and its events were deleted.
        MissionDeleted => "mission.deleted",
        /// An event was recorded.
        EventCreated => "event.created",
        /// An event was edited.
        EventUpdated => "event.updated",
        /// An event and its changes were deleted.
        EventDeleted => "event.deleted",
        /// An asset change was added to an event.
        ChangeAdded => "event.change_added",
        /// An asset change was deleted from an event.
        ChangeDeleted => "event.change_deleted",
        /// A staff member issued themselves an API token.
        TokenCreated => "token.created",
        /// An API token was revoked.
        TokenRevoked => "token.revoked",
        /// The old tracker's data was imported into the empty store.
        LegacyImported => "store.legacy_imported",
    }
);

names!(
    /// What sort of object an audit entry is about.
    ObjectKind {
        /// A user account.
        User => "user",
        /// An asset library.
        Library => "library",
        /// A library asset.
        Asset => "asset",
        /// A campaign.
        Campaign => "campaign",
        /// A pool entry.
        PoolEntry => "pool_entry",
        /// A mission.
        Mission => "mission",
        /// An event.
        Event => "event",
        /// An asset change.
        AssetChange => "asset_change",
        /// An API token.
        ApiToken => "api_token",
        /// The whole store (an import).
        Store => "store",
    }
);

/// The object an audit entry is about. For a create, `id` is `None` until the store
/// assigns the new object's id in the same atomic write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectRef {
    /// What sort of object.
    pub kind: ObjectKind,
    /// Its id, once known.
    pub id: Option<i64>,
}

impl ObjectRef {
    /// An existing object.
    pub fn existing(kind: ObjectKind, id: i64) -> Self {
        Self { kind, id: Some(id) }
    }

    /// An object being created, whose id the store fills in.
    pub fn created(kind: ObjectKind) -> Self {
        Self { kind, id: None }
    }
}

/// An audit entry about to be written with the change it describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    /// When.
    pub at: UtcDateTime,
    /// Who (`None` for the system itself, such as first-run set-up).
    pub actor_id: Option<UserId>,
    /// The actor's name at the time, kept when the account is later deleted.
    pub actor_name: String,
    /// What was done.
    pub action: AuditAction,
    /// The campaign concerned, if any.
    pub campaign_id: Option<CampaignId>,
    /// The object concerned.
    pub object: ObjectRef,
    /// A human-readable summary, such as "-2 M2A1 Slammer".
    pub details: String,
}

/// A written audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The entry's id.
    pub id: AuditEntryId,
    /// What was recorded.
    pub entry: NewAuditEntry,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_through_its_stored_name() {
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Ok(*a));
        }
        for k in ObjectKind::ALL {
            assert_eq!(ObjectKind::parse(k.as_str()), Ok(*k));
        }
        assert!(AuditAction::parse("user.exploded").is_err());
    }

    #[test]
    fn stored_names_are_distinct() {
        let mut names: Vec<_> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
    }
}
