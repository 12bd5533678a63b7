//! Public pages from memory while the store's revision stands.
//!
//! The public pages and the API's public reads change only when something is written, and every
//! committed write raises the store's revision. An anonymous GET of a public route reads
//! the revision (one cheap statement) and then:
//! - answers `304 Not Modified` when the client's `If-None-Match` holds the ETag of this
//!   URL at this revision (nothing is rendered);
//! - else answers the bytes rendered for this URL at this revision, compressed once
//!   (gzip and brotli) when they were first rendered;
//! - else renders, keeps the result and answers it.
//!
//! Invariants:
//! - The revision is read before the page, so a kept page is never older than the
//!   revision it is kept under, and a write acknowledged to anyone is seen by the next
//!   request on any replica: the revision is in the database, not in this process.
//! - Only what is the same for every visitor is kept: GETs without the session cookie
//!   or an API token (staff see their own navigation), answered 200 without
//!   `Set-Cookie`. Everything
//!   else passes through untouched.
//! - The memory is bounded: at most `CAPACITY` URLs, each at most `MAX_BODY` bytes; when
//!   full, pages of older revisions go first, then everything.
//! - One render per URL and revision: of the requests that miss at once (a link shared
//!   after a mission, a restart under load), the first renders and compresses and the
//!   others wait for it, then answer what it kept (or, when it kept nothing, render
//!   their own). A herd of misses costs one render, not one per request.

use crate::AppState;
use crate::encoding::{Coding, compress};
use application::App;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The most URLs kept (each filter of the dashboard is a URL of its own).
const CAPACITY: usize = 256;
/// The largest page kept, uncompressed.
const MAX_BODY: usize = 4 * 1024 * 1024;
/// The longest URL kept (path and query).
const MAX_KEY: usize = 512;

/// One URL's page at one revision, in every coding.
#[derive(Debug)]
struct Kept {
    revision: u64,
    content_type: HeaderValue,
    /// A download's `Content-Disposition` (its file name), kept with it.
    disposition: Option<HeaderValue>,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl Kept {
    fn body(&self, coding: Coding) -> Bytes {
        match coding {
            Coding::Identity => self.identity.clone(),
            Coding::Gzip => self.gzip.clone(),
            Coding::Brotli => self.brotli.clone(),
        }
    }
}

/// The kept pages, shared by every request of this process.
#[derive(Debug, Default)]
pub(crate) struct PublicCache {
    pages: Mutex<HashMap<String, Arc<Kept>>>,
    /// The URLs (at a revision) being rendered now, each with the channel its waiters
    /// hold: the renderer's `Filling` drops the sender when it is done (or cancelled).
    filling: Mutex<HashMap<(String, u64), tokio::sync::watch::Sender<()>>>,
}

/// The right to render `key` at `revision` for everyone who misses it meanwhile; dropped
/// when the render is kept (or abandoned), which wakes the waiters.
struct Filling<'c> {
    cache: &'c PublicCache,
    key: (String, u64),
}

impl Drop for Filling<'_> {
    fn drop(&mut self) {
        let mut filling = self.cache.filling.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        filling.remove(&self.key);
    }
}

/// What a request that missed the cache does.
enum Miss<'c> {
    /// Render, keep, then drop the `Filling`.
    Render(Filling<'c>),
    /// Another request is rendering this URL: wait for it.
    Wait(tokio::sync::watch::Receiver<()>),
}

