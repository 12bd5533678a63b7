//! Static files (CSS, JavaScript, icons), embedded in the binary and served at
//! content-hashed URLs such as `/static/app.3f2a9c01d4e5b6a7.css`, cached for a year as
//! immutable: a changed file gets a new URL, so browsers never see a stale one.
//!
//! Invariant: only the hashed name of a file is served; its plain name is not a URL.

use super::HttpError;
use crate::AppState;
use application::App;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use std::collections::HashMap;

/// The files under `static/`.
#[derive(RustEmbed)]
#[folder = "static/"]
struct StaticFiles;

/// One embedded file, by its hashed name.
#[derive(Debug)]
struct Asset {
    bytes: &'static [u8],
    mime: String,
}

/// Every static file: the URL of each plain name, and the file behind each hashed name.
#[derive(Debug, Default)]
pub(crate) struct Assets {
    urls: HashMap<String, String>,
    files: HashMap<String, Asset>,
}

impl Assets {
    /// Indexes the embedded files.
    pub(crate) fn load() -> Self {
        let mut assets = Self::default();
        for name in StaticFiles::iter() {
            let Some(file) = StaticFiles::get(&name) else { continue };
            let hash: String = file.metadata.sha256_hash()[..8].iter().map(|b| format!("{b:02x}")).collect();
            let hashed = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                None => format!("{name}.{hash}"),
            };
            let bytes: &'static [u8] = match file.data {
                std::borrow::Cow::Borrowed(bytes) => bytes,
                // Only when not embedded; leaked once at start-up, never per request.
                std::borrow::Cow::Owned(bytes) => Vec::leak(bytes),
            };
            let mime = file.metadata.mimetype().to_owned();
            assets.urls.insert(name.to_string(), format!("/static/{hashed}"));
            assets.files.insert(hashed, Asset { bytes, mime });
        }
        assets
    }

    /// The URL of the file named `name` (such as `app.css`).
    #[cfg(test)]
    pub(crate) fn url(&self, name: &str) -> Option<&str> {
        self.urls.get(name).map(String::as_str)
    }

    /// Every plain name and its URL.
    pub(crate) fn urls(&self) -> &HashMap<String, String> {
        &self.urls
    }

    /// The response for the file with hashed name `hashed`.
    fn response(&self, hashed: &str) -> Option<Response> {
        let asset = self.files.get(hashed)?;
        let headers = [
            (header::CONTENT_TYPE, asset.mime.clone()),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ];
        Some((headers, asset.bytes).into_response())
    }
}

/// Serves `/static/{file}` by hashed name; anything else is 404.
pub(crate) async fn serve_static<A: App>(
    State(state): State<AppState<A>>,
    Path(file): Path<String>,
) -> Result<Response, HttpError> {
    state.views.assets.response(&file).ok_or_else(HttpError::not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_static_file_gets_a_hashed_url_that_serves_it() {
        let assets = Assets::load();
        let css = assets.url("app.css").expect("app.css is embedded");
        assert!(css.starts_with("/static/app.") && css.ends_with(".css") && css.len() > "/static/app..css".len());
        let hashed = css.trim_start_matches("/static/");
        let response = assets.response(hashed).expect("served");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
        assert!(response.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
        assert!(assets.response("app.css").is_none(), "the plain name is not served");
        assert!(assets.url("app.js").is_some());
    }
}
