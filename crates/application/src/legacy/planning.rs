//! The pure planning step: from a snapshot of the old database to an [`ImportPlan`]
//! built through our domain constructors, and the [`LegacyReport`] of every place
//! where the old data had to be adapted. No I/O.
//!
//! Invariant: every row either becomes part of the plan (possibly adapted) or is
//! reported; nothing is silently dropped or changed. Quantities come from our ledger
//! rule (`PoolEntry::check`), never from the old stored `current_quantity`.

use super::findings::{FindingKind, LegacyReport};
use super::plan::{AssetRef, ImportPlan, PlannedLibrary, PlannedUser};
use super::snapshot::{LegacyAsset, LegacySnapshot};
use domain::text::TextError;
use domain::{
    AssetKind, AssetName, AssetSpec, Category, Description, LibraryName, MapUrl, PasswordHash, Quantity, Role, Username,
};
use std::collections::{HashMap, HashSet};
use time::UtcDateTime;

mod campaigns;
mod ledger;

/// Plans the import of `old` at time `at`: what to write, and what was found wrong.
pub fn plan_import(old: &LegacySnapshot, at: UtcDateTime) -> (ImportPlan, LegacyReport) {
    let mut p = Planner { old, at, report: LegacyReport::default() };
    let users = p.users();
    let (libraries, assets) = p.libraries();
    let campaigns = p.campaigns(&libraries, &assets);
    if !old.logs.is_empty() {
        let actions: HashSet<&str> = old.logs.iter().filter_map(|l| l.action.as_deref()).collect();
        p.report.add(
            FindingKind::LogNotImported,
            "table log",
            format!(
                "{} rows, {} distinct actions, no times (created_at was never written)",
                old.logs.len(),
                actions.len()
            ),
            "not imported: their free-text actions map to none of our audit actions and they carry no time; \
             the import's own audit entry records where the data came from",
        );
    }
    (ImportPlan { users, libraries, campaigns, at }, p.report)
}

/// The planning's working state.
pub(super) struct Planner<'a> {
    pub(super) old: &'a LegacySnapshot,
    pub(super) at: UtcDateTime,
    pub(super) report: LegacyReport,
}

/// A short, quoted preview of a text for the report.
pub(super) fn preview(text: &str) -> String {
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() { format!("{short:?}…") } else { format!("{short:?}") }
}

/// `name` cut to `max` characters.
fn cut(name: &str, max: usize) -> String {
    name.chars().take(max).collect::<String>().trim_end().to_owned()
}

