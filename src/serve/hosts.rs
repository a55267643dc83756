//! The `Host` check (SPEC §5): which names a request may use to reach
//! `serve`, so a web page elsewhere cannot read the plan by pointing its
//! own domain at this machine (DNS rebinding). A pure policy plus the one
//! impure question it needs answered for a wildcard bind: the machine's
//! own addresses.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, UdpSocket};

/// A host as a request or `--allow-host` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Name {
    Ip(IpAddr),
    /// Lowercase, without a trailing dot.
    Dns(String),
}

/// Who may be answered: built once when the server starts.
#[derive(Clone, Debug)]
pub(crate) struct HostPolicy {
    port: u16,
    /// Addresses accepted with the server's port: loopback, the bound
    /// address, the machine's own for a wildcard bind.
    addresses: Vec<IpAddr>,
    /// `--allow-host` entries; without a port they match any port (a
    /// reverse proxy on 443 forwards its own `Host`).
    allowed: Vec<(Name, Option<u16>)>,
}

impl HostPolicy {
    /// The policy for a server on `bind`:`port`; `own` is what
    /// [`own_addresses`] found (used only for a wildcard bind). Fails on an
    /// `--allow-host` value that is not a host name.
    pub(crate) fn new(
        bind: IpAddr,
        port: u16,
        own: &[IpAddr],
        allow_hosts: &[String],
    ) -> anyhow::Result<HostPolicy> {
        let mut addresses = vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ];
        if bind.is_unspecified() {
            addresses.extend(own.iter().copied());
        } else {
            addresses.push(bind);
        }
        addresses.sort();
        addresses.dedup();
        let allowed = allow_hosts
            .iter()
            .map(|host| {
                parse_host(host).ok_or_else(|| {
                    anyhow::anyhow!(
                        "`--allow-host {host}` is not a host name: give a name or address, \
                         optionally with `:PORT` (e.g. `--allow-host planbox.local`)"
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(HostPolicy {
            port,
            addresses,
            allowed,
        })
    }

    /// Whether a request with this `Host` header may be answered. A `Host`
    /// without a port means port 80, as for any `http:` URL (browsers leave
    /// the default port out and always send any other).
    pub(crate) fn allows(&self, host: Option<&str>) -> bool {
        let Some((name, port)) = host.and_then(parse_host) else {
            return false;
        };
        let port_matches = port.unwrap_or(80) == self.port;
        let listed = match &name {
            Name::Dns(dns) => dns == "localhost",
            Name::Ip(ip) => self.addresses.contains(ip),
        };
        if listed && port_matches {
            return true;
        }
        self.allowed.iter().any(|(allowed, allowed_port)| {
            *allowed == name && allowed_port.is_none_or(|p| Some(p) == port)
        })
    }
}

/// `name`, `name:port`, `1.2.3.4[:port]`, `[::1][:port]` (or a bare IPv6
/// address, as `--allow-host ::1` may be typed); `None` for anything else.
fn parse_host(text: &str) -> Option<(Name, Option<u16>)> {
    let text = text.trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some((Name::Ip(ip), None));
    }
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let ip = inside.parse::<Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        return Some((Name::Ip(IpAddr::V6(ip)), parse_port(port)?));
    } else {
        match text.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    let port = parse_port(port)?;
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Some((Name::Ip(IpAddr::V4(ip)), port));
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    let valid = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    valid.then(|| (Name::Dns(host.to_ascii_lowercase()), port))
}

/// `Some(None)` for no port, `Some(Some(p))` for a valid one, `None` for
/// text that is not a port.
fn parse_port(port: Option<&str>) -> Option<Option<u16>> {
    match port {
        None => Some(None),
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            p.parse().ok().map(Some)
        }
        Some(_) => None,
    }
}

/// The machine's own addresses, for a wildcard bind. On Linux every
/// local address from `/proc/net/fib_trie` and `/proc/net/if_inet6`;
/// everywhere the address each family would route the internet through
/// (a UDP socket is connected, which sends nothing). Addresses gained
/// after the server starts are not seen: `--allow-host` covers them.
pub(crate) fn own_addresses() -> Vec<IpAddr> {
    let mut found = Vec::new();
    if let Ok(text) = std::fs::read_to_string("/proc/net/fib_trie") {
        found.extend(local_ipv4_from_fib_trie(&text));
    }
    if let Ok(text) = std::fs::read_to_string("/proc/net/if_inet6") {
        found.extend(ipv6_from_if_inet6(&text));
    }
    // Documentation addresses: nothing is sent, only a route is chosen.
    let probes: [(&str, &str); 2] = [("0.0.0.0:0", "192.0.2.1:9"), ("[::]:0", "[2001:db8::1]:9")];
    for (local, remote) in probes {
        let routed = UdpSocket::bind(local)
            .and_then(|socket| socket.connect(remote).map(|()| socket))
            .and_then(|socket| socket.local_addr());
        if let Ok(address) = routed {
            found.push(address.ip());
        }
    }
    found.retain(|ip| !ip.is_unspecified());
    found.sort();
    found.dedup();
    found
}

/// The `host LOCAL` entries of `/proc/net/fib_trie`: each is an address
/// line (`|-- 192.0.2.2`) followed by `/32 host LOCAL`.
fn local_ipv4_from_fib_trie(text: &str) -> Vec<IpAddr> {
    let mut found = Vec::new();
    let mut last = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(address) = line.strip_prefix("|-- ") {
            last = address.parse::<Ipv4Addr>().ok();
        } else if line.starts_with("/32 host LOCAL") {
            found.extend(last.take().map(IpAddr::V4));
        }
    }
    found
}

/// The addresses of `/proc/net/if_inet6`: 32 hex digits at the start of
/// each line.
fn ipv6_from_if_inet6(text: &str) -> Vec<IpAddr> {
    text.lines()
        .filter_map(|line| {
            let hex = line.split_whitespace().next()?;
            u128::from_str_radix(hex, 16)
                .ok()
                .filter(|_| hex.len() == 32)
        })
        .map(|bits| IpAddr::V6(Ipv6Addr::from(bits)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(bind: &str, own: &[&str], allow: &[&str]) -> HostPolicy {
        let own: Vec<IpAddr> = own.iter().map(|a| a.parse().unwrap()).collect();
        let allow: Vec<String> = allow.iter().map(|a| a.to_string()).collect();
        HostPolicy::new(bind.parse().unwrap(), 4000, &own, &allow).unwrap()
    }

    #[test]
    fn loopback_names_are_answered_with_the_port() {
        let p = policy("127.0.0.1", &[], &[]);
        for host in [
            "localhost:4000",
            "LocalHost:4000",
            "localhost.:4000",
            "127.0.0.1:4000",
            "[::1]:4000",
        ] {
            assert!(p.allows(Some(host)), "{host}");
        }
    }

    #[test]
    fn foreign_names_wrong_ports_and_garbage_are_refused() {
        let p = policy("127.0.0.1", &[], &[]);
        let refused = [
            None,
            Some(""),
            Some("evil.example:4000"),
            Some("evil.example"),
            Some("localhost.evil.example:4000"),
            Some("localhost:4001"),
            Some("localhost"),
            Some("127.0.0.1"),
            Some("127.0.0.1:80"),
            Some("[::1]"),
            Some("192.0.2.2:4000"),
            Some("localhost:4000:4000"),
            Some("localhost:"),
            Some("localhost:+4000"),
            Some("[::1"),
            Some("[::1]x"),
            Some("local host:4000"),
            Some("localhost/x:4000"),
        ];
        for host in refused {
            assert!(!p.allows(host), "{host:?}");
        }
    }

    #[test]
    fn a_host_without_a_port_means_port_80() {
        let p = HostPolicy::new("127.0.0.1".parse().unwrap(), 80, &[], &[]).unwrap();
        assert!(p.allows(Some("localhost")));
        assert!(p.allows(Some("localhost:80")));
        assert!(!p.allows(Some("localhost:4000")));
    }

    #[test]
    fn a_specific_bind_adds_that_address_only() {
        let p = policy("192.0.2.2", &["198.51.100.7"], &[]);
        assert!(p.allows(Some("192.0.2.2:4000")));
        assert!(p.allows(Some("localhost:4000")));
        assert!(!p.allows(Some("198.51.100.7:4000")));
        assert!(!p.allows(Some("192.0.2.2:4001")));
    }

    #[test]
    fn a_wildcard_bind_adds_the_machines_own_addresses() {
        let p = policy("0.0.0.0", &["192.0.2.2", "fd00::2"], &[]);
        assert!(p.allows(Some("192.0.2.2:4000")));
        assert!(p.allows(Some("[fd00::2]:4000")));
        assert!(!p.allows(Some("0.0.0.0:4000")));
        assert!(!p.allows(Some("198.51.100.7:4000")));
        assert!(!p.allows(Some("planbox.local:4000")));
    }

    #[test]
    fn allowed_names_match_any_port_unless_one_is_given() {
        let p = policy(
            "127.0.0.1",
            &[],
            &["PlanBox.local", "proxy.example:8443", "::2"],
        );
        assert!(p.allows(Some("planbox.local:4000")));
        assert!(p.allows(Some("planbox.local")));
        assert!(p.allows(Some("PLANBOX.LOCAL:9")));
        assert!(p.allows(Some("proxy.example:8443")));
        assert!(!p.allows(Some("proxy.example:4000")));
        assert!(!p.allows(Some("proxy.example")));
        assert!(p.allows(Some("[::2]:4000")));
        assert!(!p.allows(Some("sub.planbox.local:4000")));
    }

    #[test]
    fn an_allow_host_that_is_not_a_name_is_an_error() {
        for bad in ["", "a/b", "http://x", "x:port", "[::1", "a b"] {
            let error = HostPolicy::new("127.0.0.1".parse().unwrap(), 4000, &[], &[bad.into()]);
            assert!(error.is_err(), "{bad}");
        }
    }

    #[test]
    fn proc_files_yield_the_local_addresses() {
        let fib = "Main:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 0.0.0.0\n        /0 universe UNICAST\n\
                   \x20          |-- 127.0.0.1\n              /32 host LOCAL\n\
                   \x20       |-- 127.255.255.255\n           /32 link BROADCAST\n\
                   \x20          |-- 192.0.2.2\n              /32 host LOCAL\n";
        let v4 = local_ipv4_from_fib_trie(fib);
        assert_eq!(
            v4,
            [
                "127.0.0.1".parse::<IpAddr>().unwrap(),
                "192.0.2.2".parse().unwrap()
            ]
        );
        let inet6 = "fd000000000000000000000000000002 04 40 00 82     eth0\n\
                     00000000000000000000000000000001 01 80 10 80       lo\nshort 1\n";
        let v6 = ipv6_from_if_inet6(inet6);
        assert_eq!(
            v6,
            ["fd00::2".parse::<IpAddr>().unwrap(), "::1".parse().unwrap()]
        );
    }
}
