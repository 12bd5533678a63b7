//! The new-event form's body, with its change rows as repeated fields (`change_entry`,
//! `change_delta`, `change_note`, in row order), and its errors placed on their rows.
//!
//! Invariant: rows keep their submitted order and count, so the use case's row
//! errors, whose paths name rows counted from 1 as submitted, land on the row the
//! user typed.

use super::views::EventFieldsForm;
use crate::web::{FormErrors, HttpError, form_errors};
use application::UseCaseError;
use application::events::{ChangeInput, EventInput};
use serde::Serialize;

/// The fewest change rows the form offers.
pub(super) const MIN_ROWS: usize = 5;
/// The most change rows a `?rows=` request gets.
pub(super) const MAX_ROWS: usize = 50;

/// One change row as typed.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct RowForm {
    pub(super) entry: String,
    pub(super) delta: String,
    pub(super) note: String,
}

/// The event form as submitted.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct EventForm {
    pub(super) fields: EventFieldsForm,
    pub(super) rows: Vec<RowForm>,
    pub(super) idempotency_key: String,
}

impl EventForm {
    /// Reads an urlencoded body; axum's `Form` cannot collect repeated keys.
    pub(super) fn parse(body: &[u8]) -> Result<Self, HttpError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(body).map_err(|_| HttpError::bad_request("The form could not be read."))?;
        let mut form = Self::default();
        let (mut entries, mut deltas, mut notes) = (Vec::new(), Vec::new(), Vec::new());
        for (key, value) in pairs {
            let f = &mut form.fields;
            match key.as_str() {
                "kind" => f.kind = value,
                "title" => f.title = value,
                "description" => f.description = value,
                "occurred_at" => f.occurred_at = value,
                "location" => f.location = value,
                "notes" => f.notes = value,
                "idempotency_key" => form.idempotency_key = value,
                "change_entry" => entries.push(value),
                "change_delta" => deltas.push(value),
                "change_note" => notes.push(value),
                _ => {}
            }
        }
        let count = entries.len().max(deltas.len()).max(notes.len());
        let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        form.rows = (0..count)
            .map(|i| RowForm { entry: at(&entries, i), delta: at(&deltas, i), note: at(&notes, i) })
            .collect();
        Ok(form)
    }

    /// The use case's command (blank rows are skipped by the use case).
    pub(super) fn command(&self) -> EventInput {
        EventInput {
            fields: self.fields.command(),
            changes: self
                .rows
                .iter()
                .map(|r| ChangeInput { pool_entry_id: r.entry.clone(), delta: r.delta.clone(), note: r.note.clone() })
                .collect(),
            idempotency_key: Some(self.idempotency_key.clone()).filter(|k| !k.is_empty()),
        }
    }
}

/// A problem with one change row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RowError {
    /// The row, counted from 1.
    pub(super) row: usize,
    /// The field the message is about: [`ChangeInput::ENTRY`], `DELTA` or `NOTE`.
    pub(super) field: &'static str,
    /// The message as shown, after the field's label ("Quantity change must not be zero").
    pub(super) message: String,
}

/// Why the form is shown again: field and form messages, and the rows' own.
#[derive(Debug, Default)]
pub(super) struct Rejection {
    pub(super) errors: FormErrors,
    pub(super) rows: Vec<RowError>,
}

impl Rejection {
    /// Splits the use case's failure by each error's path; not found, forbidden and
    /// unexpected stay errors.
    pub(super) fn of(error: UseCaseError) -> Result<Self, HttpError> {
        let UseCaseError::Invalid(invalid) = error else {
            return Ok(Self { errors: form_errors(error)?, ..Self::default() });
        };
        let rows = invalid
            .fields()
            .iter()
            .filter_map(|e| {
                let row = e.path.row?;
                let message = format!("{} {}", label(e.path.field), e.message);
                Some(RowError { row, field: e.path.field, message })
            })
            .collect();
        Ok(Self { errors: FormErrors::from(&invalid), rows })
    }
}

/// How the form labels a row's field.
fn label(field: &str) -> &'static str {
    match field {
        ChangeInput::ENTRY => "Asset",
        ChangeInput::DELTA => "Quantity change",
        ChangeInput::NOTE => "Note",
        _ => "Change",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use application::{FieldPath, ValidationErrors};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn any_body_is_read_or_refused_never_a_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
            if let Ok(form) = EventForm::parse(&body) {
                let command = form.command();
                prop_assert_eq!(command.changes.len(), form.rows.len());
            }
        }

        #[test]
        fn submitted_rows_come_back_in_order_with_their_values(
            rows in proptest::collection::vec((any::<String>(), any::<String>(), any::<String>()), 0..12),
        ) {
            let mut pairs = vec![("title".to_owned(), "Ambush".to_owned())];
            for (entry, delta, note) in &rows {
                pairs.push(("change_entry".into(), entry.clone()));
                pairs.push(("change_delta".into(), delta.clone()));
                pairs.push(("change_note".into(), note.clone()));
            }
            let body = serde_urlencoded::to_string(&pairs).expect("encodes");
            let form = EventForm::parse(body.as_bytes()).expect("a well-formed body reads");
            let read: Vec<(String, String, String)> =
                form.rows.into_iter().map(|r| (r.entry, r.delta, r.note)).collect();
            prop_assert_eq!(read, rows);
        }
    }

    #[test]
    fn repeated_fields_become_rows_in_submitted_order() {
        let body =
            b"title=Ambush&change_entry=4&change_delta=-2&change_note=lost&change_entry=&change_delta=&change_note=\
                     &change_entry=7&change_delta=%2B1&change_note=&idempotency_key=k1";
        let form = EventForm::parse(body).unwrap();
        assert_eq!(form.fields.title, "Ambush");
        assert_eq!(form.idempotency_key, "k1");
        let rows: Vec<(&str, &str)> = form.rows.iter().map(|r| (r.entry.as_str(), r.delta.as_str())).collect();
        assert_eq!(rows, [("4", "-2"), ("", ""), ("7", "+1")]);
        assert_eq!(form.command().changes.len(), 3);
    }

    #[test]
    fn row_errors_land_on_their_row_and_field() {
        let mut invalid = ValidationErrors::new();
        invalid.add_at(FieldPath::row(ChangeInput::DELTA, 3), "must not be zero");
        invalid.add_at(FieldPath::row(ChangeInput::ENTRY, 4), "must be chosen");
        invalid.add("title", "must not be empty");
        let rejection = Rejection::of(UseCaseError::Invalid(invalid)).unwrap();
        assert_eq!(
            rejection.rows[0],
            RowError { row: 3, field: ChangeInput::DELTA, message: "Quantity change must not be zero".into() }
        );
        assert_eq!(
            rejection.rows[1],
            RowError { row: 4, field: ChangeInput::ENTRY, message: "Asset must be chosen".into() }
        );
        assert_eq!(rejection.errors.fields.len(), 1, "{:?}", rejection.errors);
        assert_eq!(rejection.errors.fields["title"], "must not be empty");
    }

    #[test]
    fn an_empty_body_is_a_form_with_no_rows_and_no_key() {
        let form = EventForm::parse(b"").unwrap();
        assert!(form.rows.is_empty());
        assert_eq!(form.command().idempotency_key, None);
    }
}
