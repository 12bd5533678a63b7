//! The built-in ARMA 3 asset libraries: a catalogue of base-game and official-DLC assets
//! embedded in the binary (`data/arma3-base-game-assets.csv`, provenance in
//! `data/PROVENANCE.md`), and the system action that installs it, so that a new server has
//! real libraries to import.
//!
//! Invariants:
//! - Every row reaches the store only through the domain constructors; a unit test parses
//!   the whole embedded file, so a malformed row fails the tests, not a server start.
//! - Installing never touches a library that exists (compared by name,
//!   case-insensitively): an admin may have edited it or deleted its assets. A second
//!   install creates nothing.
//! - Each library is created with all its assets in one write carrying one audit entry,
//!   by the actor "system": a crash leaves either the whole library or none of it.

mod csv;

use crate::error::{Conflict, RepoError, UseCaseError, UseCaseResult};
use crate::ports::{Clock, NewLibrary, PasswordHasher, Store};
use crate::tracker::Tracker;
use domain::{
    AssetKind, AssetName, AssetSpec, AuditAction, Category, Description, LibraryName, ObjectKind, ObjectRef, Quantity,
};

/// The embedded catalogue.
const CATALOGUE: &str = include_str!("../data/arma3-base-game-assets.csv");

/// The catalogue's columns, in order.
const COLUMNS: [&str; 9] =
    ["library", "name", "kind", "category", "default_quantity", "unique", "public", "class_name", "source"];

/// The built-in library pre-selected when a campaign is created.
pub const DEFAULT_LIBRARY: &str = "NATO (Base game)";

/// The era every built-in library is filed under.
pub const LIBRARY_CATEGORY: &str = "Modern";

/// The description of every built-in library: where its data came from.
pub const LIBRARY_DESCRIPTION: &str = "Built in: ARMA 3 assets with their config class names, from a public \
    in-game config export (github.com/lukegotjellyfish/Arma-Class-Exporter); quantities are suggestions.";

/// A built-in library with its assets, in catalogue order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltinLibrary {
    /// The library as it is created.
    pub library: NewLibrary,
    /// Its assets; each description names the asset's config class.
    pub assets: Vec<AssetSpec>,
}

/// A line of the catalogue that the domain refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("built-in catalogue, line {line}, {field}: {message}")]
pub struct CatalogueError {
    /// The line (from 1).
    pub line: usize,
    /// The column, or "row" for the row as a whole.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

/// The embedded built-in libraries, parsed, in the order the catalogue first names them.
/// # Errors
/// `CatalogueError` naming the first line that does not parse (the tests rule this out).
pub fn builtin_libraries() -> Result<Vec<BuiltinLibrary>, CatalogueError> {
    parse_catalogue(CATALOGUE)
}

impl<S: Store, H: PasswordHasher, C: Clock> Tracker<S, H, C> {
    /// Whether the store holds any library, so that a first run installs the built-in
    /// ones only on an empty store (and never brings back one an admin deleted).
    /// # Errors
    /// `Unexpected` when the store fails.
    pub async fn has_libraries(&self) -> UseCaseResult<bool> {
        Ok(!self.store.libraries().await?.is_empty())
    }

