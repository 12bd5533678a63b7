//! The security headers every response carries (pages, JSON, static files, error pages,
//! redirects, probes), set outermost so that nothing inside can forget them.
//!
//! Invariants: the Content-Security-Policy allows no inline script or style (the
//! templates have none; a test renders every template and checks), and frames nothing;
//! HSTS is sent outside development only (a laptop's plain-HTTP `cargo run` must not
//! pin `localhost` to HTTPS); a header a handler set itself is kept.

use crate::StaticOrigin;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy: our own origin only, no inline code, no framing.
/// [`content_security_policy`] adds a CDN's origin for the static files.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Browser features the tracker never uses, denied to every page.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), \
     magnetometer=(), microphone=(), payment=(), usb=()";

/// HTTPS only, for a year, subdomains included.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// The Content-Security-Policy when the static files come from `static_origin`: the
/// script, style and image sources allow that origin besides our own.
pub fn content_security_policy(static_origin: Option<&StaticOrigin>) -> String {
    let Some(origin) = static_origin else { return CONTENT_SECURITY_POLICY.to_owned() };
    let origin = origin.as_str();
    CONTENT_SECURITY_POLICY
        .replace("script-src 'self'", &format!("script-src 'self' {origin}"))
        .replace("style-src 'self'", &format!("style-src 'self' {origin}"))
        .replace("img-src 'self'", &format!("img-src 'self' {origin}"))
}

/// The headers, each with its value.
fn headers(hsts: bool, static_origin: Option<&StaticOrigin>) -> Vec<(HeaderName, HeaderValue)> {
    let csp = HeaderValue::from_str(&content_security_policy(static_origin))
        // A parsed origin holds no character a header refuses; the plain policy otherwise.
        .unwrap_or(HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    let mut all = vec![
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")),
        (HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS_POLICY)),
        (HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")),
    ];
    if hsts {
        all.push((header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(STRICT_TRANSPORT_SECURITY)));
    }
    all
}

/// Adds the security headers to every response of `routes`.
pub(crate) fn secured(routes: Router, hsts: bool, static_origin: Option<&StaticOrigin>) -> Router {
    headers(hsts, static_origin)
        .into_iter()
        .fold(routes, |routes, (name, value)| routes.layer(SetResponseHeaderLayer::if_not_present(name, value)))
}
