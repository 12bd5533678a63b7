//! Error pages: every bare error response (a 4xx or 5xx without an HTML or JSON body,
//! whether from `HttpError`, the router's 404/405, the body limit's 413, a rate limit's
//! 429, a timeout or a caught panic) becomes the error page in the layout, with the
//! request id; under `/api/` it becomes the API's error body,
//! `{"error": {"code", "message", "field"}}`.
//!
//! Invariant: the page shows the status, a message safe to show and the request id,
//! never internal detail.

use super::error::{ErrorMessage, default_message};
use super::layout::Layout;
use super::{HttpError, Views};
use crate::middleware::REQUEST_ID;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;

/// The template of every error page.
pub(crate) const TEMPLATE: &str = "error.html";

/// The view of the error page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ErrorView {
    pub(crate) status: u16,
    pub(crate) heading: String,
    pub(crate) message: String,
    pub(crate) request_id: String,
}

/// The request's id, as set by the request-id layer.
pub(crate) fn request_id(request: &Request) -> String {
    request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned()
}

/// Whether `response` is an error without a body meant for the visitor.
pub(crate) fn is_bare(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || response.extensions().get::<Rendered>().is_some() {
        return false;
    }
    match response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(kind) => kind.starts_with("text/plain"),
    }
}

/// The outermost error-page layer: bare errors from anywhere inside get the public
/// layout (the session is not known out here).
pub(crate) async fn error_pages(State(views): State<Arc<Views>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let id = request_id(&request);
    let response = next.run(request).await;
    if is_bare(&response) { render(&views, response, &path, &id, Layout::anonymous(&path)) } else { response }
}

/// Replaces the body of the bare error `response` by the error page (or JSON under
/// `/api/`), keeping its status and headers (such as `Retry-After`).
pub(crate) fn render(views: &Views, response: Response, path: &str, request_id: &str, layout: Layout) -> Response {
    let status = response.status();
    let message = response.extensions().get::<ErrorMessage>().map_or(default_message(status), |m| m.0.as_str());
    let message = message.to_owned();
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    if path.starts_with("/api/") {
        let body = Json(crate::api::error_body(status, message)).into_response().into_body();
        let mut response = Response::from_parts(parts, body);
        response.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
        return response;
    }
    let heading = status.canonical_reason().unwrap_or("Error").to_owned();
    let view =
        ErrorView { status: status.as_u16(), heading: heading.clone(), message, request_id: request_id.to_owned() };
    let layout = Layout { title: heading, ..layout };
    let html = tera::Context::from_serialize(&view)
        .map_err(|e| HttpError::unexpected(std::io::Error::other(super::views::report(&e))))
        .and_then(|context| views.render(TEMPLATE, &layout, context));
    let body = match html {
        Ok(html) => Html(html).into_response().into_body(),
        Err(e) => {
            tracing::error!(error = ?e, "the error page failed to render");
            let text = format!("{} {}\nRequest id: {request_id}\n", status.as_u16(), layout.title);
            let mut response = Response::from_parts(parts, text.into());
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/plain; charset=utf-8"));
            response.extensions_mut().insert(Rendered);
            return response;
        }
    };
    let mut response = Response::from_parts(parts, body);
    response.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// Marks the text fallback of an error page that failed to render, so that outer
/// layers leave it alone.
#[derive(Debug, Clone, Copy)]
struct Rendered;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn only_errors_without_a_page_are_bare() {
        assert!(is_bare(&StatusCode::NOT_FOUND.into_response()));
        assert!(is_bare(&(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests! Wait for 3s").into_response()));
        assert!(!is_bare(&(StatusCode::UNPROCESSABLE_ENTITY, Html("<p>form</p>")).into_response()));
        assert!(!is_bare(&(StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({}))).into_response()));
        assert!(!is_bare(&StatusCode::SEE_OTHER.into_response()));
    }

    #[test]
    fn an_error_page_keeps_status_and_headers_and_shows_the_request_id() {
        let views = Views::load().unwrap();
        let response = (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "7")], "slow down").into_response();
        let page = render(&views, response, "/timeline", "req-42", Layout::anonymous("/timeline"));
        assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(page.headers()[header::RETRY_AFTER], "7");
        assert!(page.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    }

    #[test]
    fn under_the_api_an_error_is_json() {
        let views = Views::load().unwrap();
        let page = render(&views, HttpError::not_found().into_response(), "/api/v1/x", "r", Layout::anonymous("/"));
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        assert_eq!(page.headers()[header::CONTENT_TYPE], "application/json");
    }
}
