//! A campaign report's pool as CSV: one row per pool entry (library, asset, kind,
//! category, initial, current, gained, lost, net), for spreadsheets.
//!
//! Invariants: RFC 4180 (comma separated, CRLF line ends, a field quoted when it holds a
//! comma, a quote or a line break, quotes doubled); UTF-8, with a byte order mark when
//! asked (`?bom=1`, for spreadsheets that guess the encoding otherwise); a text cell that
//! a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
//! carriage return) is prefixed with `'`. The numbers are written by us and never are.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::CampaignReport;
use serde::Deserialize;

/// The header row.
const COLUMNS: [&str; 9] = ["library", "asset", "kind", "category", "initial", "current", "gained", "lost", "net"];

/// The query of a download: `?bom=1` (or `true`) asks for the byte order mark.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CsvQuery {
    #[serde(default)]
    bom: Option<String>,
}

impl CsvQuery {
    fn bom(&self) -> bool {
        matches!(self.bom.as_deref(), Some("1" | "true" | "yes"))
    }
}

/// The report's pool as a CSV download named after the campaign and the report's day.
pub(crate) fn response(report: &CampaignReport, query: &CsvQuery) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", file_name(report));
    let mut response = csv(report, query.bom()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The CSV text.
fn csv(report: &CampaignReport, bom: bool) -> String {
    let mut out = String::from(if bom { "\u{feff}" } else { "" });
    out.push_str(&COLUMNS.join(","));
    out.push_str("\r\n");
    for e in &report.entries {
        let net = i64::from(e.current) - i64::from(e.initial);
        let texts = [&e.library, &e.asset_name, e.kind.as_str(), &e.category].map(cell);
        let numbers = [e.initial.to_string(), e.current.to_string(), e.gained.to_string(), e.lost.to_string()];
        out.push_str(&texts.join(","));
        out.push(',');
        out.push_str(&numbers.join(","));
        out.push(',');
        out.push_str(&net.to_string());
        out.push_str("\r\n");
    }
    out
}

/// A text field: defused if a spreadsheet would run it, quoted if it must be.
pub(crate) fn cell(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if defused.contains([',', '"', '\n', '\r']) { format!("\"{}\"", defused.replace('"', "\"\"")) } else { defused }
}

/// `operation-harvest-2026-02-01.csv`.
fn file_name(report: &CampaignReport) -> String {
    format!("{}.csv", file_stem(report))
}

/// `operation-harvest-2026-02-01`: the campaign's name made safe, and the day the report
/// was made; the downloads' file name without its extension.
pub(crate) fn file_stem(report: &CampaignReport) -> String {
    format!("{}-{}", slug(&report.campaign_name, "campaign"), report.generated_at.date())
}

/// `nato-armour`: `name` made safe for a file name (ASCII letters and digits in lower
/// case, anything else one dash), or `fallback` when nothing is left.
pub(crate) fn slug(name: &str, fallback: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() { fallback.to_owned() } else { slug.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_becomes_a_file_name() {
        assert_eq!(slug("NATO Armour (2035)", "library"), "nato-armour-2035");
        assert_eq!(slug("Ødeland!", "library"), "deland");
        assert_eq!(slug("???", "library"), "library");
    }
    use domain::{AssetKind, CampaignId, CampaignStatus, ReportEntry};
    use time::macros::{date, utc_datetime};

    fn report(name: &str, entries: Vec<ReportEntry>) -> CampaignReport {
        CampaignReport {
            campaign_id: CampaignId::new(1),
            campaign_name: name.into(),
            description: String::new(),
            status: CampaignStatus::Active,
            start: date!(2026 - 01 - 01),
            end: None,
            generated_at: utc_datetime!(2026-02-01 18:00),
            entries,
            missions: Vec::new(),
        }
    }

    fn entry(library: &str, asset: &str, category: &str, initial: u32, current: u32) -> ReportEntry {
        ReportEntry {
            entry_id: None,
            library: library.into(),
            asset_name: asset.into(),
            kind: AssetKind::Vehicle,
            category: category.into(),
            initial,
            current,
            gained: u64::from(current.saturating_sub(initial)),
            lost: u64::from(initial.saturating_sub(current)),
            public: true,
            unique: false,
        }
    }

    #[test]
    fn one_row_per_entry_with_a_header_crlf_and_signed_net() {
        let r = report("Harvest", vec![entry("NATO", "M2A1 Slammer", "Main battle tank", 4, 1)]);
        assert_eq!(
            csv(&r, false),
            "library,asset,kind,category,initial,current,gained,lost,net\r\n\
             NATO,M2A1 Slammer,Vehicle,Main battle tank,4,1,0,3,-3\r\n"
        );
        assert!(csv(&r, true).starts_with("\u{feff}library,"), "the byte order mark, when asked");
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says_and_formulas_are_defused() {
        let r = report(
            "Harvest",
            vec![
                entry("NATO, west", "Hunter \"HMG\"", "line\nbreak", 1, 1),
                entry("=HYPERLINK(\"http://x\")", "+1", "-2", 1, 1),
                entry("@SUM(A1)", "\tTab", "plain", 1, 1),
            ],
        );
        let text = csv(&r, false);
        let rows: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(rows[1], "\"NATO, west\",\"Hunter \"\"HMG\"\"\",Vehicle,\"line\nbreak\",1,1,0,0,0");
        assert_eq!(rows[2], "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,Vehicle,'-2,1,1,0,0,0");
        assert_eq!(rows[3], "'@SUM(A1),'\tTab,Vehicle,plain,1,1,0,0,0");
    }

    #[test]
    fn the_file_is_named_after_the_campaign_and_the_reports_day() {
        assert_eq!(file_name(&report("Operation Harvest", vec![])), "operation-harvest-2026-02-01.csv");
        assert_eq!(file_name(&report("  Ёлка / \"Dawn\" 2  ", vec![])), "dawn-2-2026-02-01.csv");
        assert_eq!(file_name(&report("Ёлка", vec![])), "campaign-2026-02-01.csv");
    }

    #[test]
    fn the_byte_order_mark_is_asked_with_1_true_or_yes() {
        for (raw, bom) in [(Some("1"), true), (Some("true"), true), (Some("0"), false), (None, false)] {
            assert_eq!(CsvQuery { bom: raw.map(Into::into) }.bom(), bom, "{raw:?}");
        }
    }
}
