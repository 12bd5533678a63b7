//! Fixtures for the template smoke test: views for the layout's own templates, and the
//! layout as the public, a manager and an admin see it.

use super::error_page::ErrorView;
use super::flash::Flash;
use super::layout::{Crumb, Layout};
use super::nav::nav;
use super::viewer::ViewerView;
use application::StaffMember;
use domain::{CampaignId, Role, UserId, Username};
use serde_json::{Value, json};

/// Fixture views for `base.html`, `components.html` and `error.html`.
pub(crate) fn template_fixtures() -> Vec<(&'static str, Value)> {
    let error = ErrorView {
        status: 404,
        heading: "Not Found".into(),
        message: "This page does not exist.".into(),
        request_id: "3f2a9c01-d4e5-4b6a-8c7d-000000000000".into(),
    };
    vec![
        ("base.html", json!({})),
        ("components.html", json!({})),
        ("error.html", serde_json::to_value(error).unwrap_or_default()),
    ]
}

/// The layout as `role` sees it (`None`: the public), with a flash of each kind and a
/// breadcrumb trail, so that every part of `base.html` renders.
pub(crate) fn layout(role: Option<Role>) -> Layout {
    let staff = role.map(|role| StaffMember {
        id: UserId::new(1),
        username: Username::parse("someone").unwrap(),
        role,
        token: None,
    });
    let viewer = staff.as_ref().map(|s| ViewerView {
        username: s.username.to_string(),
        role: s.role.as_str(),
        is_admin: s.role == Role::Admin,
    });
    Layout {
        title: "Fixture page".into(),
        viewer,
        nav: nav(staff.as_ref(), "/manage/campaigns/1/pool", Some(CampaignId::new(1))),
        flashes: vec![Flash::success("Saved."), Flash::error("Refused."), Flash::info("Note.")],
        csrf_token: "0123456789abcdef".into(),
        breadcrumbs: vec![
            Crumb { label: "Manage".into(), href: Some("/manage".into()) },
            Crumb { label: "Fixture page".into(), href: None },
        ],
        current_path: "/manage/campaigns/1/pool".into(),
    }
}
