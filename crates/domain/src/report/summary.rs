//! What a report sums up at a glance: the pool per asset kind, the missions per status,
//! the events per kind, the assets that moved most, and the losses of each mission.
//! Worked out from the report alone, so an archived report sums up the same way.

use super::{CampaignReport, ReportEntry};
use crate::event::EventKind;
use crate::library::AssetKind;
use crate::mission::MissionStatus;

/// How many assets the largest losses and gains list.
pub const LARGEST: usize = 10;

/// The entries of one asset kind, summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindTotals {
    /// The kind.
    pub kind: AssetKind,
    /// How many pool entries are of it.
    pub entries: usize,
    /// Their quantities at the start.
    pub initial: u64,
    /// Their quantities now (or at close).
    pub current: u64,
    /// Their recorded gains.
    pub gained: u64,
    /// Their recorded losses, as a positive number.
    pub lost: u64,
}

impl KindTotals {
    /// Current minus initial.
    pub fn net(&self) -> i64 {
        signed(self.current) - signed(self.initial)
    }
}

/// An asset and how much of it moved one way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetMove {
    /// The asset's name.
    pub asset_name: String,
    /// The sum moved, as a positive number.
    pub quantity: u64,
}

/// A mission and the sum of its losses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionLosses {
    /// The mission's name.
    pub mission: String,
    /// The sum of its events' losses, as a positive number.
    pub lost: u64,
}

/// Everything [`CampaignReport::summary`] works out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    /// Each asset kind the pool holds, in the kinds' order.
    pub by_kind: Vec<KindTotals>,
    /// How many missions have each status, every status listed.
    pub missions_by_status: Vec<(MissionStatus, usize)>,
    /// How many events are of each kind, every kind listed.
    pub events_by_kind: Vec<(EventKind, usize)>,
    /// The assets that lost most, largest first (ties by name), at most [`LARGEST`].
    pub largest_losses: Vec<AssetMove>,
    /// The assets that gained most, largest first (ties by name), at most [`LARGEST`].
    pub largest_gains: Vec<AssetMove>,
    /// Every mission in campaign order with the sum of its losses.
    pub losses_per_mission: Vec<MissionLosses>,
}

impl CampaignReport {
    /// The report summed up (see [`ReportSummary`]).
    pub fn summary(&self) -> ReportSummary {
        let by_kind = AssetKind::ALL
            .iter()
            .filter_map(|&kind| {
                let of_kind: Vec<&ReportEntry> = self.entries.iter().filter(|e| e.kind == kind).collect();
                (!of_kind.is_empty()).then(|| KindTotals {
                    kind,
                    entries: of_kind.len(),
                    initial: of_kind.iter().map(|e| u64::from(e.initial)).sum(),
                    current: of_kind.iter().map(|e| u64::from(e.current)).sum(),
                    gained: of_kind.iter().map(|e| e.gained).sum(),
                    lost: of_kind.iter().map(|e| e.lost).sum(),
                })
            })
            .collect();
        let missions_by_status = MissionStatus::ALL
            .iter()
            .map(|&status| (status, self.missions.iter().filter(|m| m.status == status).count()))
            .collect();
        let events = || self.missions.iter().flat_map(|m| &m.events);
        let events_by_kind =
            EventKind::ALL.iter().map(|&kind| (kind, events().filter(|e| e.kind == kind).count())).collect();
        let losses_per_mission = self
            .missions
            .iter()
            .map(|m| MissionLosses {
                mission: m.name.clone(),
                lost: m.events.iter().flat_map(|e| &e.changes).map(|c| loss(c.delta)).sum(),
            })
            .collect();
        ReportSummary {
            by_kind,
            missions_by_status,
            events_by_kind,
            largest_losses: largest(&self.entries, |e| e.lost),
            largest_gains: largest(&self.entries, |e| e.gained),
            losses_per_mission,
        }
    }
}

/// The entries with the largest non-zero `quantity`, largest first, ties by name.
fn largest(entries: &[ReportEntry], quantity: impl Fn(&ReportEntry) -> u64) -> Vec<AssetMove> {
    let mut moved: Vec<AssetMove> = entries
        .iter()
        .map(|e| AssetMove { asset_name: e.asset_name.clone(), quantity: quantity(e) })
        .filter(|m| m.quantity > 0)
        .collect();
    moved.sort_by(|a, b| b.quantity.cmp(&a.quantity).then_with(|| a.asset_name.cmp(&b.asset_name)));
    moved.truncate(LARGEST);
    moved
}

/// A change's loss, as a positive number (0 for a gain).
fn loss(delta: i64) -> u64 {
    if delta < 0 { delta.unsigned_abs() } else { 0 }
}

