//! How quantities went over a campaign, event by event: the total of each asset kind,
//! and one asset's quantity, as step series (what the report's charts draw). Worked out
//! from the report alone, so an archived report charts the same way.
//!
//! Invariant: each series starts at the initial quantities, steps at every event that
//! changes it, in the order the events happened, and ends at the quantity the report
//! holds now, because the ledger keeps current = initial + every change.

use super::{CampaignReport, ReportChange, ReportEvent};
use crate::library::AssetKind;
use std::collections::HashMap;
use time::{Time, UtcDateTime};

/// From `at` on, the quantity was `quantity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// When the quantity became this.
    pub at: UtcDateTime,
    /// The quantity from then on.
    pub quantity: u64,
}

/// The total quantity of one asset kind over the campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindSeries {
    /// The kind.
    pub kind: AssetKind,
    /// Its total at the start, after each event that changed it, and at the end.
    pub steps: Vec<Step>,
}

impl CampaignReport {
    /// The total of each asset kind the pool holds, in the kinds' order, over time.
    pub fn kind_series(&self) -> Vec<KindSeries> {
        let timeline = Timeline::of(self);
        AssetKind::ALL
            .iter()
            .filter_map(|&kind| {
                let members: Vec<bool> = self.entries.iter().map(|e| e.kind == kind).collect();
                members.contains(&true).then(|| KindSeries { kind, steps: timeline.steps(self, &members) })
            })
            .collect()
    }

    /// The quantity of the report's entry at `index` (in [`CampaignReport::entries`]) over
    /// time; `None` when there is no such entry.
    pub fn asset_series(&self, index: usize) -> Option<Vec<Step>> {
        (index < self.entries.len()).then(|| {
            let members: Vec<bool> = (0..self.entries.len()).map(|i| i == index).collect();
            Timeline::of(self).steps(self, &members)
        })
    }
}

/// A report's events in the order they happened (ties in campaign order), each as its
/// time and the entries (indices into the report's entries) its changes moved, resolved
/// once for every series drawn from it; and the span the series cover.
struct Timeline {
    /// From the campaign's first day (or its first event, if earlier).
    start: UtcDateTime,
    /// To when the report was made (or its last event, if later).
    end: UtcDateTime,
    moves: Vec<(UtcDateTime, Vec<(usize, i64)>)>,
}

impl Timeline {
    fn of(report: &CampaignReport) -> Self {
        let index = ChangeIndex::of(report);
        let mut events: Vec<&ReportEvent> = report.missions.iter().flat_map(|m| &m.events).collect();
        events.sort_by_key(|e| e.occurred_at);
        let first_day = UtcDateTime::new(report.start, Time::MIDNIGHT);
        let start = events.first().map_or(first_day, |e| e.occurred_at.min(first_day));
        let end = events.last().map_or(report.generated_at, |e| e.occurred_at.max(report.generated_at));
        let moves = events
            .iter()
            .map(|e| (e.occurred_at, e.changes.iter().filter_map(|c| Some((index.entry_of(c)?, c.delta))).collect()))
            .collect();
        Self { start, end: end.max(start), moves }
    }

    /// The series of the summed quantities of the entries marked in `members`.
    fn steps(&self, report: &CampaignReport, members: &[bool]) -> Vec<Step> {
        let mut quantity: i64 =
            report.entries.iter().zip(members).filter(|(_, m)| **m).map(|(e, _)| i64::from(e.initial)).sum();
        let mut steps = vec![Step { at: self.start, quantity: clamp(quantity) }];
        for (at, moved) in &self.moves {
            let delta: i64 = moved.iter().filter(|(i, _)| members[*i]).map(|(_, d)| d).sum();
            if delta != 0 {
                quantity += delta;
                steps.push(Step { at: *at, quantity: clamp(quantity) });
            }
        }
        steps.push(Step { at: self.end, quantity: clamp(quantity) });
        steps
    }
}

/// Which entry a change moved: by its id, or by its asset's name in a report archived
/// without ids. A change to an entry the report leaves out (a hidden one, on a public
/// report) moves none.
struct ChangeIndex {
    by_id: HashMap<i64, usize>,
    by_name: HashMap<String, usize>,
}

impl ChangeIndex {
    fn of(report: &CampaignReport) -> Self {
        let mut by_id = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, e) in report.entries.iter().enumerate() {
            if let Some(id) = e.entry_id {
                by_id.insert(id.get(), i);
            }
            by_name.entry(e.asset_name.clone()).or_insert(i);
        }
        Self { by_id, by_name }
    }

    fn entry_of(&self, change: &ReportChange) -> Option<usize> {
        match change.entry_id {
            Some(id) => self.by_id.get(&id.get()).copied(),
            None => self.by_name.get(&change.asset_name).copied(),
        }
    }
}

