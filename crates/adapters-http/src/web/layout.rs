//! Rendering a page: `Page` (a template, its title and its view), the layout context
//! every page gets (viewer, navigation by role, flash messages, CSRF token, breadcrumbs)
//! and `Ui`, the extractor handlers render and redirect with.
//!
//! Invariant: the layout's names are reserved; a view that uses one fails to render
//! instead of silently shadowing the layout.

use super::flash::{self, Flash};
use super::nav::{NavGroup, nav};
use super::viewer::{MissingLayer, Viewer, ViewerView};
use super::{HttpError, Views, csrf, see_other};
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use domain::CampaignId;
use serde::Serialize;
use std::sync::Arc;
use tower_sessions::Session;

/// The context names the layout sets; views must not use them.
pub(crate) const RESERVED: [&str; 7] =
    ["title", "viewer", "nav", "flashes", "csrf_token", "breadcrumbs", "current_path"];

/// One page to render: `Page::new("manage/pool.html", "Pool", &view)`.
#[derive(Debug)]
pub(crate) struct Page {
    template: &'static str,
    title: String,
    view: Result<tera::Context, String>,
    crumbs: Vec<Crumb>,
    status: StatusCode,
    form: bool,
    campaign: Option<CampaignId>,
}

impl Page {
    /// `template` with `view` (a `#[derive(Serialize)]` struct, serialized to a map).
    pub(crate) fn new(template: &'static str, title: impl Into<String>, view: &impl Serialize) -> Self {
        let view = tera::Context::from_serialize(view).map_err(|e| super::views::report(&e));
        let (status, crumbs, form, campaign) = (StatusCode::OK, Vec::new(), false, None);
        Self { template, title: title.into(), view, crumbs, status, form, campaign }
    }

    /// Adds a breadcrumb before this page (call in order, from the top); the page's
    /// own title closes the trail.
    #[must_use]
    pub(crate) fn crumb(mut self, label: impl Into<String>, href: impl Into<String>) -> Self {
        self.crumbs.push(Crumb { label: label.into(), href: Some(href.into()) });
        self
    }

    /// Answers with `status` (422 for a form re-rendered with its errors).
    #[must_use]
    pub(crate) fn status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// Answers 422: the form is shown again with its errors.
    #[must_use]
    pub(crate) fn invalid(self) -> Self {
        self.status(StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// The page holds a form an anonymous visitor may post (the login form): it gets a
    /// CSRF token even without a session. Staff pages always get one.
    #[must_use]
    pub(crate) fn with_form(mut self) -> Self {
        self.form = true;
        self
    }

    /// The page is about `campaign`: the navigation links its pool and missions.
    #[must_use]
    pub(crate) fn campaign(mut self, campaign: CampaignId) -> Self {
        self.campaign = Some(campaign);
        self
    }
}

/// One step of the breadcrumb trail; the current page has no link.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Crumb {
    pub(crate) label: String,
    pub(crate) href: Option<String>,
}

/// Everything the layout (`base.html`) needs, under the names in [`RESERVED`].
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Layout {
    pub(crate) title: String,
    pub(crate) viewer: Option<ViewerView>,
    pub(crate) nav: Vec<NavGroup>,
    pub(crate) flashes: Vec<Flash>,
    pub(crate) csrf_token: String,
    pub(crate) breadcrumbs: Vec<Crumb>,
    pub(crate) current_path: String,
}

impl Layout {
    /// The layout for the public, with no token and no flash (outer error pages).
    pub(crate) fn anonymous(path: &str) -> Self {
        Self {
            title: String::new(),
            viewer: None,
            nav: nav(None, path, None),
            flashes: Vec::new(),
            csrf_token: String::new(),
            breadcrumbs: Vec::new(),
            current_path: path.to_owned(),
        }
    }

