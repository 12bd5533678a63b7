//! Charts drawn on the server as SVG, for the report pages and the public dashboard:
//! step lines (quantities over time) and horizontal bars (a number per label).
//!
//! Invariants: the markup is CSP-clean (no `style` attribute, no script; colours come
//! from the CSS classes `s0`…`s9`, which app.css defines for both themes and for print);
//! every text in it is escaped here, so templates insert it as it is; each chart names
//! itself with a `<title>` and `role="img"`, and the page beside it holds the same
//! figures as a table (the text alternative).

use std::fmt::Write as _;
use time::UtcDateTime;

/// The drawing's width in SVG units (it scales to the page's width).
const WIDTH: f64 = 640.0;
/// Room left of the plot for the quantities.
const LEFT: f64 = 48.0;
/// Room right of the plot.
const RIGHT: f64 = 16.0;
/// Room above the plot.
const TOP: f64 = 12.0;
/// Room below the plot for the dates.
const BOTTOM: f64 = 28.0;
/// Ticks on the quantity axis, at most.
const TICKS: u64 = 4;
/// The height of one bar's row.
const ROW: f64 = 26.0;
/// The room for a bar's label.
const LABEL: f64 = 190.0;
/// The longest label drawn in full; longer ones are cut with "…" (the full one is the
/// bar's tooltip and is in the table).
const LABEL_CHARS: usize = 28;

/// One line of a step chart: a class (`s0`…`s9`, its colour) and its steps, each a time
/// and the quantity from then on, in time order.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub(crate) class: &'static str,
    pub(crate) steps: Vec<(UtcDateTime, u64)>,
}

/// One bar: its label, its number and its class (`s0`…`s9`).
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    pub(crate) label: String,
    pub(crate) value: u64,
    pub(crate) class: &'static str,
}

/// The class of the `n`th colour.
pub(crate) const fn colour(n: usize) -> &'static str {
    const CLASSES: [&str; 10] = ["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"];
    CLASSES[n % CLASSES.len()]
}

