//! The client's address, as the rate limits see it: the peer address, unless the peer
//! is a trusted reverse proxy, in which case the rightmost `X-Forwarded-For` address
//! that is not itself a trusted proxy. The leftmost entry is never trusted blindly,
//! because the client writes it. The limits count an IPv6 client by its /64 network
//! (`limit_key`), since one subscriber is routinely given a whole /64.

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use tower_governor::GovernorError;
use tower_governor::key_extractor::KeyExtractor;

/// Addresses and networks whose forwarded headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

/// A trusted proxy entry is neither an address nor a CIDR.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an IP address or CIDR")]
pub struct BadProxy(pub String);

impl TrustedProxies {
    /// Parses addresses (`10.0.0.1`, `::1`) and CIDRs (`172.16.0.0/12`).
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self, BadProxy> {
        entries
            .iter()
            .map(|e| parse_cidr(e.as_ref()).ok_or_else(|| BadProxy(e.as_ref().to_owned())))
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// Whether `ip` is one of the proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|&(net, prefix)| in_network(ip, net, prefix))
    }

    /// The client behind `peer`, reading `X-Forwarded-For` only when `peer` is trusted.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        forwarded.iter().rev().copied().find(|ip| !self.contains(*ip)).or(forwarded.first().copied()).unwrap_or(peer)
    }
}

fn parse_cidr(raw: &str) -> Option<(IpAddr, u8)> {
    let raw = raw.trim();
    let (addr, prefix) = raw.split_once('/').map_or((raw, None), |(a, p)| (a, Some(p)));
    let addr: IpAddr = addr.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max)?,
        None => max,
    };
    Some((addr, prefix))
}

fn in_network(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V4(_)) => {
            ip.to_ipv4_mapped().is_some_and(|v4| in_network(IpAddr::V4(v4), net, prefix))
        }
        (IpAddr::V4(_), IpAddr::V6(_)) => false,
    }
}

/// The address a rate limit counts for `client`: an IPv4 address as it is (also when
/// written IPv4-mapped, as a dual-stack socket reports it), any other IPv6 address as
/// its /64 network. Keyed per /128, a client holding a /64 would have 2^64 budgets.
pub(crate) fn limit_key(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V4(_) => client,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u128::MAX >> 64))),
        },
    }
}

/// The rate limiter's key: the client address by the rules above, through
/// `limit_key`. A request without a peer address (only in-process tests) shares one
/// bucket.
#[derive(Debug, Clone)]
pub(crate) struct ClientIpKey(pub(crate) Arc<TrustedProxies>);

impl KeyExtractor for ClientIpKey {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| limit_key(self.0.client(peer, request.headers()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn addresses_and_cidrs_parse_and_junk_does_not() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8", "192.168.1.5", "fd00::/8"]).unwrap();
        assert!(proxies.contains(ip("10.200.3.4")));
        assert!(proxies.contains(ip("192.168.1.5")));
        assert!(!proxies.contains(ip("192.168.1.6")));
        assert!(proxies.contains(ip("fd12::1")));
        assert!(proxies.contains(ip("::ffff:10.1.2.3")));
        assert_eq!(TrustedProxies::parse(&["10.0.0.0/33"]), Err(BadProxy("10.0.0.0/33".into())));
        assert!(TrustedProxies::parse(&["proxy.local"]).is_err());
        assert!(TrustedProxies::parse(&["0.0.0.0/0"]).unwrap().contains(ip("8.8.8.8")));
    }

    fn key_of(peer: &str, forwarded_for: Option<&str>) -> IpAddr {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap();
        let mut request = Request::new(());
        if let Some(value) = forwarded_for {
            *request.headers_mut() = forwarded(value);
        }
        request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        ClientIpKey(Arc::new(proxies)).extract(&request).unwrap()
    }

    #[test]
    fn ipv6_clients_in_one_slash_64_share_a_key_and_ipv4_clients_keep_their_own() {
        let one = key_of("[2001:db8:1:2:aaaa::1]:443", None);
        assert_eq!(one, ip("2001:db8:1:2::"));
        assert_eq!(key_of("[2001:db8:1:2:ffff:ffff:ffff:ffff]:80", None), one, "same /64");
        assert_ne!(key_of("[2001:db8:1:3::1]:443", None), one, "the next /64");
        assert_eq!(key_of("10.0.0.1:80", Some("2001:db8:1:2::99")), one, "a forwarded client too");
        assert_eq!(key_of("203.0.113.9:80", None), ip("203.0.113.9"));
        assert_ne!(key_of("203.0.113.10:80", None), ip("203.0.113.9"), "IPv4 is keyed per address");
        assert_eq!(key_of("[::ffff:203.0.113.9]:80", None), ip("203.0.113.9"), "IPv4-mapped is IPv4");
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let proxies = TrustedProxies::parse(&["10.0.0.1"]).unwrap();
        assert_eq!(proxies.client(ip("203.0.113.9"), &forwarded("1.2.3.4")), ip("203.0.113.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() {
        let proxies = TrustedProxies::parse(&["10.0.0.0/8"]).unwrap();
        // The client claims to be 1.2.3.4; Traefik appended the address it saw.
        assert_eq!(proxies.client(ip("10.0.0.1"), &forwarded("1.2.3.4, 198.51.100.7")), ip("198.51.100.7"));
        assert_eq!(proxies.client(ip("10.0.0.1"), &forwarded("198.51.100.7, 10.0.0.2")), ip("198.51.100.7"));
        assert_eq!(proxies.client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
        assert_eq!(proxies.client(ip("10.0.0.1"), &forwarded("10.0.0.3")), ip("10.0.0.3"));
    }
}
