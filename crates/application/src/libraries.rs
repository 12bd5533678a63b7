//! Asset-library use cases: listing, creating, editing and deleting libraries, their
//! assets, and copying assets between libraries. Any logged-in staff member may use
//! them; libraries belong to no campaign.
//!
//! Invariants kept here (the store enforces them again as a backstop):
//! - Library names are unique, and asset names are unique within their library. The
//!   use cases compare names case-insensitively, so "NATO" and "nato" cannot both
//!   exist; the store's backstop compares exactly, which only matters for writers
//!   racing past the pre-check.
//! - A library or asset that a campaign's pool holds cannot be deleted. Editing an
//!   asset never changes a pool: pool entries keep what they copied at import.
//! - A request that changes nothing (an edit that keeps every field, a copy that adds
//!   no asset) writes nothing and leaves no audit entry.

mod assets;
mod copy;
pub mod csv;

pub use assets::{AssetInput, AssetView};
pub use copy::{CopyAssets, CopyOutcome};

use crate::actor::Actor;
use crate::error::{Conflict, UseCaseError, UseCaseResult, ValidationErrors};
use crate::ports::{Clock, LibraryCampaign, LibrarySummary, NewLibrary, PasswordHasher, Store};
use crate::tracker::{Tracker, idempotency_key};
use domain::{
    Asset, AssetLibrary, AuditAction, Category, Description, IdempotencyKey, LibraryId, LibraryName, ObjectKind,
    ObjectRef,
};

/// The fields of a library as typed into a form; used to create and to edit one.
#[derive(Debug, Clone, Default)]
pub struct LibraryInput {
    /// Name, 1 to 200 characters, unique among libraries (compared case-insensitively).
    pub name: String,
    /// Free description; may be empty.
    pub description: String,
    /// Era or theme such as "Modern"; may be empty.
    pub category: String,
    /// Whether the library is pre-selected when a campaign is created.
    pub is_default: bool,
    /// Optional key that makes a repeated create return the first library's id.
    /// Ignored when editing.
    pub idempotency_key: Option<String>,
}

/// A library with its assets, by kind then name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryView {
    /// The library, its asset count and whether a campaign uses it.
    pub summary: LibrarySummary,
    /// Its assets.
    pub assets: Vec<Asset>,
    /// The campaigns whose pool holds its assets, newest first, with when it came in,
    /// when it was last synced and how many of its assets each pool lacks.
    pub campaigns: Vec<LibraryCampaign>,
}

/// A parsed `LibraryInput`.
struct ParsedLibrary {
    fields: NewLibrary,
    key: Option<IdempotencyKey>,
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Every library, by name, with its asset count and whether a campaign uses it.
    /// # Errors
    /// `Forbidden` for the public.
    pub async fn list_libraries(&self, actor: &Actor) -> UseCaseResult<Vec<LibrarySummary>> {
        actor.staff()?;
        Ok(self.store.libraries().await?)
    }

    /// One library with its assets.
    /// # Errors
    /// `Forbidden` for the public; `NotFound("library")`.
    pub async fn library(&self, actor: &Actor, id: LibraryId) -> UseCaseResult<LibraryView> {
        actor.staff()?;
        let page = self.store.library_page(id).await?.ok_or(UseCaseError::NotFound("library"))?;
        Ok(LibraryView { summary: page.summary, assets: page.assets, campaigns: page.campaigns })
    }

    /// Creates a library. With an idempotency key already used for this request by
    /// this actor, returns the id created the first time and changes nothing.
    /// # Errors
    /// `Forbidden` for the public; `Invalid` (`name`, `description`, `category`,
    /// `idempotency_key`); `Conflict::DuplicateLibraryName`;
    /// `Conflict::IdempotencyKeyReused`.
    pub async fn create_library(&self, actor: &Actor, input: LibraryInput) -> UseCaseResult<LibraryId> {
        let staff = actor.staff()?;
        let ParsedLibrary { fields, key } = parse_library(&input)?;
        let libraries = self.store.libraries().await?;
        if let Some(taken) = libraries.iter().map(|s| &s.library).find(|l| same_name(&l.name, &fields.name)) {
            // A retried create finds its own library under exactly the same name: let
            // the store replay it by its key (or refuse it with the same conflict).
            if key.is_none() || taken.name != fields.name {
                return Err(Conflict::DuplicateLibraryName.into());
            }
        }
        let details = format!("created library {}", fields.name);
        let audit =
            self.audit(staff, AuditAction::LibraryCreated, None, ObjectRef::created(ObjectKind::Library), details);
        Ok(self.store.insert_library(&fields, &[], &audit, key.as_ref()).await?)
    }