/// Quantities over time as step lines, from the earliest step to the latest; `height`
/// in SVG units. An empty `lines` draws the axes alone.
pub(crate) fn step_chart(title: &str, lines: &[Line], height: f64) -> String {
    let steps = || lines.iter().flat_map(|l| &l.steps);
    let first = steps().map(|s| s.0).min();
    let last = steps().map(|s| s.0).max();
    let (t0, t1) = match (first, last) {
        (Some(a), Some(b)) if b > a => (seconds(a), seconds(b)),
        (Some(a), _) => (seconds(a), seconds(a) + 86_400.0),
        _ => (0.0, 86_400.0),
    };
    let (top, step) = scale(steps().map(|s| s.1).max().unwrap_or(0));
    let plot = Plot { width: WIDTH - LEFT - RIGHT, height: height - TOP - BOTTOM };
    let x = |t: f64| LEFT + (t - t0) / (t1 - t0) * plot.width;
    let y = |q: u64| TOP + plot.height - q as f64 / top as f64 * plot.height;

    let mut svg = open(title, height);
    for tick in (0..=top).step_by(usize::try_from(step).unwrap_or(1)) {
        let at = y(tick);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{LEFT}" y1="{at:.1}" x2="{:.1}" y2="{at:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{tick}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0
        );
    }
    let base = TOP + plot.height;
    let _ = write!(svg, r#"<line class="axis" x1="{LEFT}" y1="{base:.1}" x2="{:.1}" y2="{base:.1}"/>"#, WIDTH - RIGHT);
    if let (Some(a), Some(b)) = (first, last) {
        let _ = write!(svg, r#"<text class="tick" x="{LEFT}" y="{:.1}">{}</text>"#, height - 8.0, a.date());
        if b.date() != a.date() {
            let _ = write!(
                svg,
                r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                WIDTH - RIGHT,
                height - 8.0,
                b.date()
            );
        }
    }
    for line in lines {
        let Some(&(at, quantity)) = line.steps.first() else { continue };
        let mut path = format!("M{:.1} {:.1}", x(seconds(at)), y(quantity));
        for &(at, quantity) in &line.steps[1..] {
            let _ = write!(path, "H{:.1}V{:.1}", x(seconds(at)), y(quantity));
        }
        let _ = write!(svg, r#"<path class="line {}" d="{path}"/>"#, line.class);
    }
    svg.push_str("</svg>");
    svg
}

/// One horizontal bar per label, scaled to the largest.
pub(crate) fn bar_chart(title: &str, bars: &[Bar]) -> String {
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let (top, _) = scale(bars.iter().map(|b| b.value).max().unwrap_or(0));
    let room = WIDTH - LABEL - RIGHT - 48.0;
    let mut svg = open(title, height);
    for (i, bar) in bars.iter().enumerate() {
        let row = 4.0 + ROW * i as f64;
        let width = bar.value as f64 / top as f64 * room;
        let _ = write!(
            svg,
            r#"<g><title>{label}: {value}</title><text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{short}</text><rect class="bar {class}" x="{LABEL}" y="{:.1}" width="{width:.1}" height="{:.1}"/><text class="value" x="{:.1}" y="{:.1}">{value}</text></g>"#,
            LABEL - 8.0,
            row + ROW / 2.0 + 4.0,
            row + 3.0,
            ROW - 6.0,
            LABEL + width + 6.0,
            row + ROW / 2.0 + 4.0,
            label = escape(&bar.label),
            value = bar.value,
            short = escape(&shorten(&bar.label)),
            class = bar.class,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A small trend: `points` (label, quantity) evenly spaced left to right, joined by a
/// line with a dot at each, on an axis from zero.
pub(crate) fn trend_chart(title: &str, points: &[(String, u64)]) -> String {
    const HEIGHT: f64 = 96.0;
    let (top, _) = scale(points.iter().map(|p| p.1).max().unwrap_or(0));
    let plot = Plot { width: WIDTH - LEFT - RIGHT, height: HEIGHT - TOP - 12.0 };
    let gap = if points.len() > 1 { plot.width / (points.len() - 1) as f64 } else { 0.0 };
    let x = |i: usize| LEFT + gap * i as f64;
    let y = |q: u64| TOP + plot.height - q as f64 / top as f64 * plot.height;
    let mut svg = open(title, HEIGHT);
    let base = TOP + plot.height;
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{base:.1}" x2="{:.1}" y2="{base:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">0</text><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{top}</text>"#,
        WIDTH - RIGHT,
        LEFT - 6.0,
        base + 4.0,
        LEFT - 6.0,
        TOP + 4.0
    );
    let path: Vec<String> = points.iter().enumerate().map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.1))).collect();
    let _ = write!(svg, r#"<polyline class="line s0" points="{}"/>"#, path.join(" "));
    for (i, (label, quantity)) in points.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<circle class="dot s0" cx="{:.1}" cy="{:.1}" r="4"><title>{}: {quantity}</title></circle>"#,
            x(i),
            y(*quantity),
            escape(label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The plot's size inside the margins.
struct Plot {
    width: f64,
    height: f64,
}

/// The opening `<svg>` with its accessible name.
fn open(title: &str, height: f64) -> String {
    format!(
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" role="img" preserveAspectRatio="xMinYMin meet"><title>{}</title>"#,
        escape(title)
    )
}

/// The axis's top and its tick step for quantities up to `max`: a round step (1, 2 or
/// 5 times a power of ten) giving at most [`TICKS`] ticks above zero.
fn scale(max: u64) -> (u64, u64) {
    if max == 0 {
        return (1, 1);
    }
    let mut power = 1_u64;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * power;
            if max.div_ceil(step) <= TICKS {
                return (max.div_ceil(step) * step, step);
            }
        }
        power = power.saturating_mul(10);
    }
}

fn seconds(at: UtcDateTime) -> f64 {
    at.unix_timestamp() as f64
}

/// `label`, cut to [`LABEL_CHARS`] characters with "…".
fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Text made safe inside SVG markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_axis_ends_on_a_round_number_with_at_most_four_ticks() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(3), (3, 1));
        assert_eq!(scale(7), (8, 2));
        assert_eq!(scale(18), (20, 5));
        assert_eq!(scale(41), (60, 20));
        assert_eq!(scale(1_000), (1_000, 500));
        assert_eq!(scale(u64::from(u32::MAX) * 40), (200_000_000_000, 50_000_000_000));
    }

    #[test]
    fn a_step_line_moves_across_then_up_or_down_at_each_step() {
        let line = Line {
            class: "s2",
            steps: vec![
                (datetime!(2026-01-01 0:00 UTC).to_utc(), 4),
                (datetime!(2026-01-02 0:00 UTC).to_utc(), 2),
                (datetime!(2026-01-03 0:00 UTC).to_utc(), 2),
            ],
        };
        let svg = step_chart("Vehicles", &[line], 200.0);
        assert!(svg.starts_with("<svg class=\"chart\""), "{svg}");
        assert!(svg.contains("<title>Vehicles</title>"));
        // 576 units of width over two days; quantities on a 0..4 axis 160 units high.
        assert!(svg.contains(r#"<path class="line s2" d="M48.0 12.0H336.0V92.0H624.0V92.0"/>"#), "{svg}");
        assert!(svg.contains(">2026-01-01<") && svg.contains(">2026-01-03<"), "first and last dates");
        assert!(!svg.contains("style="), "CSP-clean");
    }

    #[test]
    fn bars_scale_to_the_largest_and_their_text_is_escaped_and_cut() {
        let bars = [
            Bar { label: "Raid <night> & \"dawn\"".into(), value: 10, class: "s3" },
            Bar { label: "A mission with a name far too long to fit".into(), value: 5, class: "s3" },
        ];
        let svg = bar_chart("Losses per mission", &bars);
        assert!(svg.contains("Raid &lt;night&gt; &amp; &quot;dawn&quot;"), "{svg}");
        assert!(!svg.contains("<night>"));
        assert!(svg.contains(">A mission with a name far t…<"), "{svg}");
        assert!(svg.contains("<title>A mission with a name far too long to fit: 5</title>"), "the full label");
        let widths: Vec<&str> = svg.split("width=\"").skip(1).map(|w| w.split('"').next().unwrap_or("")).collect();
        assert_eq!(widths, ["386.0", "193.0"], "half the value, half the bar");
    }

    #[test]
    fn a_trend_spaces_its_points_evenly_with_a_dot_and_a_tooltip_each() {
        let points = [("Before Dawn".to_owned(), 10), ("After Dawn".to_owned(), 5), ("After <Dusk>".to_owned(), 10)];
        let svg = trend_chart("Pool total", &points);
        // 576 units of width over two gaps; 0..10 over 72 units of height from y=12.
        assert!(svg.contains(r#"<polyline class="line s0" points="48.0,12.0 336.0,48.0 624.0,12.0"/>"#), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("<title>After &lt;Dusk&gt;: 10</title>"), "{svg}");
    }

    #[test]
    fn empty_charts_draw_their_frame_without_failing() {
        assert!(step_chart("Nothing", &[], 200.0).ends_with("</svg>"));
        assert!(bar_chart("Nothing", &[]).ends_with("</svg>"));
        assert!(trend_chart("Nothing", &[]).ends_with("</svg>"));
        assert!(trend_chart("One", &[("Now".to_owned(), 3)]).contains(r#"points="48.0,12.0""#));
    }
}
