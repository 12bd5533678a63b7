//! The navigation by role: the public links for everyone, Manage for staff (with the
//! pool and missions of the campaign a page is about), Admin for admins.

use application::StaffMember;
use domain::{CampaignId, Role};
use serde::Serialize;

/// A navigation group (`Public`, `Manage`, `Admin`) and its links.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavGroup {
    pub(crate) label: &'static str,
    pub(crate) links: Vec<NavLink>,
}

/// One navigation link; `current` marks the section being viewed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavLink {
    pub(crate) label: &'static str,
    pub(crate) href: String,
    pub(crate) current: bool,
}

/// The navigation for `viewer` on `path`: the public links for everyone, Manage for
/// staff, Admin for admins.
pub(crate) fn nav(viewer: Option<&StaffMember>, path: &str, campaign: Option<CampaignId>) -> Vec<NavGroup> {
    let link = |label, href: String| {
        let current = if matches!(href.as_str(), "/" | "/manage" | "/admin") {
            path == href
        } else {
            path == href || path.starts_with(&format!("{href}/"))
        };
        NavLink { label, href, current }
    };
    let mut groups = vec![NavGroup {
        label: "Public",
        links: vec![
            link("Dashboard", "/".into()),
            link("Timeline", "/timeline".into()),
            link("Campaigns", "/campaigns".into()),
        ],
    }];
    let Some(staff) = viewer else { return groups };
    let mut manage = vec![link("Dashboard", "/manage".into())];
    if let Some(id) = campaign {
        manage.push(link("Pool", format!("/manage/campaigns/{id}/pool")));
        manage.push(link("Missions", format!("/manage/campaigns/{id}/missions")));
    }
    manage.push(link("Libraries", "/manage/libraries".into()));
    manage.push(link("Reports", "/manage/reports".into()));
    groups.push(NavGroup { label: "Manage", links: manage });
    if staff.role == Role::Admin {
        let admin = vec![
            link("Campaigns", "/admin".into()),
            link("Users", "/admin/users".into()),
            link("Audit log", "/admin/audit".into()),
        ];
        groups.push(NavGroup { label: "Admin", links: admin });
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{UserId, Username};

    fn staff(role: Role) -> StaffMember {
        StaffMember { id: UserId::new(1), username: Username::parse("someone").unwrap(), role, token: None }
    }

    fn labels(groups: &[NavGroup]) -> Vec<&str> {
        groups.iter().map(|g| g.label).collect()
    }

    #[test]
    fn the_navigation_grows_with_the_role() {
        assert_eq!(labels(&nav(None, "/", None)), ["Public"]);
        assert_eq!(labels(&nav(Some(&staff(Role::Manager)), "/", None)), ["Public", "Manage"]);
        assert_eq!(labels(&nav(Some(&staff(Role::Admin)), "/", None)), ["Public", "Manage", "Admin"]);
    }

    #[test]
    fn the_current_section_is_marked_and_campaign_pages_link_their_pool() {
        let groups = nav(Some(&staff(Role::Manager)), "/manage/libraries/3", Some(CampaignId::new(9)));
        let current: Vec<&str> = groups.iter().flat_map(|g| &g.links).filter(|l| l.current).map(|l| l.label).collect();
        assert_eq!(current, ["Libraries"]);
        assert!(groups[1].links.iter().any(|l| l.href == "/manage/campaigns/9/pool"));
    }
}