impl PublicCache {
    /// Renders `key` at `revision` or waits for the request already rendering it.
    fn miss(&self, key: &str, revision: u64) -> Miss<'_> {
        let mut filling = self.filling.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let id = (key.to_owned(), revision);
        if let Some(sender) = filling.get(&id) {
            return Miss::Wait(sender.subscribe());
        }
        filling.insert(id.clone(), tokio::sync::watch::channel(()).0);
        Miss::Render(Filling { cache: self, key: id })
    }

    fn get(&self, key: &str, revision: u64) -> Option<Arc<Kept>> {
        let pages = self.pages.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        pages.get(key).filter(|kept| kept.revision == revision).cloned()
    }

    fn put(&self, key: String, kept: Arc<Kept>) {
        let mut pages = self.pages.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if pages.len() >= CAPACITY && !pages.contains_key(&key) {
            let current = kept.revision;
            pages.retain(|_, page| page.revision >= current);
            if pages.len() >= CAPACITY {
                pages.clear();
            }
        }
        // A page rendered at an older revision never replaces a newer one.
        if pages.get(&key).is_none_or(|old| old.revision <= kept.revision) {
            pages.insert(key, kept);
        }
    }
}

/// The strong ETag of `key` at `revision` in `coding` (each coding is its own
/// representation, so each has its own tag).
fn etag(revision: u64, key: &str, coding: Coding) -> String {
    // FNV-1a: stable across processes and replicas, unlike the std hasher.
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("\"{revision:x}-{hash:016x}-{}\"", coding.token())
}

fn matches(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == tag || t == "*")
}

/// The headers every answer of this layer carries.
fn validators(response: &mut Response, tag: &str) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(tag) {
        headers.insert(header::ETAG, value);
    }
    // Revalidate every time (a 304 costs one revision read): never serve a stale page.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding, cookie"));
}

fn answer(kept: &Kept, coding: Coding, tag: &str, head_only: bool) -> Response {
    let body = if head_only { Body::empty() } else { Body::from(kept.body(coding)) };
    let mut response = Response::new(body);
    response.headers_mut().insert(header::CONTENT_TYPE, kept.content_type.clone());
    if let Some(disposition) = &kept.disposition {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, disposition.clone());
    }
    if coding != Coding::Identity {
        response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding.token()));
    }
    validators(&mut response, tag);
    response
}

/// Whether `request` may be answered from the cache: a GET or HEAD without the
/// session cookie, of a URL short enough to keep.
fn cacheable(request: &Request, session_cookie: &str) -> bool {
    let method = request.method();
    let anonymous = !request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| pair.trim().split('=').next() == Some(session_cookie));
    (method == Method::GET || method == Method::HEAD)
        && anonymous
        && !request.headers().contains_key(header::AUTHORIZATION)
        && request.uri().path_and_query().is_some_and(|pq| pq.as_str().len() <= MAX_KEY)
}

