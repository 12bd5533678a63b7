//! The discrepancy report: every place where the old database disagrees with our rules
//! (or cannot be said in our model), what it held and what the import did about it.
//!
//! Invariant: a finding is plain text about the old data; it never holds a password
//! hash.

/// What kind of disagreement a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingKind {
    /// A stored current quantity differs from initial + the changes (ledger rule).
    QuantityMismatch,
    /// A change would break the ledger rule (below zero, a unique asset above 1, past
    /// the maximum): stored clamped to what was possible, or dropped when nothing was.
    ChangeClamped,
    /// A change names an asset the campaign's pool does not hold: the entry is added.
    ChangeOutsidePool,
    /// A change that cannot be stored at all (zero, unknown asset or event).
    ChangeDropped,
    /// Several campaigns were active: one is kept active.
    SeveralActive,
    /// A campaign was both active and closed: closed.
    ActiveAndClosed,
    /// An account that is not imported (no staff role, invalid or duplicate name).
    UserSkipped,
    /// A name that is taken here, renamed with a suffix.
    Renamed,
    /// An asset type that is not one of our kinds: Other.
    UnknownKind,
    /// A value adapted to our rules (too long, bad URL, missing or impossible date,
    /// unknown status, quantity out of range).
    ValueAdapted,
    /// A row whose parent is missing, or a second pool row for one asset: skipped.
    RowSkipped,
    /// Rows of the old `log` table, which are not imported.
    LogNotImported,
}

impl FindingKind {
    /// Every kind, in the order the report prints them.
    pub const ALL: [FindingKind; 12] = [
        FindingKind::QuantityMismatch,
        FindingKind::ChangeClamped,
        FindingKind::ChangeOutsidePool,
        FindingKind::ChangeDropped,
        FindingKind::SeveralActive,
        FindingKind::ActiveAndClosed,
        FindingKind::UserSkipped,
        FindingKind::Renamed,
        FindingKind::UnknownKind,
        FindingKind::ValueAdapted,
        FindingKind::RowSkipped,
        FindingKind::LogNotImported,
    ];

    /// The report's heading for the kind.
    pub const fn heading(self) -> &'static str {
        match self {
            FindingKind::QuantityMismatch => "Stored quantity differs from initial + changes",
            FindingKind::ChangeClamped => "Change would break the ledger rule",
            FindingKind::ChangeOutsidePool => "Change for an asset not in the campaign's pool",
            FindingKind::ChangeDropped => "Change that cannot be stored",
            FindingKind::SeveralActive => "Several active campaigns",
            FindingKind::ActiveAndClosed => "Campaign both active and closed",
            FindingKind::UserSkipped => "Account not imported",
            FindingKind::Renamed => "Duplicate name renamed",
            FindingKind::UnknownKind => "Unknown asset type",
            FindingKind::ValueAdapted => "Value adapted to our rules",
            FindingKind::RowSkipped => "Row skipped",
            FindingKind::LogNotImported => "Log rows not imported",
        }
    }
}

/// One disagreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Its kind.
    pub kind: FindingKind,
    /// The old row concerned, such as `campaign 3 "Op Harvest", asset 7 "Rifle"`.
    pub subject: String,
    /// What the old database held.
    pub found: String,
    /// What the import did.
    pub done: String,
}

/// Every finding of one import, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyReport {
    /// The findings.
    pub findings: Vec<Finding>,
}

impl LegacyReport {
    /// Adds a finding.
    pub fn add(
        &mut self,
        kind: FindingKind,
        subject: impl Into<String>,
        found: impl Into<String>,
        done: impl Into<String>,
    ) {
        self.findings.push(Finding { kind, subject: subject.into(), found: found.into(), done: done.into() });
    }

    /// The findings of `kind`.
    pub fn of(&self, kind: FindingKind) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.kind == kind)
    }

    /// The report as plain text: a total, then one group per kind with its count and
    /// one line per finding.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("{} findings", self.findings.len())];
        for kind in FindingKind::ALL {
            let found: Vec<&Finding> = self.of(kind).collect();
            if found.is_empty() {
                continue;
            }
            lines.push(format!("{} ({}):", kind.heading(), found.len()));
            lines.extend(found.iter().map(|f| format!("  - {}: {}; {}", f.subject, f.found, f.done)));
        }
        lines
    }
}
