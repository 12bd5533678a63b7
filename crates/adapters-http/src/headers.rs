//! The security headers every response carries (pages, JSON, static files, error pages,
//! redirects, probes), set outermost so that nothing inside can forget them.
//!
//! Invariants: the Content-Security-Policy allows no inline script or style (the
//! templates have none; a test renders every template and checks), and frames nothing;
//! HSTS is sent outside development only (a laptop's plain-HTTP `cargo run` must not
//! pin `localhost` to HTTPS); a header a handler set itself is kept.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy: our own origin only, no inline code, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Browser features the tracker never uses, denied to every page.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), \
     magnetometer=(), microphone=(), payment=(), usb=()";

/// HTTPS only, for a year, subdomains included.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// The headers, each with its value.
fn headers(hsts: bool) -> Vec<(HeaderName, &'static str)> {
    let mut all = vec![
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    ];
    if hsts {
        all.push((header::STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY));
    }
    all
}

/// Adds the security headers to every response of `routes`.
pub(crate) fn secured(routes: Router, hsts: bool) -> Router {
    headers(hsts).into_iter().fold(routes, |routes, (name, value)| {
        routes.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)))
    })
}
