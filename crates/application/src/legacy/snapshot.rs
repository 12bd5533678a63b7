//! The Flask tracker's database as read, one plain struct per table (see
//! `LEGACY_SCHEMA.md`): what the reader hands to the planning step. Values are only
//! decoded (integers, text, booleans, dates, naive UTC timestamps), never judged: a
//! nullable column stays an `Option` here, and every rule is the planner's.

use time::{Date, UtcDateTime};

/// Every table of the old database, read in one snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacySnapshot {
    /// `user`.
    pub users: Vec<LegacyUser>,
    /// `asset_library`.
    pub libraries: Vec<LegacyLibrary>,
    /// `asset`.
    pub assets: Vec<LegacyAsset>,
    /// `campaign`.
    pub campaigns: Vec<LegacyCampaign>,
    /// `campaign_library_import`.
    pub library_imports: Vec<LegacyLibraryImport>,
    /// `campaign_asset`.
    pub campaign_assets: Vec<LegacyCampaignAsset>,
    /// `mission`.
    pub missions: Vec<LegacyMission>,
    /// `event`.
    pub events: Vec<LegacyEvent>,
    /// `asset_change`.
    pub changes: Vec<LegacyChange>,
    /// `log`.
    pub logs: Vec<LegacyLog>,
}

/// A row of `user`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct LegacyUser {
    /// `id`.
    pub id: i64,
    /// `username`.
    pub username: String,
    /// `password_hash`: Werkzeug's `method$salt$hex`.
    pub password_hash: String,
    /// `is_manager`.
    pub is_manager: Option<bool>,
    /// `is_admin`.
    pub is_admin: Option<bool>,
}

impl std::fmt::Debug for LegacyUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegacyUser")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("is_manager", &self.is_manager)
            .field("is_admin", &self.is_admin)
            .finish_non_exhaustive()
    }
}

/// A row of `asset_library`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyLibrary {
    /// `id`.
    pub id: i64,
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// `category`.
    pub category: Option<String>,
    /// `is_default`.
    pub is_default: Option<bool>,
}

/// A row of `asset`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyAsset {
    /// `id`.
    pub id: i64,
    /// `library_id`.
    pub library_id: i64,
    /// `name`.
    pub name: String,
    /// `type`: one of the old kinds, or free text in old rows.
    pub kind: String,
    /// `category`.
    pub category: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `default_quantity`.
    pub default_quantity: Option<i64>,
    /// `is_unique`.
    pub is_unique: Option<bool>,
    /// `show_in_public` (global in the old tracker).
    pub show_in_public: Option<bool>,
}

/// A row of `campaign`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyCampaign {
    /// `id`.
    pub id: i64,
    /// `name` (not unique).
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// `start_date`.
    pub start_date: Option<Date>,
    /// `end_date`.
    pub end_date: Option<Date>,
    /// `is_active` (several rows can be active).
    pub is_active: Option<bool>,
    /// `is_closed`.
    pub is_closed: Option<bool>,
    /// `map_edit_url`.
    pub map_edit_url: Option<String>,
    /// `map_view_url`.
    pub map_view_url: Option<String>,
    /// `created_at`.
    pub created_at: Option<UtcDateTime>,
}

/// A row of `campaign_library_import`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyLibraryImport {
    /// `id`.
    pub id: i64,
    /// `campaign_id`.
    pub campaign_id: i64,
    /// `library_id`.
    pub library_id: i64,
    /// `imported_at`.
    pub imported_at: Option<UtcDateTime>,
    /// `last_synced_at`.
    pub last_synced_at: Option<UtcDateTime>,
}

/// A row of `campaign_asset`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyCampaignAsset {
    /// `id`.
    pub id: i64,
    /// `campaign_id`.
    pub campaign_id: i64,
    /// `asset_id`.
    pub asset_id: i64,
    /// `initial_quantity`.
    pub initial_quantity: Option<i64>,
    /// `current_quantity` (stored, not derived).
    pub current_quantity: Option<i64>,
}

/// A row of `mission`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyMission {
    /// `id`.
    pub id: i64,
    /// `campaign_id`.
    pub campaign_id: i64,
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// `mission_date`.
    pub mission_date: Option<Date>,
    /// `location`.
    pub location: Option<String>,
    /// `status`: planned, in_progress, completed, cancelled.
    pub status: Option<String>,
    /// `order_index`.
    pub order_index: Option<i64>,
    /// `map_edit_url`.
    pub map_edit_url: Option<String>,
    /// `map_view_url`.
    pub map_view_url: Option<String>,
}

/// A row of `event`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyEvent {
    /// `id`.
    pub id: i64,
    /// `mission_id`.
    pub mission_id: i64,
    /// `event_type`: combat, logistics, training, other.
    pub event_type: Option<String>,
    /// `title`.
    pub title: String,
    /// `description`.
    pub description: Option<String>,
    /// `event_date`.
    pub event_date: Option<UtcDateTime>,
    /// `location`.
    pub location: Option<String>,
    /// `notes`.
    pub notes: Option<String>,
}

/// A row of `asset_change`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyChange {
    /// `id`.
    pub id: i64,
    /// `event_id`.
    pub event_id: i64,
    /// `asset_id`: the library asset (the entry is the event's campaign's one for it).
    pub asset_id: i64,
    /// `quantity_change`.
    pub quantity_change: Option<i64>,
    /// `notes`.
    pub notes: Option<String>,
}

/// A row of `log`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyLog {
    /// `id`.
    pub id: i64,
    /// `action`.
    pub action: Option<String>,
}
