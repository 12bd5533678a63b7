//! Raw event and change input, and its parsing into domain values.
//!
//! Invariant: a parsed change names an entry of the event's campaign's pool, with a
//! non-zero delta; every problem is reported, none is silently dropped.

use crate::error::{FieldPath, UseCaseError, UseCaseResult, ValidationErrors};
use crate::input::parse_datetime_utc;
use crate::ports::NewChange;
use domain::{
    Delta, Description, EventDetails, EventKind, EventTitle, Location, Notes, PoolEntry, PoolEntryId, ShortText,
};

/// The editable fields of an event, as typed (shared by create and update).
#[derive(Debug, Clone, Default)]
pub struct EventFields {
    /// `Combat`, `Logistics`, `Training` or `Other`, in any case.
    pub kind: String,
    /// A short title, required.
    pub title: String,
    /// What happened, at length; may be empty.
    pub description: String,
    /// When it happened: RFC 3339 with an offset, or `YYYY-MM-DDTHH:MM` taken as UTC.
    pub occurred_at: String,
    /// Where it happened; may be empty.
    pub location: String,
    /// Staff notes, never shown to the public; may be empty.
    pub notes: String,
}

/// One asset change, as typed into a form row or sent by an API client.
#[derive(Debug, Clone, Default)]
pub struct ChangeInput {
    /// The id of the pool entry it moves (a form's select value, or a number).
    pub pool_entry_id: String,
    /// The signed change: `-2` for a loss, `+1` or `1` for a gain; never zero.
    pub delta: String,
    /// Why; may be empty.
    pub note: String,
}

impl ChangeInput {
    /// The key of `pool_entry_id` in error paths (and the forms' input name).
    pub const ENTRY: &'static str = "change_entry";
    /// The key of `delta` in error paths (and the forms' input name).
    pub const DELTA: &'static str = "change_delta";
    /// The key of `note` in error paths (and the forms' input name).
    pub const NOTE: &'static str = "change_note";

    fn is_blank(&self) -> bool {
        [&self.pool_entry_id, &self.delta, &self.note].iter().all(|s| s.trim().is_empty())
    }

    /// The entry id the row names, when it is a number at all (whether it is in the
    /// pool is checked against the pool).
    pub(crate) fn entry_id(&self) -> Option<PoolEntryId> {
        self.pool_entry_id.trim().parse().ok().map(PoolEntryId::new)
    }
}

/// Parses the event fields, recording each problem against its field.
pub(super) fn event_details(errors: &mut ValidationErrors, raw: &EventFields) -> Option<EventDetails> {
    let kind = errors.check("kind", EventKind::parse(&raw.kind));
    let title = errors.check("title", EventTitle::parse(&raw.title));
    let description = errors.check("description", Description::parse(&raw.description));
    let occurred_at = errors.check("occurred_at", parse_datetime_utc(&raw.occurred_at));
    let location = errors.check("location", Location::parse(&raw.location));
    let notes = errors.check("notes", Notes::parse(&raw.notes));
    Some(EventDetails {
        kind: kind?,
        title: title?,
        description: description?,
        occurred_at: occurred_at?,
        location: location?,
        notes: notes?,
    })
}

/// Parses one change on its own, recording problems against the fields
/// [`ChangeInput::ENTRY`], [`ChangeInput::DELTA`] and [`ChangeInput::NOTE`].
pub(super) fn single_change(errors: &mut ValidationErrors, raw: &ChangeInput, pool: &[PoolEntry]) -> Option<NewChange> {
    change(raw, pool, &mut |field, message| errors.add(field, message))
}

/// Parses the rows of an event form, skipping blank rows. Problems are recorded at
/// the same fields as [`single_change`]'s, with the row (counted from 1, blank rows
/// included) in their path.
pub(super) fn change_rows(
    errors: &mut ValidationErrors,
    rows: &[ChangeInput],
    pool: &[PoolEntry],
) -> Option<Vec<NewChange>> {
    let mut parsed = Some(Vec::with_capacity(rows.len()));
    for (index, raw) in rows.iter().enumerate().filter(|(_, raw)| !raw.is_blank()) {
        let row = index + 1;
        let change = change(raw, pool, &mut |field, message| {
            errors.add_at(FieldPath::row(field, row), message);
        });
        match (change, parsed.as_mut()) {
            (Some(change), Some(list)) => list.push(change),
            _ => parsed = None,
        }
    }
    parsed
}

/// The value of a parse whose problems were all recorded in `errors`: `Invalid` when
/// there was any.
pub(crate) fn complete<T>(errors: ValidationErrors, parsed: Option<T>) -> UseCaseResult<T> {
    errors.into_result()?;
    // Every `None` comes with a recorded error, so this is only a safety net.
    parsed.ok_or_else(|| UseCaseError::Invalid(ValidationErrors::single("input", "is incomplete")))
}

fn change(raw: &ChangeInput, pool: &[PoolEntry], report: &mut dyn FnMut(&'static str, String)) -> Option<NewChange> {
    let entry = pool_entry(raw.pool_entry_id.trim(), pool).map_err(|m| report(ChangeInput::ENTRY, m.to_owned())).ok();
    let delta = Delta::parse(&raw.delta).map_err(|e| report(ChangeInput::DELTA, e.to_string())).ok();
    let note = ShortText::parse(&raw.note).map_err(|e| report(ChangeInput::NOTE, e.to_string())).ok();
    Some(NewChange { pool_entry_id: entry?.id(), delta: delta?, note: note? })
}

fn pool_entry<'a>(raw: &str, pool: &'a [PoolEntry]) -> Result<&'a PoolEntry, &'static str> {
    if raw.is_empty() {
        return Err("must be chosen");
    }
    let id: i64 = raw.parse().map_err(|_| "is not in this campaign's pool")?;
    pool.iter().find(|e| e.id().get() == id).ok_or("is not in this campaign's pool")
}
