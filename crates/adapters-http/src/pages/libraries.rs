//! The staff pages of asset libraries: the list and one library with its assets
//! (`list`), the library form (`form`), the asset form and asset deletion (`assets`),
//! copying assets between libraries (`copy`), and CSV export and import (`csv`). Any staff member may use them; the
//! use cases decide every rule (unique names, deleting only what no pool holds).

mod assets;
mod copy;
mod csv;
mod form;
mod list;

use crate::AppState;
use application::App;
use axum::Router;
use domain::LibraryId;
use serde::Serialize;

/// The routes of this module.
pub(crate) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new()
        .merge(list::routes())
        .merge(form::routes())
        .merge(assets::routes())
        .merge(copy::routes())
        .merge(csv::routes())
}

/// The page of one library, where its forms lead back to.
fn library_path(id: LibraryId) -> String {
    format!("/manage/libraries/{id}")
}

/// "3 assets copied (1 skipped: names already present).": what a copy or an import added
/// (`verb`) to a library, and how many it skipped.
fn added_message(verb: &str, added: u64, skipped: u64) -> String {
    let assets = if added == 1 { "1 asset".to_owned() } else { format!("{added} assets") };
    match skipped {
        0 => format!("{assets} {verb}."),
        skipped => format!("{assets} {verb} ({skipped} skipped: names already present)."),
    }
}

/// One `<option>` of a select field.
#[derive(Debug, Clone, Serialize)]
struct SelectOption {
    value: String,
    label: String,
}

/// A checkbox's submitted value as the form's `Option<String>`, from a stored flag.
fn checked(flag: bool) -> Option<String> {
    flag.then(|| "true".to_owned())
}

/// A fixture view for each template of this module, rendered by the template smoke test.
#[cfg(test)]
pub(crate) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    [
        list::template_fixtures(),
        form::template_fixtures(),
        assets::template_fixtures(),
        copy::template_fixtures(),
        csv::template_fixtures(),
    ]
    .concat()
}
