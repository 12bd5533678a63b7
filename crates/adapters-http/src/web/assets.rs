//! Static files (CSS, JavaScript, icons), embedded in the binary and served at
//! content-hashed URLs such as `/static/app.3f2a9c01d4e5b6a7.css`, cached for a year as
//! immutable: a changed file gets a new URL, so browsers never see a stale one. Each is
//! compressed once (gzip and brotli) when the process first needs it and served in the
//! coding the client accepts.
//!
//! Invariant: only the hashed name of a file is served; its plain name is not a URL.
//! Pages check each file by Subresource Integrity (its SHA-256), and the files may be
//! read from any origin (`Access-Control-Allow-Origin: *`: they are public), so a CDN
//! in front of `/static/` can serve them and cannot alter them unnoticed.

use super::HttpError;
use crate::AppState;
use crate::encoding::{Coding, compress};
use application::App;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rust_embed::RustEmbed;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The files under `static/`.
#[derive(RustEmbed)]
#[folder = "static/"]
struct StaticFiles;

/// One embedded file, by its hashed name, with its compressed copies.
#[derive(Debug)]
struct Asset {
    bytes: &'static [u8],
    mime: String,
    gzip: Bytes,
    brotli: Bytes,
}

impl Asset {
    /// The body in the best coding `headers` accept, and that coding. A compressed copy
    /// no smaller than the file itself (an already compressed format) is never served.
    fn body(&self, headers: &HeaderMap) -> (Bytes, Coding) {
        let copy = match Coding::negotiate(headers) {
            Coding::Brotli => Some((&self.brotli, Coding::Brotli)),
            Coding::Gzip => Some((&self.gzip, Coding::Gzip)),
            Coding::Identity => None,
        };
        match copy {
            Some((bytes, coding)) if bytes.len() < self.bytes.len() => (bytes.clone(), coding),
            _ => (Bytes::from_static(self.bytes), Coding::Identity),
        }
    }
}

/// Every static file: the path and the integrity of each plain name, and the file
/// behind each hashed name.
#[derive(Debug, Default)]
pub(crate) struct Assets {
    urls: HashMap<String, String>,
    integrity: HashMap<String, String>,
    files: HashMap<String, Asset>,
}

impl Assets {
    /// The embedded files, indexed and compressed once per process.
    pub(crate) fn load() -> &'static Self {
        static LOADED: OnceLock<Assets> = OnceLock::new();
        LOADED.get_or_init(Self::index)
    }

    /// Indexes and compresses the embedded files.
    fn index() -> Self {
        let mut assets = Self::default();
        for name in StaticFiles::iter() {
            let Some(file) = StaticFiles::get(&name) else { continue };
            let sha256 = file.metadata.sha256_hash();
            let hash = super::hex(&sha256[..8]);
            assets.integrity.insert(name.to_string(), format!("sha256-{}", STANDARD.encode(sha256)));
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
            // Writing to memory does not fail; if it ever did, the file goes uncompressed.
            let copy = |coding| compress(coding, bytes).unwrap_or_else(|_| Bytes::from_static(bytes));
            let (gzip, brotli) = (copy(Coding::Gzip), copy(Coding::Brotli));
            assets.urls.insert(name.to_string(), format!("/static/{hashed}"));
            assets.files.insert(hashed, Asset { bytes, mime, gzip, brotli });
        }
        assets
    }

    /// The URL of the file named `name` (such as `app.css`).
    #[cfg(test)]
    pub(crate) fn url(&self, name: &str) -> Option<&str> {
        self.urls.get(name).map(String::as_str)
    }

    /// Every plain name and its path, such as `/static/app.3f2a9c01d4e5b6a7.css`.
    pub(crate) fn urls(&self) -> &HashMap<String, String> {
        &self.urls
    }

    /// Every plain name and its Subresource Integrity value (`sha256-` and base64).
    pub(crate) fn integrity(&self) -> &HashMap<String, String> {
        &self.integrity
    }

    /// The response for the file with hashed name `hashed`, to a request with `headers`.
    fn response(&self, hashed: &str, headers: &HeaderMap) -> Option<Response> {
        let asset = self.files.get(hashed)?;
        let (body, coding) = asset.body(headers);
        let fixed = [
            (header::CONTENT_TYPE, asset.mime.clone()),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::VARY, "accept-encoding".to_owned()),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*".to_owned()),
        ];
        let mut response = (fixed, body).into_response();
        if coding != Coding::Identity {
            response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding.token()));
        }
        Some(response)
    }
}

/// Serves `/static/{file}` by hashed name; anything else is 404.
pub(crate) async fn serve_static<A: App>(
    State(state): State<AppState<A>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    state.views.assets.response(&file, &headers).ok_or_else(HttpError::not_found)
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
        let response = assets.response(hashed, &HeaderMap::new()).expect("served");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
        assert!(response.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
        assert!(response.headers().get(header::CONTENT_ENCODING).is_none(), "none asked, none given");
        assert!(assets.response("app.css", &HeaderMap::new()).is_none(), "the plain name is not served");
        assert!(assets.url("app.js").is_some());
    }

    #[tokio::test]
    async fn each_file_has_the_integrity_of_the_bytes_served_and_any_origin_may_read_it() {
        use sha2::Digest as _;
        let assets = Assets::load();
        for name in ["app.css", "app.js"] {
            let hashed = assets.url(name).expect("embedded").trim_start_matches("/static/").to_owned();
            let response = assets.response(&hashed, &HeaderMap::new()).expect("served");
            assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*", "a CDN's pages may check it");
            let digest = sha2::Sha256::digest(body_of(response).await);
            assert_eq!(assets.integrity()[name], format!("sha256-{}", STANDARD.encode(digest)), "{name}");
        }
    }

    async fn body_of(response: Response) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a body").to_vec()
    }

    #[tokio::test]
    async fn a_static_file_is_served_precompressed_in_the_coding_the_client_accepts() {
        let assets = Assets::load();
        let hashed = assets.url("app.css").expect("app.css").trim_start_matches("/static/").to_owned();
        let plain = body_of(assets.response(&hashed, &HeaderMap::new()).expect("served")).await;
        let accepting = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            headers
        };
        let br = assets.response(&hashed, &accepting("gzip, deflate, br")).expect("served");
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(br.headers()[header::VARY], "accept-encoding");
        let compressed = body_of(br).await;
        assert!(compressed.len() < plain.len() / 2, "{} of {} bytes", compressed.len(), plain.len());
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &compressed[..], &mut unbrotlied).expect("brotli");
        assert_eq!(unbrotlied, plain);
        let gzip = assets.response(&hashed, &accepting("gzip")).expect("served");
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        let mut unzipped = Vec::new();
        let zipped = body_of(gzip).await;
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&zipped[..]), &mut unzipped).expect("gzip");
        assert_eq!(unzipped, plain);
        assert!(std::ptr::eq(assets, Assets::load()), "compressed once per process");
    }
}