/// A running quantity as shown: the ledger never lets one go below zero.
fn clamp(quantity: i64) -> u64 {
    u64::try_from(quantity).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EventKind;
    use crate::ids::PoolEntryId;
    use crate::mission::MissionStatus;
    use crate::report::fixtures;
    use crate::report::{ReportEntry, ReportMission};
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    fn entry(id: i64, name: &str, kind: AssetKind, initial: u32, current: u32) -> ReportEntry {
        ReportEntry {
            entry_id: Some(PoolEntryId::new(id)),
            library: String::new(),
            asset_name: name.into(),
            kind,
            category: String::new(),
            initial,
            current,
            gained: 0,
            lost: 0,
            public: true,
            unique: false,
        }
    }

    fn event(at: UtcDateTime, changes: &[(i64, i64)]) -> ReportEvent {
        ReportEvent {
            title: "Event".into(),
            kind: EventKind::Combat,
            occurred_at: at,
            location: String::new(),
            changes: changes
                .iter()
                .map(|&(id, delta)| ReportChange {
                    entry_id: Some(PoolEntryId::new(id)),
                    asset_name: String::new(),
                    delta,
                    note: String::new(),
                })
                .collect(),
        }
    }

    fn report(entries: Vec<ReportEntry>, missions: Vec<Vec<ReportEvent>>) -> CampaignReport {
        let missions = missions
            .into_iter()
            .map(|events| ReportMission { name: "M".into(), status: MissionStatus::Completed, date: None, events })
            .collect();
        fixtures::report(entries, missions)
    }

    fn at(day: u8) -> UtcDateTime {
        UtcDateTime::new(date!(2026 - 01 - 01).replace_day(day).expect("a day"), Time::MIDNIGHT)
    }

    fn quantities(steps: &[Step]) -> Vec<(u8, u64)> {
        steps.iter().map(|s| (s.at.day(), s.quantity)).collect()
    }

    #[test]
    fn a_kind_steps_at_each_event_that_changes_it_in_the_order_they_happened() {
        let r = report(
            vec![
                entry(1, "Slammer", AssetKind::Vehicle, 4, 3),
                entry(2, "Hunter", AssetKind::Vehicle, 2, 4),
                entry(3, "Ghost Hawk", AssetKind::Aircraft, 1, 1),
            ],
            // The second mission's event happened first.
            vec![vec![event(at(5), &[(1, -3), (2, 2)]), event(at(6), &[(3, 0)])], vec![event(at(3), &[(1, 2)])]],
        );
        let series = r.kind_series();
        assert_eq!(series.iter().map(|s| s.kind).collect::<Vec<_>>(), [AssetKind::Vehicle, AssetKind::Aircraft]);
        assert_eq!(quantities(&series[0].steps), [(1, 6), (3, 8), (5, 7), (10, 7)]);
        assert_eq!(quantities(&series[1].steps), [(1, 1), (10, 1)], "an event that nets to nothing is no step");
    }

    #[test]
    fn one_assets_series_follows_only_its_changes_and_a_missing_entry_has_none() {
        let r = report(
            vec![entry(1, "Slammer", AssetKind::Vehicle, 4, 1), entry(2, "Hunter", AssetKind::Vehicle, 2, 3)],
            vec![vec![event(at(2), &[(1, -1), (2, 1)]), event(at(4), &[(1, -2)])]],
        );
        assert_eq!(quantities(&r.asset_series(0).expect("Slammer")), [(1, 4), (2, 3), (4, 1), (10, 1)]);
        assert_eq!(quantities(&r.asset_series(1).expect("Hunter")), [(1, 2), (2, 3), (10, 3)]);
        assert_eq!(r.asset_series(2), None);
    }

    #[test]
    fn changes_in_an_archive_without_ids_are_matched_by_name_and_unknown_ones_ignored() {
        let mut r = report(vec![entry(1, "Slammer", AssetKind::Vehicle, 4, 2)], vec![]);
        r.entries[0].entry_id = None;
        let mut by_name = event(at(2), &[]);
        by_name.changes = vec![
            ReportChange { entry_id: None, asset_name: "Slammer".into(), delta: -2, note: String::new() },
            ReportChange { entry_id: None, asset_name: "Hidden".into(), delta: -5, note: String::new() },
        ];
        r.missions.push(ReportMission {
            name: "M".into(),
            status: MissionStatus::Completed,
            date: None,
            events: vec![by_name],
        });
        assert_eq!(quantities(&r.asset_series(0).expect("Slammer")), [(1, 4), (2, 2), (10, 2)]);
    }

    #[test]
    fn an_event_before_the_first_day_or_after_the_report_widens_the_span() {
        let early = datetime!(2025-12-30 08:00 UTC).to_utc();
        let late = datetime!(2026-01-12 08:00 UTC).to_utc();
        let r = report(
            vec![entry(1, "Slammer", AssetKind::Vehicle, 4, 2)],
            vec![vec![event(early, &[(1, -1)]), event(late, &[(1, -1)])]],
        );
        let steps = r.asset_series(0).expect("Slammer");
        assert_eq!(steps.first().map(|s| s.at), Some(early));
        assert_eq!(steps.last().map(|s| s.at), Some(late));
        assert!(steps.windows(2).all(|w| w[0].at <= w[1].at), "in time order");
    }

    proptest! {
        #[test]
        fn every_kind_ends_at_its_current_total_and_never_goes_back_in_time(
            deltas in proptest::collection::vec((0usize..4, -3i64..4, 1u8..28), 0..30)
        ) {
            let kinds = [AssetKind::Vehicle, AssetKind::Vehicle, AssetKind::Weapon, AssetKind::Supply];
            let mut current = [20i64; 4];
            let mut events = Vec::new();
            for &(i, delta, day) in &deltas {
                if current[i] + delta < 0 {
                    continue; // the ledger refuses it
                }
                current[i] += delta;
                events.push(event(at(day), &[(i as i64 + 1, delta)]));
            }
            let entries = (0..4)
                .map(|i| entry(i as i64 + 1, &format!("A{i}"), kinds[i], 20, u32::try_from(current[i]).unwrap_or(0)))
                .collect();
            let r = report(entries, vec![events]);
            for series in r.kind_series() {
                let total: u64 = r.entries.iter().filter(|e| e.kind == series.kind).map(|e| u64::from(e.current)).sum();
                prop_assert_eq!(series.steps.last().map(|s| s.quantity), Some(total));
                prop_assert!(series.steps.windows(2).all(|w| w[0].at <= w[1].at));
            }
        }
    }
}