/// A sum of quantities as a signed number (sums of `u32`s over a pool always fit).
fn signed(quantity: u64) -> i64 {
    i64::try_from(quantity).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::report;
    use crate::report::{ReportChange, ReportEvent, ReportMission};
    use proptest::prelude::*;
    use time::macros::datetime;

    fn entry(name: &str, kind: AssetKind, initial: u32, current: u32, gained: u64, lost: u64) -> ReportEntry {
        ReportEntry {
            entry_id: None,
            library: String::new(),
            asset_name: name.into(),
            kind,
            category: String::new(),
            initial,
            current,
            gained,
            lost,
            public: true,
            unique: false,
        }
    }

    fn event(kind: EventKind, deltas: &[i64]) -> ReportEvent {
        ReportEvent {
            title: "Event".into(),
            kind,
            occurred_at: datetime!(2026-01-02 12:00 UTC).to_utc(),
            location: String::new(),
            changes: deltas
                .iter()
                .map(|&delta| ReportChange { entry_id: None, asset_name: "x".into(), delta, note: String::new() })
                .collect(),
        }
    }

    fn mission(name: &str, status: MissionStatus, events: Vec<ReportEvent>) -> ReportMission {
        ReportMission { name: name.into(), status, date: None, events }
    }

    #[test]
    fn kinds_sum_their_entries_and_only_held_kinds_are_listed() {
        let r = report(
            vec![
                entry("Slammer", AssetKind::Vehicle, 4, 2, 1, 3),
                entry("Marshall", AssetKind::Vehicle, 2, 5, 3, 0),
                entry("Blackfoot", AssetKind::Aircraft, 1, 0, 0, 1),
            ],
            vec![],
        );
        let kinds = r.summary().by_kind;
        assert_eq!(kinds.iter().map(|k| k.kind).collect::<Vec<_>>(), [AssetKind::Vehicle, AssetKind::Aircraft]);
        let vehicles = kinds[0];
        assert_eq!((vehicles.entries, vehicles.initial, vehicles.current), (2, 6, 7));
        assert_eq!((vehicles.gained, vehicles.lost, vehicles.net()), (4, 3, 1));
        assert_eq!(kinds[1].net(), -1);
    }

    #[test]
    fn missions_and_events_are_counted_under_every_status_and_kind() {
        let r = report(
            vec![],
            vec![
                mission("Dawn", MissionStatus::Completed, vec![event(EventKind::Combat, &[-2, 1])]),
                mission(
                    "Dusk",
                    MissionStatus::Completed,
                    vec![event(EventKind::Combat, &[]), event(EventKind::Logistics, &[3])],
                ),
                mission("Night", MissionStatus::Planned, vec![]),
            ],
        );
        let s = r.summary();
        assert_eq!(s.missions_by_status.len(), MissionStatus::ALL.len(), "every status, zero included");
        assert!(s.missions_by_status.contains(&(MissionStatus::Completed, 2)));
        assert!(s.missions_by_status.contains(&(MissionStatus::Planned, 1)));
        assert!(s.missions_by_status.contains(&(MissionStatus::Cancelled, 0)));
        assert_eq!(
            s.events_by_kind,
            [(EventKind::Combat, 2), (EventKind::Logistics, 1), (EventKind::Training, 0), (EventKind::Other, 0)]
        );
        let losses: Vec<(&str, u64)> = s.losses_per_mission.iter().map(|m| (m.mission.as_str(), m.lost)).collect();
        assert_eq!(losses, [("Dawn", 2), ("Dusk", 0), ("Night", 0)], "gains are not losses");
    }

    #[test]
    fn the_largest_moves_are_the_top_ten_largest_first_ties_by_name_and_never_zero() {
        let mut entries: Vec<ReportEntry> =
            (0..12).map(|i| entry(&format!("Asset {i:02}"), AssetKind::Supply, 50, 50, 0, i)).collect();
        entries.push(entry("Aardvark", AssetKind::Supply, 50, 50, 7, 11));
        let s = report(entries, vec![]).summary();
        let losses: Vec<(&str, u64)> = s.largest_losses.iter().map(|m| (m.asset_name.as_str(), m.quantity)).collect();
        assert_eq!(losses.len(), LARGEST);
        assert_eq!(&losses[..3], [("Aardvark", 11), ("Asset 11", 11), ("Asset 10", 10)]);
        assert!(losses.iter().all(|(_, q)| *q > 0));
        assert_eq!(s.largest_gains, [AssetMove { asset_name: "Aardvark".into(), quantity: 7 }], "only what gained");
    }

    #[test]
    fn an_entry_is_depleted_low_in_surplus_or_none_of_these() {
        use crate::report::EntryLevel;
        let level = |initial, current, unique| {
            ReportEntry { unique, ..entry("A", AssetKind::Vehicle, initial, current, 0, 0) }.level()
        };
        assert_eq!(level(4, 0, false), Some(EntryLevel::Depleted));
        assert_eq!(level(4, 2, false), Some(EntryLevel::Low), "below the pool's low mark");
        assert_eq!(level(1, 1, true), None, "one of one is never low");
        assert_eq!(level(1, 0, true), Some(EntryLevel::Depleted));
        assert_eq!(level(4, 5, false), Some(EntryLevel::Surplus));
        assert_eq!(level(1, 2, false), Some(EntryLevel::Low), "low before surplus");
        assert_eq!(level(4, 4, false), None);
    }

    proptest! {
        #[test]
        fn the_kinds_add_up_to_the_reports_totals(
            rows in proptest::collection::vec((0usize..7, 0u32..1_000, 0u32..1_000, 0u64..1_000, 0u64..1_000), 0..40)
        ) {
            let entries = rows
                .iter()
                .enumerate()
                .map(|(i, &(k, initial, current, gained, lost))| {
                    entry(&format!("A{i}"), AssetKind::ALL[k], initial, current, gained, lost)
                })
                .collect();
            let r = report(entries, vec![]);
            let s = r.summary();
            let (initial, current, gained, lost) = r.totals();
            prop_assert_eq!(s.by_kind.iter().map(|k| k.entries).sum::<usize>(), r.entries.len());
            prop_assert_eq!(s.by_kind.iter().map(|k| k.initial).sum::<u64>(), initial);
            prop_assert_eq!(s.by_kind.iter().map(|k| k.current).sum::<u64>(), current);
            prop_assert_eq!(s.by_kind.iter().map(|k| k.gained).sum::<u64>(), gained);
            prop_assert_eq!(s.by_kind.iter().map(|k| k.lost).sum::<u64>(), lost);
        }
    }
}
