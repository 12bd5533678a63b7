//! The raw campaign form shared by create and edit, and its parse into domain
//! `CampaignDetails`, recording every field's problem under the field's name.

use crate::error::ValidationErrors;
use crate::input::{parse_date, parse_optional_date};
use domain::{CampaignDates, CampaignDetails, CampaignName, Description, LibraryId, MapUrl};

/// A campaign as typed into the create or edit form, unparsed.
///
/// Field names in validation errors: `name`, `description`, `start_date`,
/// `end_date` (also when it is before the start date), `map_edit_url`,
/// `map_view_url`, `library_ids` and `idempotency_key`.
#[derive(Debug, Clone, Default)]
pub struct CampaignInput {
    /// The name, 1 to 200 characters.
    pub name: String,
    /// What the campaign is about; may be blank.
    pub description: String,
    /// The first day, `YYYY-MM-DD`.
    pub start_date: String,
    /// The last day, `YYYY-MM-DD`; blank for none yet.
    pub end_date: String,
    /// The staff map link (http or https); blank for none.
    pub map_edit_url: String,
    /// The public map link (http or https); blank for none.
    pub map_view_url: String,
    /// Create only: the libraries whose assets make up the starting pool. Ignored on edit.
    pub library_ids: Vec<LibraryId>,
    /// Create only: make the new campaign the active one. Ignored on edit.
    pub make_active: bool,
    /// Create only: a client key so that a repeated request creates one campaign.
    pub idempotency_key: Option<String>,
}

impl CampaignInput {
    /// Parses the editable fields, recording each problem in `errors`. Returns `None`
    /// exactly when at least one problem was recorded.
    pub(super) fn parse_details(&self, errors: &mut ValidationErrors) -> Option<CampaignDetails> {
        let name = errors.check("name", CampaignName::parse(&self.name));
        let description = errors.check("description", Description::parse(&self.description));
        let start = errors.check("start_date", parse_date(&self.start_date));
        let end = errors.check("end_date", parse_optional_date(&self.end_date));
        let map_edit_url = errors.check("map_edit_url", MapUrl::parse_optional(&self.map_edit_url));
        let map_view_url = errors.check("map_view_url", MapUrl::parse_optional(&self.map_view_url));
        let dates = match (start, end) {
            (Some(start), Some(end)) => errors.check("end_date", CampaignDates::new(start, end)),
            _ => None,
        };
        Some(CampaignDetails {
            name: name?,
            description: description?,
            dates: dates?,
            map_edit_url: map_edit_url?,
            map_view_url: map_view_url?,
        })
    }
}

/// The names of the fields that differ, for the audit entry of an edit.
pub(super) fn changed_fields(old: &CampaignDetails, new: &CampaignDetails) -> Vec<&'static str> {
    [
        ("name", old.name != new.name),
        ("description", old.description != new.description),
        ("dates", old.dates != new.dates),
        ("map edit link", old.map_edit_url != new.map_edit_url),
        ("map view link", old.map_view_url != new.map_view_url),
    ]
    .into_iter()
    .filter_map(|(field, changed)| changed.then_some(field))
    .collect()
}
