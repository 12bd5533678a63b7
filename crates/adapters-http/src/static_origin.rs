//! Where browsers fetch the static files from: this server by default, or a CDN that
//! pulls them from this server's `/static/` (a "pull" or "origin" CDN).
//!
//! Invariant: an origin is a scheme, a host and an optional port, nothing else, so it
//! can be written into URLs and the Content-Security-Policy as it is. The files keep
//! their content-hashed names and every page checks them by Subresource Integrity, so
//! a CDN can cache them for a year and cannot alter them unnoticed.

/// A CDN's origin, such as `https://cdn.example.net`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticOrigin(String);

/// Why a static origin was refused, worded for an operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an origin such as https://cdn.example.net (a scheme, a host and an optional port; no path)")]
pub struct BadOrigin(pub String);

impl StaticOrigin {
    /// Parses `https://host[:port]` (or `http://`, which only development should use).
    /// # Errors
    /// `BadOrigin` for anything else: a path, a query, credentials, a trailing slash,
    /// or a character that has no place in a host.
    pub fn parse(raw: &str) -> Result<Self, BadOrigin> {
        let bad = || BadOrigin(raw.to_owned());
        let rest = raw.strip_prefix("https://").or_else(|| raw.strip_prefix("http://")).ok_or_else(bad)?;
        let (host, port) = rest.rsplit_once(':').map_or((rest, None), |(host, port)| (host, Some(port)));
        let host_ok = !host.is_empty()
            && !host.starts_with(['.', '-'])
            && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
        let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|p| p > 0));
        if host_ok && port_ok { Ok(Self(raw.to_owned())) } else { Err(bad()) }
    }

    /// The origin as written, such as `https://cdn.example.net`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether browsers reach it over TLS.
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_is_a_scheme_a_host_and_an_optional_port() {
        for good in
            ["https://cdn.example.net", "https://cdn.example.net:8443", "http://127.0.0.1:9000", "https://a-b.c"]
        {
            assert_eq!(StaticOrigin::parse(good).map(|o| o.as_str().to_owned()), Ok(good.to_owned()), "{good}");
        }
        assert!(StaticOrigin::parse("https://cdn.example.net").unwrap().is_https());
        assert!(!StaticOrigin::parse("http://cdn.example.net").unwrap().is_https());
    }

    #[test]
    fn anything_more_or_less_is_refused() {
        for bad in [
            "",
            "cdn.example.net",
            "ftp://cdn.example.net",
            "https://",
            "https://cdn.example.net/",
            "https://cdn.example.net/static",
            "https://cdn.example.net?x=1",
            "https://user@cdn.example.net",
            "https://cdn.example.net:0",
            "https://cdn.example.net:99999",
            "https://cdn.example.net:",
            "https://cdn example.net",
            "https://cdn.example.net; script-src *",
            "https://-cdn.example.net",
            " https://cdn.example.net",
        ] {
            assert_eq!(StaticOrigin::parse(bad), Err(BadOrigin(bad.to_owned())), "{bad:?}");
        }
    }
}
