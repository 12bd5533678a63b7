//! The Markdown report: one table per database and dataset, the targets with ✓ or ✗,
//! and the machine the figures came from.
//!
//! Invariant: figures are shown as measured; a target is judged only from figures the
//! run produced, and one that could not be judged says so.

use crate::load::Figures;
use crate::seed::Engine;
use crate::statements::Counted;
use std::fmt::Write as _;

/// One endpoint's results.
#[derive(Debug, Clone)]
pub struct Row {
    /// The endpoint's name.
    pub label: String,
    /// Whether it is a page or API read (judged against the statement budget).
    pub read: bool,
    /// wrk's measured run.
    pub figures: Figures,
    /// SQL statements per request.
    pub statements: Counted,
    /// The server's peak RSS after this load, in KiB.
    pub rss_kib: Option<u64>,
}

/// One database and dataset.
#[derive(Debug, Clone)]
pub struct Table {
    /// The database.
    pub engine: Engine,
    /// `standard` or `large`.
    pub dataset: &'static str,
    /// Events in the dataset's history.
    pub events: u64,
    /// The rows, `/health` first.
    pub rows: Vec<Row>,
}

/// The labels the targets refer to.
pub const HEALTH: &str = "GET /health";
pub const DASHBOARD: &str = "GET / (public dashboard)";
pub const TIMELINE: &str = "GET /timeline (page 1)";
pub const API_POOL: &str = "GET /api/v1/pool";
/// The event form's POST when every request moves the same three entries (the rows all
/// writers contend for).
pub const CREATE_EVENT: &str = "POST event form (3 changes, the same 3 entries)";
/// The event form's POST when each request moves three other entries of the pool.
pub const CREATE_EVENT_SPREAD: &str = "POST event form (3 changes, entries spread over the pool)";

fn ms(us: u64) -> String {
    format!("{:.2} ms", us as f64 / 1000.0)
}

fn mb(kib: Option<u64>) -> String {
    kib.map_or_else(|| "?".to_owned(), |k| format!("{:.1} MB", k as f64 / 1024.0))
}

impl Table {
    fn row(&self, label: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.label == label)
    }

    /// The table in Markdown.
    pub fn markdown(&self) -> String {
        let health = self.row(HEALTH).map_or(0.0, |r| r.figures.per_second);
        let mut out = format!(
            "### {} — {} dataset ({} events)\n\n\
             | endpoint | requests/s | ratio to /health | p50 | p99 | non-2xx/3xx | SQL statements/request (first / steady) | peak RSS |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|\n",
            self.engine.label(),
            self.dataset,
            self.events
        );
        for r in &self.rows {
            let f = &r.figures;
            let ratio = if health > 0.0 { format!("{:.1} %", 100.0 * f.per_second / health) } else { "?".into() };
            let _ = writeln!(
                out,
                "| {} | {:.0} | {ratio} | {} | {} | {} | {} / {} | {} |",
                r.label,
                f.per_second,
                ms(f.p50_us),
                ms(f.p99_us),
                f.failed,
                r.statements.first,
                r.statements.steady,
                mb(r.rss_kib)
            );
        }
        out
    }
}

fn mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

/// The targets, each with ✓ or ✗ and the figure it was judged on.
pub fn targets(tables: &[Table]) -> String {
    let mut out = String::from("### Targets\n\n");
    let find = |engine: Engine, dataset: &str| tables.iter().find(|t| t.engine == engine && t.dataset == dataset);
    for engine in [Engine::Postgres, Engine::Sqlite] {
        let Some(standard) = find(engine, "standard") else { continue };
        let health = standard.row(HEALTH).map_or(0.0, |r| r.figures.per_second);
        for label in [DASHBOARD, TIMELINE, API_POOL] {
            if let Some(r) = standard.row(label) {
                let share = if health > 0.0 { r.figures.per_second / health } else { 0.0 };
                let ok = share >= 0.07 && r.figures.p99_us < 50_000;
                let _ = writeln!(
                    out,
                    "- {} {} {label}, standard: ≥ 7 % of /health req/s and p99 < 50 ms — {:.1} %, p99 {}",
                    mark(ok),
                    engine.label(),
                    100.0 * share,
                    ms(r.figures.p99_us)
                );
            }
        }
        if let Some(large) = find(engine, "large") {
            for label in [DASHBOARD, TIMELINE] {
                if let (Some(s), Some(l)) = (standard.row(label), large.row(label)) {
                    let ratio = l.figures.p50_us as f64 / s.figures.p50_us.max(1) as f64;
                    let _ = writeln!(
                        out,
                        "- {} {} {label}, large p50 within 1.5× of standard's — {} vs {} ({ratio:.2}×)",
                        mark(ratio <= 1.5),
                        engine.label(),
                        ms(l.figures.p50_us),
                        ms(s.figures.p50_us)
                    );
                }
            }
        }
    }
    for t in tables {
        if let Some(r) = t.row(DASHBOARD) {
            let ok = r.rss_kib.is_some_and(|k| k < 40 * 1024);
            let _ = writeln!(
                out,
                "- {} {} {}: peak RSS under dashboard load < 40 MB — {}",
                mark(ok),
                t.engine.label(),
                t.dataset,
                mb(r.rss_kib)
            );
        }
        let reads: Vec<&Row> = t.rows.iter().filter(|r| r.read).collect();
        let worst = reads.iter().map(|r| r.statements.first.max(r.statements.steady)).max().unwrap_or(0);
        let _ = writeln!(
            out,
            "- {} {} {}: ≤ 6 SQL statements for any page or API read (first or steady) — worst {worst}",
            mark(worst <= 6),
            t.engine.label(),
            t.dataset
        );
        for (label, which) in [(CREATE_EVENT, "the same 3 entries"), (CREATE_EVENT_SPREAD, "entries spread")] {
            if t.engine == Engine::Postgres
                && let Some(r) = t.row(label)
            {
                let _ = writeln!(
                    out,
                    "- {} PostgreSQL {}: event creation ≥ 1,000/s with 16 clients ({which}) — {:.0}/s",
                    mark(r.figures.per_second >= 1000.0),
                    t.dataset,
                    r.figures.per_second
                );
            }
        }
    }
    out
}