    /// The layout of an error page for `viewer` (flashes stay for the next page).
    pub(crate) async fn for_error(session: &Session, viewer: &Viewer, path: &str) -> Result<Self, HttpError> {
        let csrf_token = match viewer.staff() {
            Some(_) => csrf::token(session).await?,
            None => csrf::existing(session).await?.unwrap_or_default(),
        };
        Ok(Self { viewer: viewer.view(), nav: nav(viewer.staff(), path, None), csrf_token, ..Self::anonymous(path) })
    }

    /// `view` with the layout's names added.
    pub(crate) fn context(&self, mut view: tera::Context) -> Result<tera::Context, String> {
        if let Some(name) = RESERVED.iter().find(|name| view.contains_key(name)) {
            return Err(format!("the view uses the layout's reserved name {name:?}"));
        }
        let layout = tera::Context::from_serialize(self).map_err(|e| super::views::report(&e))?;
        view.extend(layout);
        Ok(view)
    }
}

impl Views {
    /// Renders `template` with `view` inside `layout`.
    pub(crate) fn render(&self, template: &str, layout: &Layout, view: tera::Context) -> Result<String, HttpError> {
        let context = layout.context(view).map_err(|e| HttpError::unexpected(RenderError(template.to_owned(), e)))?;
        self.tera
            .render(template, &context)
            .map_err(|e| HttpError::unexpected(RenderError(template.to_owned(), super::views::report(&e))))
    }
}

/// A template failed to render (a bug the template smoke test should catch).
#[derive(Debug, thiserror::Error)]
#[error("rendering {0} failed: {1}")]
pub(crate) struct RenderError(String, String);

/// What a handler renders and redirects with: the session, the viewer and the templates.
#[derive(Debug, Clone)]
pub(crate) struct Ui {
    views: Arc<Views>,
    session: Session,
    viewer: Viewer,
    path: String,
}

impl<T: Send + Sync> FromRequestParts<T> for Ui {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &T) -> Result<Self, HttpError> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        let views = parts.extensions.get::<Arc<Views>>().cloned();
        let session = parts.extensions.get::<Session>().cloned();
        let (Some(views), Some(session)) = (views, session) else {
            return Err(HttpError::unexpected(MissingLayer("session")));
        };
        Ok(Self { views, session, viewer, path: parts.uri.path().to_owned() })
    }
}

impl Ui {
    /// The visitor.
    pub(crate) fn viewer(&self) -> &Viewer {
        &self.viewer
    }

    /// Renders `page` in the layout, showing (and removing) the queued flash messages.
    pub(crate) async fn render(&self, page: Page) -> Result<Response, HttpError> {
        let flashes = flash::take(&self.session).await?;
        let csrf_token = if self.viewer.staff().is_some() || page.form {
            csrf::token(&self.session).await?
        } else {
            csrf::existing(&self.session).await?.unwrap_or_default()
        };
        let mut breadcrumbs = page.crumbs;
        if !breadcrumbs.is_empty() {
            breadcrumbs.push(Crumb { label: page.title.clone(), href: None });
        }
        let layout = Layout {
            title: page.title,
            viewer: self.viewer.view(),
            nav: nav(self.viewer.staff(), &self.path, page.campaign),
            flashes,
            csrf_token,
            breadcrumbs,
            current_path: self.path.clone(),
        };
        let view = page.view.map_err(|e| HttpError::unexpected(RenderError(page.template.to_owned(), e)))?;
        let html = self.views.render(page.template, &layout, view)?;
        Ok((page.status, Html(html)).into_response())
    }

    /// Queues `flash` for the next page.
    pub(crate) async fn flash(&self, flash: Flash) -> Result<(), HttpError> {
        Ok(flash::push(&self.session, flash).await?)
    }

    /// `303 See Other` to `to`, with `flash` shown there.
    pub(crate) async fn see_other(&self, to: &str, flash: Flash) -> Result<Response, HttpError> {
        self.flash(flash).await?;
        Ok(see_other(to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_may_not_shadow_the_layout() {
        let mut view = tera::Context::new();
        view.insert("title", "mine");
        assert!(Layout::anonymous("/").context(view).is_err());
    }
}