    /// Creates each built-in library whose name no library has yet (compared
    /// case-insensitively), with its assets, as the system; returns how many libraries
    /// were created. Existing libraries are left untouched, so a second call creates
    /// nothing. Each library is one atomic write with its assets and one audit entry
    /// ("library.created", saying how many assets it came with), so a crash never leaves
    /// a built-in library without its assets.
    /// # Errors
    /// `Unexpected` when the store fails (or the embedded catalogue does not parse).
    pub async fn install_builtin_libraries(&self) -> UseCaseResult<u64> {
        let catalogue = builtin_libraries().map_err(|e| UseCaseError::Unexpected(Box::new(e)))?;
        let existing = self.store.libraries().await?;
        let mut created = 0;
        for builtin in catalogue {
            let name = &builtin.library.name;
            if existing.iter().any(|s| crate::libraries::same_name(&s.library.name, name)) {
                continue;
            }
            let object = ObjectRef::created(ObjectKind::Library);
            let details = format!("created built-in library {name} with {} assets", builtin.assets.len());
            let audit = self.system_audit(AuditAction::LibraryCreated, object, details);
            match self.store.insert_library(&builtin.library, &builtin.assets, &audit, None).await {
                Ok(_) => {}
                // Another server's first run created it since the read above.
                Err(RepoError::Conflict(Conflict::DuplicateLibraryName)) => continue,
                Err(e) => return Err(e.into()),
            }
            created += 1;
        }
        Ok(created)
    }
}

/// Parses a catalogue: the header, then one asset a row, grouped into libraries.
fn parse_catalogue(text: &str) -> Result<Vec<BuiltinLibrary>, CatalogueError> {
    let records =
        csv::records(text).map_err(|e| CatalogueError { line: e.line(), field: "row", message: e.to_string() })?;
    let mut records = records.into_iter();
    let header = records.next().ok_or(CatalogueError { line: 1, field: "row", message: "no header".to_owned() })?;
    if header.fields != COLUMNS {
        let message = format!("the header must be {}", COLUMNS.join(","));
        return Err(CatalogueError { line: header.line, field: "row", message });
    }
    let mut libraries: Vec<BuiltinLibrary> = Vec::new();
    for record in records {
        let (library, spec) = parse_row(record.line, &record.fields)?;
        let index = match libraries.iter().position(|l| crate::libraries::same_name(&l.library.name, &library)) {
            Some(index) => index,
            None => {
                libraries.push(new_library(library).map_err(|message| CatalogueError {
                    line: record.line,
                    field: "library",
                    message,
                })?);
                libraries.len() - 1
            }
        };
        let assets = &mut libraries[index].assets;
        if assets.iter().any(|a| crate::libraries::same_name(a.name(), spec.name())) {
            let message = format!("{} appears twice in {}", spec.name(), libraries[index].library.name);
            return Err(CatalogueError { line: record.line, field: "name", message });
        }
        assets.push(spec);
    }
    Ok(libraries)
}

/// One row: the library it belongs to and the asset.
fn parse_row(line: usize, fields: &[String]) -> Result<(LibraryName, AssetSpec), CatalogueError> {
    let error = |field: &'static str, message: String| CatalogueError { line, field, message };
    let [library, name, kind, category, quantity, unique, public, class_name, _source] = fields else {
        return Err(error("row", format!("expected {} fields, found {}", COLUMNS.len(), fields.len())));
    };
    let library = LibraryName::parse(library).map_err(|e| error("library", e.to_string()))?;
    let name = AssetName::parse(name).map_err(|e| error("name", e.to_string()))?;
    let kind = AssetKind::parse(kind).map_err(|e| error("kind", e.to_string()))?;
    let category = Category::parse(category).map_err(|e| error("category", e.to_string()))?;
    let quantity = Quantity::parse(quantity).map_err(|e| error("default_quantity", e.to_string()))?;
    let unique = parse_bool(unique).ok_or_else(|| error("unique", "must be true or false".to_owned()))?;
    let public = parse_bool(public).ok_or_else(|| error("public", "must be true or false".to_owned()))?;
    let is_identifier = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if class_name.is_empty() || !class_name.chars().all(is_identifier) {
        return Err(error("class_name", "must be a config class name (letters, digits, underscores)".to_owned()));
    }
    let description =
        Description::parse(&format!("Config class: {class_name}")).map_err(|e| error("class_name", e.to_string()))?;
    let spec = AssetSpec::new(name, kind, category, description, quantity, unique, public)
        .map_err(|e| error("default_quantity", e.to_string()))?;
    Ok((library, spec))
}

/// A built-in library's fields: only the NATO base-game library is a default.
fn new_library(name: LibraryName) -> Result<BuiltinLibrary, String> {
    let is_default = name.as_str() == DEFAULT_LIBRARY;
    let description = Description::parse(LIBRARY_DESCRIPTION).map_err(|e| format!("description: {e}"))?;
    let category = Category::parse(LIBRARY_CATEGORY).map_err(|e| format!("category: {e}"))?;
    Ok(BuiltinLibrary { library: NewLibrary { name, description, category, is_default }, assets: Vec::new() })
}

/// "true" or "false", in any case.
fn parse_bool(raw: &str) -> Option<bool> {
    match raw.trim() {
        s if s.eq_ignore_ascii_case("true") => Some(true),
        s if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
