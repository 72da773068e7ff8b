"""Refuse webhook URLs that reach inside: loopback, private, link-local, multicast, reserved,
cloud metadata, in every spelling (the host is resolved, and each address checked)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit


class UrlRefused(ValueError):
    """The URL may not receive webhooks; the message says why."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the address the connection must go to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return not address.is_global or address.is_multicast or address.is_reserved or address.is_link_local


def check_url(url: str, allow_http: bool, allow_hosts: frozenset[str]) -> Target:
    """Parse, resolve and check ``url``; raise :class:`UrlRefused` with the reason."""
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
    try:
        found = {str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError) as exc:
        raise UrlRefused(f"the host {host} does not resolve") from exc
    addresses = sorted(found, key=lambda a: ":" in a)  # IPv4 first
    allowed = host in allow_hosts or bool(allow_hosts & set(addresses))
    if not allowed:
        for address in addresses:
            if internal(ipaddress.ip_address(address.split("%")[0])):
                raise UrlRefused(f"the host {host} resolves to an internal address ({address})")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses[0])
