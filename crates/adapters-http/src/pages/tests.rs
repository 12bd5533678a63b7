//! The template smoke test: every template file renders with its fixtures, as the
//! public, a manager and an admin see the layout, and the HTML keeps the site's rules
//! (no inline script or style, one `<h1>` per page, a label for every input).

use crate::web::{Views, fixtures, template_names};
use domain::Role;

/// Templates that are not pages of their own: no `<h1>` is expected.
const PARTIALS: [&str; 2] = ["base.html", "components.html"];

#[test]
fn every_template_has_a_fixture_and_every_fixture_a_template() {
    let names = template_names();
    let fixtures = super::template_fixtures();
    let missing: Vec<&String> = names.iter().filter(|n| !fixtures.iter().any(|(f, _)| f == n)).collect();
    assert!(missing.is_empty(), "templates without a fixture (add one to the module's template_fixtures): {missing:?}");
    let unknown: Vec<&str> = fixtures.iter().map(|(f, _)| *f).filter(|f| !names.iter().any(|n| n == f)).collect();
    assert!(unknown.is_empty(), "fixtures naming no template: {unknown:?}");
}

#[test]
fn every_template_renders_with_its_fixtures_for_every_viewer() {
    let views = Views::load().expect("the templates load");
    let mut failures = Vec::new();
    for (name, view) in super::template_fixtures() {
        for role in [None, Some(Role::Manager), Some(Role::Admin)] {
            let context = tera::Context::from_serialize(&view).expect("a fixture is a JSON object");
            match views.render(name, &fixtures::layout(role), context) {
                Ok(html) => failures.extend(lint(name, &html).into_iter().map(|p| format!("{name} ({role:?}): {p}"))),
                Err(e) => failures.push(format!("{name} ({role:?}): {:?}", std::error::Error::source(&e))),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_lint_catches_inline_script_and_style_and_unlabelled_inputs() {
    let bad = r#"<h1>A</h1><h1>B</h1><script>x()</script><p style="color:red"></p><input id="q" name="q">"#;
    assert_eq!(lint("page.html", bad).len(), 4, "{:?}", lint("page.html", bad));
    let good = r#"<h1>A</h1><script src="/static/app.js"></script><label for="q">Q</label><input id="q" name="q">"#;
    assert!(lint("page.html", good).is_empty(), "{:?}", lint("page.html", good));
}

/// The site's HTML rules that a template can break.
fn lint(name: &str, html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if html.contains(" style=") || html.contains("<style") {
        problems.push("inline style (use classes in static/app.css)".to_owned());
    }
    if html.match_indices("<script").any(|(at, _)| !html[at..].split('>').next().unwrap_or("").contains(" src=")) {
        problems.push("inline script (use static/app.js)".to_owned());
    }
    if !PARTIALS.contains(&name) && html.matches("<h1").count() != 1 {
        problems.push(format!("{} <h1> elements instead of one", html.matches("<h1").count()));
    }
    for id in input_ids(html) {
        if !html.contains(&format!(r#"for="{id}""#)) {
            problems.push(format!("input {id:?} has no <label for>"));
        }
    }
    problems
}

/// The ids of the visible form controls.
fn input_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for tag in ["<input", "<select", "<textarea"] {
        for (at, _) in html.match_indices(tag) {
            let element = html[at..].split('>').next().unwrap_or("");
            if ["type=\"hidden\"", "type=\"submit\"", "type=\"button\""].iter().any(|t| element.contains(t)) {
                continue;
            }
            let id = element.split(" id=\"").nth(1).and_then(|rest| rest.split('"').next());
            ids.push(id.unwrap_or("(none)").to_owned());
        }
    }
    ids
}
