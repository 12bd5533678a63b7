//! Reading the old tracker's database (PostgreSQL or SQLite, as its models define it:
//! `LEGACY_SCHEMA.md`) into a [`LegacySnapshot`], in one read-only snapshot.
//!
//! Every column is read as text (`CAST(… AS TEXT)`, which both databases understand)
//! and decoded here, so one reader serves both: booleans come back as `true`/`false`
//! from PostgreSQL and `1`/`0` from SQLite, naive timestamps as `YYYY-MM-DD
//! HH:MM:SS[.ffffff]` from both (read as UTC), dates as `YYYY-MM-DD`.
//!
//! Invariant: a missing table or column is an error naming it, found before any row
//! is read; a value that cannot be decoded is an error naming its table, column and
//! row. Nothing is ever written to the old database.

use crate::dialect::Dialect;
use application::legacy::{
    LegacyAsset, LegacyCampaign, LegacyCampaignAsset, LegacyChange, LegacyEvent, LegacyLibrary, LegacyLibraryImport,
    LegacyLog, LegacyMission, LegacySnapshot, LegacyUser,
};
use time::{Date, PrimitiveDateTime, UtcDateTime};

/// The old database could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LegacyReadError {
    /// The old database could not be opened (its URL shown with the password redacted).
    #[error("cannot open the old database at {url}: {cause}")]
    Open {
        /// The URL, redacted.
        url: String,
        /// Why, with any secret of the URL scrubbed.
        cause: String,
    },
    /// A table the import needs is not there.
    #[error("the old database has no table \"{0}\" (is this the Flask tracker's database?)")]
    MissingTable(&'static str),
    /// A column the import needs is not there.
    #[error("the old database's table \"{table}\" has no column \"{column}\"")]
    MissingColumn {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
    },
    /// A value that is not what its column holds.
    #[error("the old database's {table}.{column} of row {id} holds {value:?}, which is not {expected}")]
    BadValue {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// The row's id.
        id: i64,
        /// The value as text.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// The database failed.
    #[error("cannot read the old database: {0}")]
    Driver(#[from] sqlx::Error),
}

/// The tables and columns read, as the old models name them.
pub const TABLES: &[(&str, &[&str])] = &[
    ("user", &["id", "username", "password_hash", "is_manager", "is_admin"]),
    ("asset_library", &["id", "name", "description", "category", "is_default"]),
    (
        "asset",
        &[
            "id",
            "library_id",
            "name",
            "type",
            "category",
            "description",
            "default_quantity",
            "is_unique",
            "show_in_public",
        ],
    ),
    (
        "campaign",
        &[
            "id",
            "name",
            "description",
            "start_date",
            "end_date",
            "is_active",
            "is_closed",
            "map_edit_url",
            "map_view_url",
            "created_at",
        ],
    ),
    ("campaign_library_import", &["id", "campaign_id", "library_id", "imported_at", "last_synced_at"]),
    ("campaign_asset", &["id", "campaign_id", "asset_id", "initial_quantity", "current_quantity"]),
    (
        "mission",
        &[
            "id",
            "campaign_id",
            "name",
            "description",
            "mission_date",
            "location",
            "status",
            "order_index",
            "map_edit_url",
            "map_view_url",
        ],
    ),
    ("event", &["id", "mission_id", "event_type", "title", "description", "event_date", "location", "notes"]),
    ("asset_change", &["id", "event_id", "asset_id", "quantity_change", "notes"]),
    ("log", &["id", "action"]),
];

impl LegacyReadError {
    /// The failure to open `url`, with its secrets redacted.
    pub fn open(url: &str, cause: &dyn std::fmt::Display) -> Self {
        LegacyReadError::Open { url: crate::redact_url(url), cause: crate::scrub(&cause.to_string(), url) }
    }
}

/// Reads every table of the old database at `pool` in one read-only snapshot.
///
/// # Errors
/// [`LegacyReadError`]: a missing table or column, an undecodable value, a driver
/// failure.
pub async fn read_legacy<D: Dialect>(pool: &D::Pool) -> Result<LegacySnapshot, LegacyReadError> {
    let mut tx = D::begin_read(pool).await?;
    for &(table, columns) in TABLES {
        let probe = format!("SELECT 1 FROM \"{table}\" WHERE 1 = 0");
        if D::fetch_all(&mut tx, (&probe, Vec::new())).await.is_err() {
            return Err(LegacyReadError::MissingTable(table));
        }
        for &column in columns {
            // Qualified: SQLite takes an unknown unqualified "name" for a string literal.
            let probe = format!("SELECT \"{table}\".\"{column}\" FROM \"{table}\" WHERE 1 = 0");
            if D::fetch_all(&mut tx, (&probe, Vec::new())).await.is_err() {
                return Err(LegacyReadError::MissingColumn { table, column });
            }
        }
    }
    let mut snapshot = LegacySnapshot::default();
    for &(table, columns) in TABLES {
        let list: Vec<String> =
            columns.iter().map(|c| format!("CAST(\"{table}\".\"{c}\" AS TEXT) AS \"{c}\"")).collect();
        let sql = format!("SELECT {} FROM \"{table}\" ORDER BY \"id\"", list.join(", "));
        for row in D::fetch_all(&mut tx, (&sql, Vec::new())).await? {
            let r = Cells::<D> { row: &row, table, id: 0 };
            let r = Cells { id: r.int("id")?.unwrap_or_default(), ..r };
            read_row(&mut snapshot, table, &r)?;
        }
    }
    D::commit(tx).await?;
    Ok(snapshot)
}

/// Adds one row of `table` to the snapshot.
fn read_row<D: Dialect>(s: &mut LegacySnapshot, table: &str, r: &Cells<'_, D>) -> Result<(), LegacyReadError> {
    let id = r.id;
    match table {
        "user" => s.users.push(LegacyUser {
            id,
            username: r.text("username")?.unwrap_or_default(),
            password_hash: r.text("password_hash")?.unwrap_or_default(),
            is_manager: r.flag("is_manager")?,
            is_admin: r.flag("is_admin")?,
        }),
        "asset_library" => s.libraries.push(LegacyLibrary {
            id,
            name: r.text("name")?.unwrap_or_default(),
            description: r.text("description")?,
            category: r.text("category")?,
            is_default: r.flag("is_default")?,
        }),
        "asset" => s.assets.push(LegacyAsset {
            id,
            library_id: r.int("library_id")?.unwrap_or_default(),
            name: r.text("name")?.unwrap_or_default(),
            kind: r.text("type")?.unwrap_or_default(),
            category: r.text("category")?,
            description: r.text("description")?,
            default_quantity: r.int("default_quantity")?,
            is_unique: r.flag("is_unique")?,
            show_in_public: r.flag("show_in_public")?,
        }),
        "campaign" => s.campaigns.push(LegacyCampaign {
            id,
            name: r.text("name")?.unwrap_or_default(),
            description: r.text("description")?,
            start_date: r.date("start_date")?,
            end_date: r.date("end_date")?,
            is_active: r.flag("is_active")?,
            is_closed: r.flag("is_closed")?,
            map_edit_url: r.text("map_edit_url")?,
            map_view_url: r.text("map_view_url")?,
            created_at: r.time("created_at")?,
        }),
        "campaign_library_import" => s.library_imports.push(LegacyLibraryImport {
            id,
            campaign_id: r.int("campaign_id")?.unwrap_or_default(),
            library_id: r.int("library_id")?.unwrap_or_default(),
            imported_at: r.time("imported_at")?,
            last_synced_at: r.time("last_synced_at")?,
        }),
        "campaign_asset" => s.campaign_assets.push(LegacyCampaignAsset {
            id,
            campaign_id: r.int("campaign_id")?.unwrap_or_default(),
            asset_id: r.int("asset_id")?.unwrap_or_default(),
            initial_quantity: r.int("initial_quantity")?,
            current_quantity: r.int("current_quantity")?,
        }),
        "mission" => s.missions.push(LegacyMission {
            id,
            campaign_id: r.int("campaign_id")?.unwrap_or_default(),
            name: r.text("name")?.unwrap_or_default(),
            description: r.text("description")?,
            mission_date: r.date("mission_date")?,
            location: r.text("location")?,
            status: r.text("status")?,
            order_index: r.int("order_index")?,
            map_edit_url: r.text("map_edit_url")?,
            map_view_url: r.text("map_view_url")?,
        }),
        "event" => s.events.push(LegacyEvent {
            id,
            mission_id: r.int("mission_id")?.unwrap_or_default(),
            event_type: r.text("event_type")?,
            title: r.text("title")?.unwrap_or_default(),
            description: r.text("description")?,
            event_date: r.time("event_date")?,
            location: r.text("location")?,
            notes: r.text("notes")?,
        }),
        "asset_change" => s.changes.push(LegacyChange {
            id,
            event_id: r.int("event_id")?.unwrap_or_default(),
            asset_id: r.int("asset_id")?.unwrap_or_default(),
            quantity_change: r.int("quantity_change")?,
            notes: r.text("notes")?,
        }),
        _ => s.logs.push(LegacyLog { id, action: r.text("action")? }),
    }
    Ok(())
}

/// One row's cells, read as text and decoded.
struct Cells<'r, D: Dialect> {
    row: &'r D::Row,
    table: &'static str,
    id: i64,
}

impl<D: Dialect> Cells<'_, D> {
    fn text(&self, column: &'static str) -> Result<Option<String>, LegacyReadError> {
        Ok(D::text(self.row, column)?)
    }

    fn decoded<T>(
        &self,
        column: &'static str,
        expected: &'static str,
        decode: fn(&str) -> Option<T>,
    ) -> Result<Option<T>, LegacyReadError> {
        let Some(raw) = self.text(column)? else { return Ok(None) };
        decode(raw.trim()).map(Some).ok_or_else(|| LegacyReadError::BadValue {
            table: self.table,
            column,
            id: self.id,
            value: raw,
            expected,
        })
    }

    fn int(&self, column: &'static str) -> Result<Option<i64>, LegacyReadError> {
        self.decoded(column, "a whole number", |raw| raw.parse().ok())
    }

    fn flag(&self, column: &'static str) -> Result<Option<bool>, LegacyReadError> {
        self.decoded(column, "a boolean", parse_flag)
    }

    fn date(&self, column: &'static str) -> Result<Option<Date>, LegacyReadError> {
        self.decoded(column, "a date (YYYY-MM-DD)", parse_date)
    }

    fn time(&self, column: &'static str) -> Result<Option<UtcDateTime>, LegacyReadError> {
        self.decoded(column, "a timestamp (YYYY-MM-DD HH:MM:SS)", parse_time)
    }
}

