"""Refuse webhook URLs that reach inside: loopback, private, link-local, multicast, reserved,
shared, cloud metadata, in every spelling, IPv6 transition forms included.

The host is resolved and every address checked. An address is allowed when it is public
(the standard library's ``is_global``, with the explicit rules below for IPv6 forms that
carry an IPv4 address) or inside an address or network of the allow-list. A host name in
the allow-list allows the addresses that name resolves to (its DNS is trusted). Any other
host is refused if one of its addresses is not allowed, so one name never mixes a checked
address with an unchecked one; the connection then goes to one of the checked addresses.

No maintained library covers these rules better than :mod:`ipaddress` with the explicit
transition rules here (PyPI's SSRF packages are unmaintained or wrap an HTTP client).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: where the IPv4 sits is the operator's choice
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # RFC 4291, deprecated: ::a.b.c.d
TEREDO = ipaddress.IPv6Network("2001::/32")  # RFC 4380: carries a server and a client IPv4 address
REFUSED_V6 = (NAT64_LOCAL, IPV4_COMPATIBLE, TEREDO)  # refused whole, whatever IPv4 they carry


class UrlRefused(ValueError):
    """The URL may not receive webhooks; the message says why."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the addresses the connection may go to (each one checked), in order."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]

    @property
    def address(self) -> str:
        return self.addresses[0]


@dataclass(frozen=True)
class AllowList:
    """``GRADER_WEBHOOK_ALLOW_HOSTS``: addresses and networks (``10.1.2.3``, ``fd00::/8``) and host names."""

    names: frozenset[str]
    networks: tuple[Network, ...]

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        names, networks = set(), []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                names.add(entry.lower().rstrip("."))
        return cls(frozenset(names), tuple(networks))

    def allows(self, address: Address) -> bool:
        """Whether an address or network entry holds ``address`` (an IPv4-mapped one as its IPv4)."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address.version == n.version and address in n for n in self.networks)


def internal(address: Address) -> bool:
    """True for any address a webhook must not reach, however it is spelled."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return internal(address.ipv4_mapped)  # ::ffff:127.0.0.1 is 127.0.0.1
        if address in NAT64:  # 64:ff9b::a9fe:a9fe reaches 169.254.169.254 through the NAT64 gateway
            return internal(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if any(address in network for network in REFUSED_V6):
            return True
        if address.sixtofour is not None and internal(address.sixtofour):
            return True  # 2002:7f00:1:: is 6to4 of 127.0.0.1
    return not address.is_global or address.is_multicast or address.is_reserved or address.is_link_local


def check_url(url: str, allow_http: bool, allow_hosts: frozenset[str] | AllowList) -> Target:
    """Parse, resolve and check ``url``; raise :class:`UrlRefused` with the reason."""
    allow = allow_hosts if isinstance(allow_hosts, AllowList) else AllowList.parse(allow_hosts)
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UrlRefused(f"not a valid URL: {exc}") from exc
    if parts.scheme != "https" and not (parts.scheme == "http" and allow_http):
        raise UrlRefused("the URL must use https")
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        raise UrlRefused("the URL needs a host and no user or password")
    addresses = resolve(host, port)
    if host.rstrip(".") not in allow.names:
        for address in addresses:
            if internal(ipaddress.ip_address(address)) and not allow.allows(ipaddress.ip_address(address)):
                raise UrlRefused(f"the host {host} resolves to an internal address ({address})")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, tuple(addresses))


def resolve(host: str, port: int) -> list[str]:
    """Every address of ``host``, IPv4 first, without scope ids; :class:`UrlRefused` if none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:
        raise UrlRefused(f"the host {host[:100]} does not resolve") from exc
    found: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%")[0]
        if address not in found:
            found.append(address)
    if not found:
        raise UrlRefused(f"the host {host[:100]} does not resolve")
    return sorted(found, key=lambda a: ":" in a)
