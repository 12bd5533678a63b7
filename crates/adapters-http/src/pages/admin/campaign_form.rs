//! The campaign form shared by create and edit: its fields as typed (read from the raw
//! urlencoded body, since `library_ids` repeats), and the command it becomes.

use crate::web::HttpError;
use application::campaigns::CampaignInput;
use domain::{Campaign, LibraryId};
use serde::Serialize;

/// The campaign form as typed. Field names are fixed (WEB.md): name, description,
/// start_date, end_date, map_edit_url, map_view_url, library_ids (repeated), make_active.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct CampaignForm {
    pub(super) name: String,
    pub(super) description: String,
    pub(super) start_date: String,
    pub(super) end_date: String,
    pub(super) map_edit_url: String,
    pub(super) map_view_url: String,
    /// Create only: the libraries ticked.
    pub(super) library_ids: Vec<i64>,
    /// Create only.
    pub(super) make_active: bool,
    /// Create only.
    pub(super) idempotency_key: String,
}

impl CampaignForm {
    /// The form from the submitted `(name, value)` pairs; unknown names are ignored, a
    /// missing field is blank (so the use case names it).
    /// # Errors
    /// 400 when a `library_ids` value is not a number (only a forged form sends one).
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Result<Self, HttpError> {
        let mut form = Self::default();
        for (name, value) in pairs {
            match name.as_str() {
                "name" => form.name = value,
                "description" => form.description = value,
                "start_date" => form.start_date = value,
                "end_date" => form.end_date = value,
                "map_edit_url" => form.map_edit_url = value,
                "map_view_url" => form.map_view_url = value,
                "library_ids" => form.library_ids.push(
                    value.trim().parse().map_err(|_| HttpError::bad_request("A library choice is not a number."))?,
                ),
                "make_active" => form.make_active = true,
                "idempotency_key" => form.idempotency_key = value,
                _ => {}
            }
        }
        Ok(form)
    }

    /// The form filled with a campaign's editable fields.
    pub(super) fn of(campaign: &Campaign) -> Self {
        let details = campaign.details();
        let link = |url: &Option<domain::MapUrl>| url.as_ref().map(|u| u.as_str().to_owned()).unwrap_or_default();
        Self {
            name: details.name.to_string(),
            description: details.description.to_string(),
            start_date: details.dates.start().to_string(),
            end_date: details.dates.end().map(|d| d.to_string()).unwrap_or_default(),
            map_edit_url: link(&details.map_edit_url),
            map_view_url: link(&details.map_view_url),
            ..Self::default()
        }
    }

    /// The use case's command.
    pub(super) fn to_input(&self) -> CampaignInput {
        CampaignInput {
            name: self.name.clone(),
            description: self.description.clone(),
            start_date: self.start_date.clone(),
            end_date: self.end_date.clone(),
            map_edit_url: self.map_edit_url.clone(),
            map_view_url: self.map_view_url.clone(),
            library_ids: self.library_ids.iter().copied().map(LibraryId::new).collect(),
            make_active: self.make_active,
            idempotency_key: Some(self.idempotency_key.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(raw: &[(&str, &str)]) -> Vec<(String, String)> {
        raw.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn repeated_library_ids_are_all_kept_and_a_ticked_box_is_true() {
        let form = CampaignForm::from_pairs(pairs(&[
            ("name", "Op"),
            ("library_ids", "3"),
            ("library_ids", "7"),
            ("make_active", "true"),
        ]))
        .unwrap();
        assert_eq!(form.name, "Op");
        assert_eq!(form.library_ids, vec![3, 7]);
        assert!(form.make_active);
        assert_eq!(form.to_input().library_ids, vec![LibraryId::new(3), LibraryId::new(7)]);
    }

    #[test]
    fn a_library_id_that_is_not_a_number_is_a_bad_request() {
        assert!(CampaignForm::from_pairs(pairs(&[("library_ids", "all")])).is_err());
        assert!(!CampaignForm::from_pairs(pairs(&[])).unwrap().make_active);
    }
}
