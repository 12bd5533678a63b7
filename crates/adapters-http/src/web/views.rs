//! The templates, embedded from `templates/` and parsed once at start-up, with the
//! filters and functions they share: `static_url(name=...)` for asset URLs (on this
//! server or a CDN), `static_integrity(name=...)` for their Subresource Integrity, and
//! `local_time` for UTC timestamps.
//!
//! Invariant: autoescaping is on for every template (all end in `.html`); the only
//! filter marking its output safe (`local_time`) escapes its input itself.

use super::assets::Assets;
use crate::StaticOrigin;
use rust_embed::RustEmbed;
use std::collections::HashMap;
use tera::{Kwargs, State, Tera, TeraResult, Value};
use time::UtcDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// The files under `templates/`.
#[derive(RustEmbed)]
#[folder = "templates/"]
struct TemplateFiles;

/// The templates could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("the web templates do not load: {0}")]
pub struct ViewsError(String);

/// The parsed templates and the static files they link to.
#[derive(Debug)]
pub(crate) struct Views {
    pub(crate) tera: Tera,
    pub(crate) assets: &'static Assets,
}

impl Views {
    /// Parses every embedded template; the static files are linked on this server.
    #[cfg(test)]
    pub(crate) fn load() -> Result<Self, ViewsError> {
        Self::load_for(None)
    }

    /// Parses every embedded template, linking the static files at `static_origin`
    /// (a CDN) when given, else on this server.
    pub(crate) fn load_for(static_origin: Option<&StaticOrigin>) -> Result<Self, ViewsError> {
        let assets = Assets::load();
        let mut tera = Tera::new();
        let origin = static_origin.map_or("", StaticOrigin::as_str);
        let urls: HashMap<String, String> =
            assets.urls().iter().map(|(name, path)| (name.clone(), format!("{origin}{path}"))).collect();
        tera.register_function("static_url", by_static_name(move |name| urls.get(name).cloned()));
        tera.register_function("static_integrity", by_static_name(|name| assets.integrity().get(name).cloned()));
        tera.register_filter("local_time", local_time);
        let mut sources = Vec::new();
        for name in template_names() {
            let file = TemplateFiles::get(&name).ok_or_else(|| ViewsError(format!("{name} vanished")))?;
            let text =
                String::from_utf8(file.data.into_owned()).map_err(|_| ViewsError(format!("{name}: not UTF-8")))?;
            sources.push((name, text));
        }
        tera.add_raw_templates(sources).map_err(|e| ViewsError(report(&e)))?;
        Ok(Self { tera, assets })
    }
}

/// A template function answering what `lookup` finds for its `name` argument, a static
/// file's plain name such as `app.css`; an unknown name is an error.
fn by_static_name(
    lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
) -> impl Fn(Kwargs, &State) -> TeraResult<String> + Send + Sync + 'static {
    move |kwargs: Kwargs, _: &State| {
        let name: &str = kwargs.must_get("name")?;
        lookup(name).ok_or_else(|| tera::Error::message(format!("no static file named {name:?}")))
    }
}

/// The name of every embedded template, such as `base.html` or `manage/pool.html`.
pub(crate) fn template_names() -> Vec<String> {
    let mut names: Vec<String> =
        TemplateFiles::iter().map(|n| n.to_string()).filter(|n| n.ends_with(".html")).collect();
    names.sort();
    names
}

/// A Tera error with its causes, for logs and test failures.
pub(crate) fn report(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// `"2026-03-14T18:30:00Z"`: how views carry an instant to templates, for `local_time`.
pub(crate) fn iso(at: UtcDateTime) -> String {
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&Rfc3339).unwrap_or_else(|_| at.to_string())
}

/// `n` with an explicit plus sign when positive: "+1", "-2", "0".
pub(crate) fn signed(n: i64) -> String {
    if n > 0 { format!("+{n}") } else { n.to_string() }
}

/// The CSS class of a signed quantity: "gain", "loss", or "" for zero.
pub(crate) fn trend(n: i64) -> &'static str {
    match n.signum() {
        1 => "gain",
        -1 => "loss",
        _ => "",
    }
}

/// `{{ at | local_time }}`: a `<time>` element showing the UTC time, which the static
/// JavaScript rewrites into the browser's zone.
fn local_time(raw: &str, _: Kwargs, _: &State) -> TeraResult<Value> {
    let at = UtcDateTime::parse(raw, &Rfc3339)
        .map_err(|e| tera::Error::message(format!("local_time needs an RFC 3339 UTC time, not {raw:?}: {e}")))?;
    let text = at
        .format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
        .map_err(|e| tera::Error::message(e.to_string()))?;
    let datetime = iso(at);
    Ok(Value::safe_string(&format!(r#"<time datetime="{datetime}" data-local>{text} UTC</time>"#)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::utc_datetime;

    #[test]
    fn deltas_carry_an_explicit_sign_and_a_trend() {
        assert_eq!([signed(1), signed(-2), signed(0)], ["+1", "-2", "0"]);
        assert_eq!([trend(3), trend(-1), trend(0)], ["gain", "loss", ""]);
    }

    #[test]
    fn instants_are_carried_as_rfc3339_in_utc_without_fractions() {
        assert_eq!(iso(utc_datetime!(2026-03-14 18:30:00.123)), "2026-03-14T18:30:00Z");
    }

    #[test]
    fn local_time_renders_a_time_element_labelled_utc() {
        let views = Views::load().unwrap();
        let mut context = tera::Context::new();
        context.insert("at", "2026-03-14T18:30:00Z");
        let html = views.tera.render_str("{{ at | local_time }}", &context, true).unwrap();
        assert_eq!(html, r#"<time datetime="2026-03-14T18:30:00Z" data-local>2026-03-14 18:30 UTC</time>"#);
        context.insert("at", "<script>");
        assert!(views.tera.render_str("{{ at | local_time }}", &context, true).is_err());
    }

    #[test]
    fn static_url_names_the_hashed_file_and_refuses_unknown_names() {
        let views = Views::load().unwrap();
        let url = views.tera.render_str(r#"{{ static_url(name="app.css") }}"#, &tera::Context::new(), true).unwrap();
        assert_eq!(Some(url.as_str()), views.assets.url("app.css"));
        assert!(views.tera.render_str(r#"{{ static_url(name="nope.css") }}"#, &tera::Context::new(), true).is_err());
    }

    #[test]
    fn with_a_cdn_static_url_names_the_file_at_the_cdn_and_integrity_is_its_sha256() {
        let cdn = StaticOrigin::parse("https://cdn.example.net").unwrap();
        let views = Views::load_for(Some(&cdn)).unwrap();
        let render = |text: &str| views.tera.render_str(text, &tera::Context::new(), true).unwrap();
        let path = views.assets.url("app.js").unwrap();
        assert_eq!(render(r#"{{ static_url(name="app.js") }}"#), format!("https://cdn.example.net{path}"));
        assert_eq!(render(r#"{{ static_integrity(name="app.js") }}"#), views.assets.integrity()["app.js"]);
        assert!(
            views.tera.render_str(r#"{{ static_integrity(name="nope.js") }}"#, &tera::Context::new(), true).is_err()
        );
    }
}
