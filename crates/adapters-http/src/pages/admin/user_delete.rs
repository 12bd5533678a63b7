//! `GET+POST /admin/users/{id}/delete`: the confirmation page, then the deletion
//! (refused for yourself and for the last enabled admin, with an error flash).

use super::refusal;
use crate::AppState;
use crate::web::{Flash, HttpError, Page, StaffOnly, Ui, iso, redirect_back};
use application::App;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use domain::UserId;
use serde::Serialize;

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/admin/users/{id}/delete", get(confirm::<A>).post(delete::<A>))
}

/// The confirmation page's view.
#[derive(Debug, Serialize)]
struct DeleteUserView {
    id: i64,
    username: String,
    role: &'static str,
    created_at: String,
    is_self: bool,
}

/// `GET /admin/users/{id}/delete`.
async fn confirm<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let user = state.tracker.user(&staff.actor, UserId::new(id)).await?;
    let view = DeleteUserView {
        id: user.id().get(),
        username: user.username().to_string(),
        role: user.role().as_str(),
        created_at: iso(user.created_at()),
        is_self: user.id() == staff.staff.id,
    };
    let page = Page::new("admin/user_delete.html", format!("Delete {}", user.username()), &view);
    ui.render(page.crumb("Admin", "/admin").crumb("Users", "/admin/users")).await
}

/// `POST /admin/users/{id}/delete`.
async fn delete<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let outcome = state.tracker.delete_user(&staff.actor, UserId::new(id)).await;
    redirect_back(&ui, "/admin/users", outcome.map(|()| Flash::success("The user was deleted.")), refusal).await
}

/// Fixture views for this module's template.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let view = |is_self| DeleteUserView {
        id: 2,
        username: "manager".into(),
        role: "manager",
        created_at: "2026-01-01T12:00:00Z".into(),
        is_self,
    };
    vec![
        ("admin/user_delete.html", serde_json::to_value(view(false)).unwrap_or_default()),
        ("admin/user_delete.html", serde_json::to_value(view(true)).unwrap_or_default()),
    ]
}