/// `true`/`false` (PostgreSQL), `1`/`0` (SQLite), and the other spellings either
/// database's drivers wrote.
fn parse_flag(raw: &str) -> Option<bool> {
    match raw.to_ascii_lowercase().as_str() {
        "1" | "t" | "true" | "y" | "yes" => Some(true),
        "0" | "f" | "false" | "n" | "no" => Some(false),
        _ => None,
    }
}

fn parse_date(raw: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.get(..10)?, &format).ok()
}

/// A naive timestamp, read as UTC: `YYYY-MM-DD HH:MM:SS` (or `T`), an optional
/// fraction, and an optional zero offset (`+00`, `+00:00`, `Z`) when the column was
/// declared with a time zone.
fn parse_time(raw: &str) -> Option<UtcDateTime> {
    let raw =
        raw.strip_suffix('Z').or_else(|| raw.strip_suffix("+00:00")).or_else(|| raw.strip_suffix("+00")).unwrap_or(raw);
    let raw = raw.replacen('T', " ", 1);
    let (whole, fraction) = raw.split_once('.').unwrap_or((&raw, ""));
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let at = PrimitiveDateTime::parse(whole, &format).ok()?;
    if !fraction.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 9 {
        return None;
    }
    let nanos: u32 = if fraction.is_empty() { 0 } else { format!("{fraction:0<9}").parse().ok()? };
    Some(at.replace_nanosecond(nanos).ok()?.as_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, utc_datetime};

    #[test]
    fn both_databases_spellings_of_booleans_dates_and_naive_timestamps_are_read() {
        assert_eq!(parse_flag("true"), Some(true));
        assert_eq!(parse_flag("0"), Some(false));
        assert_eq!(parse_flag("maybe"), None);
        assert_eq!(parse_date("2024-03-01"), Some(date!(2024 - 03 - 01)));
        assert_eq!(parse_date("2024-3-1"), None);
        assert_eq!(parse_time("2024-03-01 09:30:00"), Some(utc_datetime!(2024-03-01 9:30)));
        assert_eq!(parse_time("2024-03-01 09:30:00.250000"), Some(utc_datetime!(2024-03-01 9:30:00.25)));
        assert_eq!(parse_time("2024-03-01T09:30:00+00"), Some(utc_datetime!(2024-03-01 9:30)));
        assert_eq!(parse_time("yesterday"), None);
    }
}