/// The layer's middleware (see the module documentation).
pub(crate) async fn serve<A: App>(State(state): State<AppState<A>>, request: Request, next: Next) -> Response {
    if !cacheable(&request, &state.settings.session_cookie_name) {
        return next.run(request).await;
    }
    let Ok(revision) = state.tracker.public_revision().await else {
        return next.run(request).await;
    };
    let key = request.uri().path_and_query().map(ToString::to_string).unwrap_or_default();
    let coding = Coding::negotiate(request.headers());
    let tag = etag(revision, &key, coding);
    let head_only = request.method() == Method::HEAD;
    if matches(request.headers(), &tag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        validators(&mut response, &tag);
        metrics::counter!("public_cache_total", "outcome" => "not_modified").increment(1);
        return response;
    }
    if let Some(kept) = state.cache.get(&key, revision) {
        metrics::counter!("public_cache_total", "outcome" => "hit").increment(1);
        return answer(&kept, coding, &tag, head_only);
    }
    let _filling = match state.cache.miss(&key, revision) {
        Miss::Render(filling) => filling,
        Miss::Wait(mut done) => {
            // The sender is never written to: this returns when the renderer is done.
            let _ = done.changed().await;
            if let Some(kept) = state.cache.get(&key, revision) {
                metrics::counter!("public_cache_total", "outcome" => "waited").increment(1);
                return answer(&kept, coding, &tag, head_only);
            }
            return next.run(request).await;
        }
    };
    let response = next.run(request).await;
    let keepable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response.headers().contains_key(header::CONTENT_ENCODING);
    let Some(content_type) = response.headers().get(header::CONTENT_TYPE).cloned().filter(|_| keepable) else {
        return response;
    };
    let disposition = response.headers().get(header::CONTENT_DISPOSITION).cloned();
    let (parts, body) = response.into_parts();
    let Ok(bytes) = http_body_util::Limited::new(body, MAX_BODY).collect().await.map(|b| b.to_bytes()) else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be read").into_response();
    };
    // Compressing is CPU work: off the request threads, once per page and revision.
    let page = bytes.clone();
    let compressed =
        tokio::task::spawn_blocking(move || (compress(Coding::Gzip, &page), compress(Coding::Brotli, &page)));
    let kept = match compressed.await {
        Ok((Ok(gzip), Ok(brotli))) => {
            Arc::new(Kept { revision, content_type, disposition, identity: bytes, gzip, brotli })
        }
        _ => return Response::from_parts(parts, Body::from(bytes)),
    };
    metrics::counter!("public_cache_total", "outcome" => "miss").increment(1);
    state.cache.put(key, Arc::clone(&kept));
    let mut response = answer(&kept, coding, &tag, head_only);
    for (name, value) in &parts.headers {
        if !response.headers().contains_key(name) && name != header::CONTENT_LENGTH {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_differ_by_revision_url_and_coding_and_are_stable() {
        let tag = etag(7, "/timeline?page=2", Coding::Gzip);
        assert_eq!(tag, etag(7, "/timeline?page=2", Coding::Gzip));
        assert_ne!(tag, etag(8, "/timeline?page=2", Coding::Gzip));
        assert_ne!(tag, etag(7, "/timeline?page=3", Coding::Gzip));
        assert_ne!(tag, etag(7, "/timeline?page=2", Coding::Brotli));
        assert!(tag.starts_with("\"7-") && tag.ends_with("-gzip\""), "{tag}");
    }

    #[tokio::test]
    async fn of_the_requests_that_miss_at_once_one_renders_and_the_others_wait_for_it() {
        let cache = PublicCache::default();
        let Miss::Render(filling) = cache.miss("/", 3) else { panic!("the first miss renders") };
        let Miss::Wait(mut waiter) = cache.miss("/", 3) else { panic!("a second miss waits") };
        assert!(matches!(cache.miss("/", 4), Miss::Render(_)), "another revision is another render");
        assert!(matches!(cache.miss("/timeline", 3), Miss::Render(_)), "another URL is another render");
        let waited = tokio::spawn(async move { waiter.changed().await });
        tokio::task::yield_now().await;
        assert!(!waited.is_finished(), "the waiter waits while the page is rendered");
        drop(filling);
        let woken = tokio::time::timeout(std::time::Duration::from_secs(5), waited).await;
        assert!(woken.is_ok(), "the waiter wakes when the renderer is done");
        assert!(matches!(cache.miss("/", 3), Miss::Render(_)), "after it, a miss renders again");
    }

    #[test]
    fn the_cache_stays_bounded_and_never_goes_back_in_revision() {
        let cache = PublicCache::default();
        let kept = |revision| {
            Arc::new(Kept {
                revision,
                content_type: HeaderValue::from_static("text/html"),
                disposition: None,
                identity: Bytes::new(),
                gzip: Bytes::new(),
                brotli: Bytes::new(),
            })
        };
        for i in 0..CAPACITY * 3 {
            cache.put(format!("/?q={i}"), kept(1));
        }
        assert!(cache.pages.lock().unwrap().len() <= CAPACITY);
        cache.put("/".into(), kept(5));
        cache.put("/".into(), kept(4));
        assert!(cache.get("/", 5).is_some(), "an older render does not replace a newer one");
        assert!(cache.get("/", 4).is_none());
    }
}
