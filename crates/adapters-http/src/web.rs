//! The toolkit every page handler uses: rendering (`Ui`, `Page`), errors (`HttpError`
//! and the error pages), flash messages, form helpers, the `Viewer`/`StaffOnly`
//! extractors, sessions and login, CSRF, templates and static files.
//!
//! A page handler extracts `StaffOnly` (or `Viewer`) and `Ui`, turns its form into a
//! command, calls one use case, and answers with `Ui::render` (a `Page`, or its
//! `invalid()` 422 re-render with `FormErrors`) or `Ui::see_other` with a `Flash`;
//! buttons outside forms go through `redirect_back`. See docs/ARCHITECTURE.md.

mod assets;
pub(crate) mod auth;
mod buttons;
pub(crate) mod charts;
pub(crate) mod csrf;
mod error;
mod error_page;
mod flash;
mod forms;
mod layout;
mod nav;
mod viewer;
mod views;

pub(crate) use assets::serve_static;
pub(crate) use auth::with_sessions;
pub(crate) use buttons::{labelled_refusal, redirect_back};
pub(crate) use error::{HttpError, capitalized};
pub(crate) use error_page::error_pages;
pub(crate) use flash::Flash;
pub(crate) use forms::{FormErrors, form_errors, hex, idempotency_key, local_path, random_hex, see_other};
pub(crate) use layout::{Page, Ui};
pub(crate) use viewer::StaffOnly;
pub use views::ViewsError;
#[cfg(test)]
pub(crate) use views::template_names;
pub(crate) use views::{Views, iso, signed, trend};

#[cfg(test)]
pub(crate) mod fixtures;
