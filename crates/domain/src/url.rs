//! Map links: absolute http or https URLs only, so that a stored link can never be a
//! `javascript:` or `data:` URL that runs in a viewer's browser.

/// An absolute `http` or `https` URL to a map (edit or view link).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MapUrl(String);

/// Why a string is not a map URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapUrlError {
    /// The scheme is not http or https.
    #[error("must start with http:// or https://")]
    Scheme,
    /// Nothing after the scheme names a host.
    #[error("must name a host")]
    MissingHost,
    /// White space or a control character inside the URL.
    #[error("must not contain spaces or control characters")]
    InvalidCharacter,
    /// Longer than 2000 characters.
    #[error("must be at most 2000 characters")]
    TooLong,
}

impl MapUrl {
    /// Parses a trimmed absolute http(s) URL.
    pub fn parse(raw: &str) -> Result<Self, MapUrlError> {
        let raw = raw.trim();
        if raw.len() > 2000 {
            return Err(MapUrlError::TooLong);
        }
        let lower = raw.to_ascii_lowercase();
        let rest =
            lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).ok_or(MapUrlError::Scheme)?;
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(MapUrlError::InvalidCharacter);
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        if host.is_empty() || host.starts_with(':') {
            return Err(MapUrlError::MissingHost);
        }
        Ok(Self(raw.to_owned()))
    }

    /// Parses an optional field: blank means no link.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, MapUrlError> {
        if raw.trim().is_empty() { Ok(None) } else { Self::parse(raw).map(Some) }
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MapUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_and_https_urls_are_accepted() {
        assert!(MapUrl::parse("https://maps.example.org/altis?x=1#top").is_ok());
        assert!(MapUrl::parse("HTTP://example.org").is_ok());
    }

    #[test]
    fn script_and_data_urls_are_refused() {
        assert_eq!(MapUrl::parse("javascript:alert(1)"), Err(MapUrlError::Scheme));
        assert_eq!(MapUrl::parse("data:text/html,x"), Err(MapUrlError::Scheme));
        assert_eq!(MapUrl::parse("//example.org"), Err(MapUrlError::Scheme));
    }

    #[test]
    fn a_url_needs_a_host_and_no_spaces() {
        assert_eq!(MapUrl::parse("https://"), Err(MapUrlError::MissingHost));
        assert_eq!(MapUrl::parse("https:///path"), Err(MapUrlError::MissingHost));
        assert_eq!(MapUrl::parse("https://a b"), Err(MapUrlError::InvalidCharacter));
    }

    #[test]
    fn blank_optional_url_means_none() {
        assert_eq!(MapUrl::parse_optional("  "), Ok(None));
    }
}