impl Planner<'_> {
    /// `raw` as a `T`, adapted when it breaks our rules (control characters become
    /// spaces, then the text is cut to `max` characters, then `fallback` is used) and
    /// reported as `subject`'s `field`.
    pub(super) fn fit<T: AsRef<str>>(
        &mut self,
        subject: &str,
        field: &str,
        raw: &str,
        max: usize,
        parse: impl Fn(&str) -> Result<T, TextError>,
        fallback: &str,
    ) -> T {
        if let Ok(value) = parse(raw) {
            return value;
        }
        let keep_lines: String =
            raw.chars().map(|c| if c.is_control() && !matches!(c, '\n' | '\r' | '\t') { ' ' } else { c }).collect();
        let one_line: String = raw.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let candidates = [keep_lines, one_line.clone(), cut(one_line.trim(), max), fallback.to_owned()];
        for candidate in candidates {
            if let Ok(value) = parse(&candidate) {
                let found = match parse(raw) {
                    Err(TextError::Empty) => format!("{field} empty"),
                    Err(e) => format!("{field} {} ({e})", preview(raw)),
                    Ok(_) => format!("{field} {}", preview(raw)),
                };
                self.report.add(
                    FindingKind::ValueAdapted,
                    subject,
                    found,
                    format!("stored {}", preview(value.as_ref())),
                );
                return value;
            }
        }
        // Every caller's fallback is a valid value of its type (a kind and an id, or
        // nothing for optional text), so this is never reached.
        parse(fallback).unwrap_or_else(|_| unreachable!("invalid fallback {fallback:?} for {field}"))
    }

    /// An optional map link; a bad one is dropped and reported.
    pub(super) fn map_url(&mut self, subject: &str, field: &str, raw: Option<&str>) -> Option<MapUrl> {
        let raw = raw?;
        match MapUrl::parse_optional(raw) {
            Ok(url) => url,
            Err(e) => {
                let found = format!("{field} {} ({e})", preview(raw));
                self.report.add(FindingKind::ValueAdapted, subject, found, "link dropped");
                None
            }
        }
    }

    /// A count as a quantity within `0..=cap`, reported when it is not.
    pub(super) fn quantity(&mut self, subject: &str, field: &str, raw: Option<i64>, cap: u32) -> Quantity {
        let value = raw.unwrap_or(0).clamp(0, i64::from(cap));
        if raw.is_some_and(|r| r != value) {
            let found = format!("{field} {}", raw.unwrap_or_default());
            self.report.add(FindingKind::ValueAdapted, subject, found, format!("stored {value}"));
        }
        Quantity::from_i64(value).unwrap_or(Quantity::ZERO)
    }

    /// `name`, or `name (2)`, `name (3)`… cut to `max`: the first not in `taken` (by
    /// `key`), which it joins. A rename is reported.
    pub(super) fn unique_name(
        &mut self,
        subject: &str,
        taken: &mut HashSet<String>,
        name: &str,
        max: usize,
        key: impl Fn(&str) -> String,
    ) -> String {
        if taken.insert(key(name)) {
            return name.to_owned();
        }
        let renamed = (2..)
            .map(|n| {
                let suffix = format!(" ({n})");
                format!("{}{suffix}", cut(name, max.saturating_sub(suffix.chars().count())))
            })
            .find(|candidate| !taken.contains(&key(candidate)))
            .unwrap_or_default();
        taken.insert(key(&renamed));
        let found = format!("name {} already taken", preview(name));
        self.report.add(FindingKind::Renamed, subject, found, format!("renamed {}", preview(&renamed)));
        renamed
    }

    /// Staff accounts: admins and managers, by old id.
    fn users(&mut self) -> Vec<PlannedUser> {
        let mut rows: Vec<_> = self.old.users.iter().collect();
        rows.sort_by_key(|u| u.id);
        let mut taken = HashSet::new();
        let mut users = Vec::new();
        for u in rows {
            let subject = format!("user {} {}", u.id, preview(&u.username));
            let role = match (u.is_admin, u.is_manager) {
                (Some(true), _) => Role::Admin,
                (_, Some(true)) => Role::Manager,
                _ => {
                    let done = "not imported: only staff have accounts here (the public needs none)";
                    self.report.add(
                        FindingKind::UserSkipped,
                        subject,
                        "plain account, neither admin nor manager",
                        done,
                    );
                    continue;
                }
            };
            let username = match Username::parse(&u.username) {
                Ok(name) => name,
                Err(e) => {
                    let done = "not imported: create the account again with a valid name";
                    self.report.add(FindingKind::UserSkipped, subject, format!("username {e}"), done);
                    continue;
                }
            };
            if !taken.insert(username.normalized()) {
                let done = "not imported: usernames are unique in any case here";
                self.report.add(FindingKind::UserSkipped, subject, "same username as an earlier account", done);
                continue;
            }
            users.push(PlannedUser { username, role, password_hash: PasswordHash::new(u.password_hash.clone()) });
        }
        users
    }

    /// Libraries and their assets by old id, and where each old asset went.
    fn libraries(&mut self) -> (Vec<PlannedLibrary>, HashMap<i64, AssetRef>) {
        let mut rows: Vec<_> = self.old.libraries.iter().collect();
        rows.sort_by_key(|l| l.id);
        let mut by_library: HashMap<i64, Vec<&LegacyAsset>> = HashMap::new();
        for a in &self.old.assets {
            by_library.entry(a.library_id).or_default().push(a);
        }
        let mut names = HashSet::new();
        let mut libraries = Vec::new();
        let mut refs = HashMap::new();
        for l in rows {
            let subject = format!("library {} {}", l.id, preview(&l.name));
            let fallback = format!("Library {}", l.id);
            let name = self.fit(&subject, "name", &l.name, LibraryName::MAX_CHARS, LibraryName::parse, &fallback);
            let name = self.unique_name(&subject, &mut names, name.as_str(), LibraryName::MAX_CHARS, str::to_owned);
            let name = LibraryName::parse(&name).unwrap_or_else(|_| unreachable!("a fitted name stays valid"));
            let description = l.description.as_deref().unwrap_or_default();
            let description =
                self.fit(&subject, "description", description, Description::MAX_CHARS, Description::parse, "");
            let category = l.category.as_deref().unwrap_or_default();
            let category = self.fit(&subject, "category", category, Category::MAX_CHARS, Category::parse, "");
            let mut assets = by_library.remove(&l.id).unwrap_or_default();
            assets.sort_by_key(|a| a.id);
            let library = libraries.len();
            let mut asset_names = HashSet::new();
            let mut specs = Vec::new();
            for a in assets {
                refs.insert(a.id, AssetRef { library, asset: specs.len() });
                specs.push(self.asset(&mut asset_names, a));
            }
            libraries.push(PlannedLibrary {
                name,
                description,
                category,
                is_default: l.is_default.unwrap_or(false),
                assets: specs,
            });
        }
        let mut orphans: Vec<_> = by_library.into_values().flatten().collect();
        orphans.sort_by_key(|a| a.id);
        for a in orphans {
            let subject = format!("asset {} {}", a.id, preview(&a.name));
            let found = format!("library {} does not exist", a.library_id);
            self.report.add(FindingKind::RowSkipped, subject, found, "not imported");
        }
        (libraries, refs)
    }

    /// One library asset, its name unique among `taken`.
    fn asset(&mut self, taken: &mut HashSet<String>, a: &LegacyAsset) -> AssetSpec {
        let subject = format!("asset {} {}", a.id, preview(&a.name));
        let fallback = format!("Asset {}", a.id);
        let name = self.fit(&subject, "name", &a.name, AssetName::MAX_CHARS, AssetName::parse, &fallback);
        let name = self.unique_name(&subject, taken, name.as_str(), AssetName::MAX_CHARS, str::to_owned);
        let name = AssetName::parse(&name).unwrap_or_else(|_| unreachable!("a fitted name stays valid"));
        let kind = AssetKind::parse_legacy(&a.kind).unwrap_or_else(|_| {
            self.report.add(FindingKind::UnknownKind, &subject, format!("type {}", preview(&a.kind)), "kind Other");
            AssetKind::Other
        });
        let category = a.category.as_deref().unwrap_or_default();
        let category = self.fit(&subject, "category", category, Category::MAX_CHARS, Category::parse, "");
        let description = a.description.as_deref().unwrap_or_default();
        let description =
            self.fit(&subject, "description", description, Description::MAX_CHARS, Description::parse, "");
        let unique = a.is_unique.unwrap_or(false);
        let cap = if unique { 1 } else { Quantity::MAX };
        let default = self.quantity(&subject, "default_quantity", a.default_quantity, cap);
        let public = a.show_in_public.unwrap_or(true);
        AssetSpec::new(name, kind, category, description, default, unique, public)
            .unwrap_or_else(|_| unreachable!("a unique asset's default was capped at 1"))
    }
}
