//! Public pages kept while the store's revision stands: ETags and 304s, compressed
//! copies, and a write seen by the very next request.

use super::world::{World, world};
use crate::support::TestApp;
use application::missions::MissionInput;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A GET with `headers`, through the router with no cookie; answers the status, the
/// headers and the raw body bytes.
async fn raw_get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app.router().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

fn etag(headers: &HeaderMap) -> String {
    headers.get(header::ETAG).expect("an ETag").to_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_unchanged_public_page_answers_304_and_a_write_changes_it_at_once() {
    let World { app, active, .. } = world().await;
    for path in ["/", "/timeline", "/api/v1/pool", "/campaigns"] {
        let (status, headers, body) = raw_get(&app, path, &[]).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let tag = etag(&headers);
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache", "{path}: revalidated every time");
        let (again, again_headers, again_body) = raw_get(&app, path, &[]).await;
        assert_eq!((again, etag(&again_headers)), (StatusCode::OK, tag.clone()), "{path}");
        assert_eq!(again_body, body, "{path}: the kept page is the page");
        let (not_modified, headers_304, empty) = raw_get(&app, path, &[("if-none-match", &tag)]).await;
        assert_eq!(not_modified, StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(etag(&headers_304), tag);
        assert!(empty.is_empty());
    }
    let (_, headers, _) = raw_get(&app, "/", &[]).await;
    let before = etag(&headers);
    let input =
        MissionInput { name: "Operation Sudden Write".into(), status: "Planned".into(), ..MissionInput::default() };
    app.tracker().create_mission(&app.manager(), active, input).await.expect("the mission is created");
    let (status, headers, body) = raw_get(&app, "/", &[("if-none-match", &before)]).await;
    assert_eq!(status, StatusCode::OK, "the old tag no longer matches");
    assert_ne!(etag(&headers), before);
    assert!(String::from_utf8_lossy(&body).contains("Operation Sudden Write"), "the write shows at once");
}

#[tokio::test]
async fn kept_pages_are_served_compressed_as_the_client_accepts() {
    let World { app, .. } = world().await;
    let (_, plain_headers, plain) = raw_get(&app, "/", &[]).await;
    assert!(plain_headers.get(header::CONTENT_ENCODING).is_none());
    let (_, br_headers, br) = raw_get(&app, "/", &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(br_headers[header::CONTENT_ENCODING], "br");
    let mut unbrotlied = Vec::new();
    brotli::BrotliDecompress(&mut &br[..], &mut unbrotlied).unwrap();
    assert_eq!(unbrotlied, plain);
    let (_, gz_headers, gz) = raw_get(&app, "/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz_headers[header::CONTENT_ENCODING], "gzip");
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped).unwrap();
    assert_eq!(unzipped, plain);
    assert!(br.len() * 4 < plain.len(), "{} of {} bytes", br.len(), plain.len());
    let tags = [etag(&plain_headers), etag(&br_headers), etag(&gz_headers)];
    assert!(tags[0] != tags[1] && tags[1] != tags[2], "each coding has its own tag: {tags:?}");
    assert!(br_headers[header::VARY].to_str().unwrap().contains("accept-encoding"));
}

#[tokio::test]
async fn signed_in_staff_get_their_own_page_never_a_kept_one() {
    let World { app, .. } = world().await;
    let _ = raw_get(&app, "/", &[]).await;
    let manager = app.login("manager").await;
    let page = manager.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers.get(header::ETAG).is_none(), "not from the public cache");
    assert!(page.body.contains("Log out"), "the manager's own navigation: {}", page.body);
}

#[tokio::test]
async fn other_responses_are_compressed_on_the_fly() {
    let World { app, .. } = world().await;
    let (status, headers, body) = raw_get(&app, "/login", &[("accept-encoding", "gzip")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    let mut page = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut page).unwrap();
    assert!(page.contains("csrf_token"), "the login page, unzipped");
    assert!(headers.get(header::ETAG).is_none(), "a page with a session is never kept");
}

#[tokio::test]
async fn static_files_are_served_precompressed_once_not_compressed_again() {
    let World { app, .. } = world().await;
    let (_, _, page) = raw_get(&app, "/login", &[]).await;
    let page = String::from_utf8_lossy(&page).into_owned();
    let css = page.split("href=\"/static/").nth(1).and_then(|rest| rest.split('"').next()).expect("a stylesheet");
    let path = format!("/static/{css}");
    let (_, plain_headers, plain) = raw_get(&app, &path, &[]).await;
    assert!(plain_headers.get(header::CONTENT_ENCODING).is_none());
    let (status, headers, br) = raw_get(&app, &path, &[("accept-encoding", "gzip, deflate, br, zstd")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get_all(header::CONTENT_ENCODING).iter().count(), 1, "compressed once: {headers:?}");
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    let mut unbrotlied = Vec::new();
    brotli::BrotliDecompress(&mut &br[..], &mut unbrotlied).expect("one layer of brotli");
    assert_eq!(unbrotlied, plain);
}
