//! Content codings: which one a client accepts (`Accept-Encoding`), and compressing a
//! body once into it. Used for what is compressed once and served many times: the kept
//! public pages and the static files. (Responses made per request are compressed by
//! the middleware's compression layer.)

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use std::io::Write as _;

/// Brotli quality for bodies compressed once and served many times.
const BROTLI_QUALITY: i32 = 6;

/// The content codings a body is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coding {
    /// As it is.
    Identity,
    /// gzip.
    Gzip,
    /// brotli.
    Brotli,
}

impl Coding {
    /// The coding's name in `Content-Encoding`.
    pub(crate) fn token(self) -> &'static str {
        match self {
            Coding::Identity => "identity",
            Coding::Gzip => "gzip",
            Coding::Brotli => "br",
        }
    }

    /// The best coding the client accepts: brotli, then gzip, then none. A coding with
    /// `q=0` is refused.
    pub(crate) fn negotiate(headers: &HeaderMap) -> Self {
        let accepted: Vec<(String, bool)> = headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|item| {
                let mut parts = item.split(';').map(str::trim);
                let coding = parts.next().unwrap_or_default().to_ascii_lowercase();
                let refused = parts.any(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0));
                (coding, !refused)
            })
            .collect();
        let accepts = |name: &str| accepted.iter().any(|(coding, ok)| *ok && (coding == name || coding == "*"));
        if accepts("br") {
            Coding::Brotli
        } else if accepts("gzip") {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }
}

/// `bytes` in `coding`.
///
/// # Errors
/// The encoder's, which writing to memory does not produce in practice.
pub(crate) fn compress(coding: Coding, bytes: &[u8]) -> std::io::Result<Bytes> {
    Ok(match coding {
        Coding::Identity => Bytes::copy_from_slice(bytes),
        Coding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
            encoder.write_all(bytes)?;
            Bytes::from(encoder.finish()?)
        }
        Coding::Brotli => {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams { quality: BROTLI_QUALITY, ..Default::default() };
            brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
            Bytes::from(out)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(accept).unwrap());
        h
    }

    #[test]
    fn the_best_accepted_coding_is_chosen_and_q_zero_refuses() {
        assert_eq!(Coding::negotiate(&headers("gzip, deflate, br, zstd")), Coding::Brotli);
        assert_eq!(Coding::negotiate(&headers("gzip")), Coding::Gzip);
        assert_eq!(Coding::negotiate(&headers("br;q=0, gzip;q=0.5")), Coding::Gzip);
        assert_eq!(Coding::negotiate(&headers("identity")), Coding::Identity);
        assert_eq!(Coding::negotiate(&HeaderMap::new()), Coding::Identity);
        assert_eq!(Coding::negotiate(&headers("*")), Coding::Brotli);
    }

    #[test]
    fn compressed_copies_decompress_to_the_page() {
        let page = "<html>".repeat(1000);
        let gzip = compress(Coding::Gzip, page.as_bytes()).unwrap();
        let mut unzipped = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzip[..]), &mut unzipped).unwrap();
        assert_eq!(unzipped, page);
        let brotli = compress(Coding::Brotli, page.as_bytes()).unwrap();
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &brotli[..], &mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, page.as_bytes());
        assert!(gzip.len() < page.len() / 10 && brotli.len() < page.len() / 10);
    }
}
