//! Keeps the database password out of every error and log line: URLs are shown with
//! the password replaced by `***`, and driver messages are scrubbed of it.

const MASK: &str = "***";

/// Where the authority (`user:password@host:port`) of the URL after `scheme://` ends.
/// The user information runs to the last `@` before any query, so that a password
/// holding an unencoded `/` or `@` is still taken whole.
fn authority_end(rest: &str) -> usize {
    let before_query = rest.find(['?', '#']).unwrap_or(rest.len());
    let host_start = rest[..before_query].rfind('@').map_or(0, |at| at + 1);
    host_start + rest[host_start..].find(['/', '?', '#']).unwrap_or(rest.len() - host_start)
}

/// The URL with its password (in the user info or a `password=` query parameter)
/// replaced by `***`, fit for logs and error messages. A SQLite URL without an
/// authority (`sqlite::memory:`, `sqlite:tracker.db`) carries no credentials and is
/// shown as it is; any other string that is not a URL is not shown at all.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        if url.starts_with("sqlite:") && !url.contains('@') {
            return url.to_owned();
        }
        return "[unreadable database URL]".to_owned();
    };
    let (authority, tail) = rest.split_at(authority_end(rest));
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:{MASK}@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let (query, fragment) = match query.split_once('#') {
                Some((q, f)) => (q, Some(f)),
                None => (query, None),
            };
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                        format!("{key}={MASK}")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
            format!("{path}?{}{fragment}", query.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// `text` with every form of the password found in `url` (as written and
/// percent-decoded) replaced by `***`, in case a driver message repeats it.
pub fn scrub(text: &str, url: &str) -> String {
    let mut out = text.replace(url, &redact_url(url));
    for secret in passwords(url) {
        for form in [percent_decode(&secret), secret] {
            if !form.is_empty() {
                out = out.replace(&form, MASK);
            }
        }
    }
    out
}

/// The passwords written in the URL: in the user info and in `password=` parameters.
fn passwords(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Some((_, rest)) = url.split_once("://") else {
        return found;
    };
    let (authority, tail) = rest.split_at(authority_end(rest));
    if let Some((userinfo, _)) = authority.rsplit_once('@')
        && let Some((_, password)) = userinfo.split_once(':')
    {
        found.push(password.to_owned());
    }
    if let Some((_, query)) = tail.split_once('?') {
        let query = query.split('#').next().unwrap_or_default();
        for pair in query.split('&') {
            if let Some((key, value)) = pair.split_once('=')
                && key.eq_ignore_ascii_case("password")
            {
                found.push(value.to_owned());
            }
        }
    }
    found
}

/// Decodes `%XX` escapes (and nothing else); invalid escapes are kept as written.
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_in_the_user_info_is_masked() {
        assert_eq!(
            redact_url("postgres://app:s3cr%40t@db.internal:5432/tracker?sslmode=require"),
            "postgres://app:***@db.internal:5432/tracker?sslmode=require"
        );
    }

    #[test]
    fn a_password_holding_a_slash_or_an_at_sign_is_masked_whole() {
        assert_eq!(redact_url("postgres://a:p/ss@db/x"), "postgres://a:***@db/x");
        assert_eq!(
            redact_url("postgres://a:p@ss@db/x?application_name=x@y"),
            "postgres://a:***@db/x?application_name=x@y"
        );
        assert!(!scrub("failed: p/ss", "postgres://a:p/ss@db/x").contains("p/ss"));
    }

    #[test]
    fn a_password_query_parameter_is_masked() {
        assert_eq!(
            redact_url("postgres://db/tracker?user=app&Password=hunter2&sslmode=disable"),
            "postgres://db/tracker?user=app&Password=***&sslmode=disable"
        );
    }

    #[test]
    fn urls_without_a_password_are_shown_as_they_are() {
        let url = "postgres://postgres@127.0.0.1:5432/postgres";
        assert_eq!(redact_url(url), url);
    }

    #[test]
    fn a_string_that_is_not_a_url_is_not_shown() {
        assert_eq!(redact_url("host=db password=hunter2"), "[unreadable database URL]");
    }

    #[test]
    fn sqlite_urls_carry_no_password_and_are_shown_as_they_are() {
        for url in ["sqlite::memory:", "sqlite:data/tracker.db", "sqlite://data/tracker.db?mode=rwc"] {
            assert_eq!(redact_url(url), url);
        }
    }

    #[test]
    fn scrubbing_removes_the_password_in_every_form() {
        let url = "postgres://app:s3cr%40t@db/tracker";
        let text = format!("failed for {url}: password s3cr@t rejected, s3cr%40t");
        let scrubbed = scrub(&text, url);
        assert!(!scrubbed.contains("s3cr"), "{scrubbed}");
        assert!(scrubbed.contains("postgres://app:***@db/tracker"), "{scrubbed}");
    }
}