    /// Edits a library's fields. Saving unchanged fields writes nothing.
    /// # Errors
    /// `Forbidden` for the public; `Invalid` (`name`, `description`, `category`);
    /// `NotFound("library")`; `Conflict::DuplicateLibraryName`.
    pub async fn update_library(&self, actor: &Actor, id: LibraryId, input: LibraryInput) -> UseCaseResult<()> {
        let staff = actor.staff()?;
        // Keys only make creates idempotent; an edit is idempotent by itself.
        let input = LibraryInput { idempotency_key: None, ..input };
        let ParsedLibrary { fields, .. } = parse_library(&input)?;
        let old = self.library_or_404(id).await?.library;
        let libraries = self.store.libraries().await?;
        if libraries.iter().any(|s| s.library.id != id && same_name(&s.library.name, &fields.name)) {
            return Err(Conflict::DuplicateLibraryName.into());
        }
        let changes = library_changes(&old, &fields);
        if changes.is_empty() {
            return Ok(());
        }
        let details = format!("{}: {}", old.name, changes.join(", "));
        let updated = AssetLibrary {
            id,
            name: fields.name,
            description: fields.description,
            category: fields.category,
            is_default: fields.is_default,
        };
        let audit = self.audit(staff, AuditAction::LibraryUpdated, None, library_ref(id), details);
        Ok(self.store.update_library(&updated, &audit).await?)
    }

    /// Deletes a library and its assets, when no campaign's pool holds any of them.
    /// # Errors
    /// `Forbidden` for the public; `NotFound("library")`; `Conflict::InUse`.
    pub async fn delete_library(&self, actor: &Actor, id: LibraryId) -> UseCaseResult<()> {
        let staff = actor.staff()?;
        let summary = self.library_or_404(id).await?;
        if summary.in_use {
            return Err(Conflict::InUse("the library").into());
        }
        let details = format!("deleted library {} with {}", summary.library.name, assets_count(summary.asset_count));
        let audit = self.audit(staff, AuditAction::LibraryDeleted, None, library_ref(id), details);
        Ok(self.store.delete_library(id, &audit).await?)
    }

    /// The library, or `NotFound("library")`.
    async fn library_or_404(&self, id: LibraryId) -> UseCaseResult<LibrarySummary> {
        self.store.library(id).await?.ok_or(UseCaseError::NotFound("library"))
    }
}

/// Parses every field of a library form, collecting each problem.
fn parse_library(input: &LibraryInput) -> UseCaseResult<ParsedLibrary> {
    let mut errors = ValidationErrors::new();
    let name = errors.check("name", LibraryName::parse(&input.name));
    let description = errors.check("description", Description::parse(&input.description));
    let category = errors.check("category", Category::parse(&input.category));
    let key = idempotency_key(&mut errors, input.idempotency_key.as_deref());
    match (name, description, category) {
        (Some(name), Some(description), Some(category)) if errors.is_empty() => {
            Ok(ParsedLibrary { fields: NewLibrary { name, description, category, is_default: input.is_default }, key })
        }
        _ => Err(UseCaseError::Invalid(errors)),
    }
}

/// What an edit changes, in short phrases for the audit entry.
fn library_changes(old: &AssetLibrary, new: &NewLibrary) -> Vec<String> {
    let mut changes = Vec::new();
    if old.name != new.name {
        changes.push(format!("renamed to {}", new.name));
    }
    if old.description != new.description {
        changes.push("description edited".to_owned());
    }
    if old.category != new.category {
        changes.push(format!("category {} -> {}", shown(old.category.as_str()), shown(new.category.as_str())));
    }
    if old.is_default != new.is_default {
        changes.push(if new.is_default { "now a default library" } else { "no longer a default library" }.to_owned());
    }
    changes
}

/// Whether two names are the same to a reader: equal when compared case-insensitively.
pub(crate) fn same_name(a: impl AsRef<str>, b: impl AsRef<str>) -> bool {
    let (a, b) = (a.as_ref(), b.as_ref());
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// A free-text value for an audit entry, with "(none)" for an empty one.
fn shown(value: &str) -> &str {
    if value.is_empty() { "(none)" } else { value }
}

/// "1 asset", "3 assets".
fn assets_count(n: u64) -> String {
    if n == 1 { "1 asset".to_owned() } else { format!("{n} assets") }
}

/// The audit reference to an existing library.
fn library_ref(id: LibraryId) -> ObjectRef {
    ObjectRef::existing(ObjectKind::Library, id.get())
}

#[cfg(test)]
mod tests;
