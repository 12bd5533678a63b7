//! The router's routes as its source declares them: every `.route("<pattern>", …)` call
//! under `src/`, with the methods its method router names (`get(..)`, `.post(..)`, or a
//! `post(..)` bound to a variable and merged in). Test modules are left out. Axum does
//! not list a router's routes, so this scan is how the table learns a route was added.

use std::collections::BTreeSet;
use std::path::Path;

/// A route: method and pattern, such as `("POST", "/manage/pool/{entry}/remove")`.
pub type Route = (String, String);

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Every route declared under the crate's `src/`.
pub fn declared_routes() -> BTreeSet<Route> {
    declared_routes_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// The routes of the pages: every declared route but the JSON API's (`/api/v1/…`),
/// which no session reaches and whose table is the OpenAPI document.
pub fn page_routes() -> BTreeSet<Route> {
    declared_routes().into_iter().filter(|(_, pattern)| !pattern.starts_with("/api/v1/")).collect()
}

/// The JSON API's routes.
pub fn api_routes() -> BTreeSet<Route> {
    declared_routes().into_iter().filter(|(_, pattern)| pattern.starts_with("/api/v1/")).collect()
}

/// Every route declared under `dir` (the web adapter's `src/`, for a test elsewhere).
pub fn declared_routes_in(dir: &Path) -> BTreeSet<Route> {
    let mut routes = BTreeSet::new();
    scan(dir, &mut routes);
    routes
}

fn scan(dir: &Path, routes: &mut BTreeSet<Route>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("a source directory").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            scan(&path, routes);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("a source file");
            routes.extend(routes_in(without_tests(&text)));
        }
    }
}

/// The text before an inline test module (`#[cfg(test)]` then `mod …`).
fn without_tests(text: &str) -> &str {
    let mut at = 0;
    while let Some(found) = text[at..].find("#[cfg(test)]") {
        let start = at + found;
        let rest = text[start + "#[cfg(test)]".len()..].trim_start();
        if rest.starts_with("mod ") {
            return &text[..start];
        }
        at = start + 1;
    }
    text
}

/// The routes of the `.route(…)` calls in `text`.
pub fn routes_in(text: &str) -> Vec<Route> {
    let mut routes = Vec::new();
    for (start, _) in text.match_indices(".route(") {
        let args = call_arguments(&text[start + ".route(".len()..]);
        let Some(pattern) = args.split('"').nth(1) else { continue };
        for method in methods_in(args, text) {
            routes.push((method.to_ascii_uppercase(), pattern.to_owned()));
        }
    }
    routes
}

/// The text up to the parenthesis closing a call whose arguments start `text`.
fn call_arguments(text: &str) -> &str {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..i];
                }
            }
            _ => {}
        }
    }
    text
}

/// The methods a method router names: `get(`, `.post(`, … called directly, and those of
/// variables merged in (`.merge(submit)` with `let submit = post(…)` in `file`).
fn methods_in(args: &str, file: &str) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = METHODS.into_iter().filter(|m| calls(args, m)).collect();
    for (at, _) in args.match_indices(".merge(") {
        let name: String =
            args[at + ".merge(".len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        for method in METHODS {
            let bound = [format!("let {name} = {method}("), format!("let mut {name} = {method}(")];
            if bound.iter().any(|b| file.contains(b.as_str())) {
                found.push(method);
            }
        }
    }
    found
}

/// Whether `text` calls `name(` as a function or method (not as part of another name).
fn calls(text: &str, name: &str) -> bool {
    let call = format!("{name}(");
    text.match_indices(&call).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
    })
}

/// Whether the concrete `path` (query ignored) is an instance of `pattern`.
pub fn matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let mut given = path.split('/');
    for expected in pattern.split('/') {
        if expected.starts_with("{*") {
            return given.next().is_some_and(|s| !s.is_empty());
        }
        match given.next() {
            Some(segment) if expected.starts_with('{') => {
                if segment.is_empty() {
                    return false;
                }
            }
            Some(segment) if segment == expected => {}
            _ => return false,
        }
    }
    given.next().is_none()
}

#[test]
fn the_scan_reads_chained_and_merged_method_routers() {
    let source = r#"
        let mut submit = post(log_in::<A>);
        Router::new()
            .route("/login", get(login_page).merge(submit))
            .route("/manage/assets/{id}/delete", post(delete::<A>))
            .route("/x/{id}/edit", get(edit_form::<A>).post(update::<A>))
    "#;
    let expected = [
        ("GET", "/login"),
        ("POST", "/login"),
        ("POST", "/manage/assets/{id}/delete"),
        ("GET", "/x/{id}/edit"),
        ("POST", "/x/{id}/edit"),
    ];
    let expected: Vec<Route> = expected.iter().map(|(m, p)| ((*m).to_owned(), (*p).to_owned())).collect();
    assert_eq!(routes_in(source), expected);
    assert_eq!(without_tests("a\n#[cfg(test)]\nfn f() {}\n#[cfg(test)]\nmod tests {}"), "a\n#[cfg(test)]\nfn f() {}\n");
}

#[test]
fn a_path_matches_its_pattern_segment_by_segment() {
    assert!(matches("/manage/missions/{id}/edit", "/manage/missions/7/edit"));
    assert!(matches("/timeline", "/timeline?page=2"));
    assert!(matches("/static/{*file}", "/static/app.0123abcd.css"));
    assert!(!matches("/manage/missions/{id}/edit", "/manage/missions/7"));
    assert!(!matches("/manage/missions/{id}", "/manage/missions/7/edit"));
    assert!(!matches("/manage/missions/{id}", "/manage/events/7"));
}
