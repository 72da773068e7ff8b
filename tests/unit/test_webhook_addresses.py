"""Webhook URLs: internal addresses refused in every spelling; signatures verify with the standard library."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from grader.webhooks.addresses import AllowList, UrlRefused, check_url
from grader.webhooks.signing import headers, new_secret

NONE: frozenset[str] = frozenset()

REFUSED = [
    ("http://93.184.216.34/hook", "must use https"),
    ("ftp://93.184.216.34/hook", "must use https"),
    ("https://127.0.0.1/hook", "internal address"),
    ("https://localhost/hook", "internal address"),
    ("https://2130706433/hook", "internal address"),          # 127.0.0.1 as one decimal number
    ("https://0x7f000001/hook", "internal address"),          # hexadecimal
    ("https://0x7f.0.0.1/hook", "internal address"),
    ("https://017700000001/hook", "internal address"),        # octal
    ("https://0177.0.0.01/hook", "internal address"),
    ("https://127.1/hook", "internal address"),               # short form
    ("https://[::1]/hook", "internal address"),
    ("https://[::ffff:127.0.0.1]/hook", "internal address"),  # IPv4-mapped IPv6
    ("https://[::ffff:7f00:1]/hook", "internal address"),
    ("https://[::ffff:a9fe:a9fe]/hook", "internal address"),  # mapped metadata address
    ("https://169.254.169.254/latest/meta-data", "internal address"),  # cloud metadata
    ("https://[fd00:ec2::254]/", "internal address"),         # AWS metadata over IPv6
    ("https://100.100.100.200/", "internal address"),         # Alibaba metadata (shared space)
    ("https://10.0.0.1/hook", "internal address"),
    ("https://172.16.5.4/hook", "internal address"),
    ("https://192.168.1.1/hook", "internal address"),
    ("https://[fe80::1]/hook", "internal address"),
    ("https://224.0.0.1/hook", "internal address"),           # multicast
    ("https://240.0.0.1/hook", "internal address"),           # reserved
    ("https://0.0.0.0/hook", "internal address"),
    ("https://255.255.255.255/hook", "internal address"),
    # IPv6 transition forms that carry an internal IPv4 address
    ("https://[2002:7f00:1::]/hook", "internal address"),              # 6to4 of 127.0.0.1
    ("https://[2002:a9fe:a9fe::1]/hook", "internal address"),          # 6to4 of 169.254.169.254
    ("https://[2002:0a00:0001::]/hook", "internal address"),           # 6to4 of 10.0.0.1
    ("https://[64:ff9b::7f00:1]/hook", "internal address"),            # NAT64 of 127.0.0.1
    ("https://[64:ff9b::169.254.169.254]/hook", "internal address"),   # NAT64 of the metadata address
    ("https://[64:ff9b:1::5db8:d822]/hook", "internal address"),       # local-use NAT64: refused whole
    ("https://[2001:0:5db8:d822::]/hook", "internal address"),         # Teredo (server 93.184.216.34)
    ("https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook", "internal address"),  # Teredo, client 127.0.0.1
    ("https://[::127.0.0.1]/hook", "internal address"),                # IPv4-compatible
    ("https://[::93.184.216.34]/hook", "internal address"),            # IPv4-compatible (deprecated: all)
    ("https://[::ffff:0:a9fe:a9fe]/hook", "internal address"),         # IPv4-translated (RFC 2765)
    ("https://[2001:db8::1]/hook", "internal address"),                # documentation
    ("https://[fc00::1]/hook", "internal address"),                    # unique local
    ("https://user:pw@93.184.216.34/hook", "no user or password"),
    ("https:///hook", "needs a host"),
    ("https://93.184.216.34:99999/hook", "not a valid URL"),
    ("not a url", "must use https"),
]


@pytest.mark.parametrize("url,words", REFUSED, ids=[u for u, _ in REFUSED])
def test_refused(url: str, words: str) -> None:
    with pytest.raises(UrlRefused, match=words):
        check_url(url, allow_http=False, allow_hosts=NONE)


def test_public_addresses_and_the_allow_list() -> None:
    target = check_url("https://93.184.216.34:8443/hook?x=1", allow_http=False, allow_hosts=NONE)
    assert (target.host, target.port, target.path, target.address) == ("93.184.216.34", 8443, "/hook?x=1",
                                                                       "93.184.216.34")
    allowed = check_url("http://127.0.0.1:9000/in", allow_http=True, allow_hosts=frozenset({"127.0.0.1"}))
    assert allowed.address == "127.0.0.1" and allowed.scheme == "http"
    with pytest.raises(UrlRefused, match="must use https"):
        check_url("http://127.0.0.1:9000/in", allow_http=False, allow_hosts=frozenset({"127.0.0.1"}))


ACCEPTED = [
    "https://[2002:5db8:d822::1]/hook",   # 6to4 of a public address
    "https://[64:ff9b::5db8:d822]/hook",  # NAT64 of a public address
    "https://[2606:4700::1111]/hook",      # plain public IPv6
    "https://[::ffff:93.184.216.34]/hook",  # IPv4-mapped public address
]


@pytest.mark.parametrize("url", ACCEPTED)
def test_public_transition_forms_are_accepted(url: str) -> None:
    target = check_url(url, allow_http=False, allow_hosts=NONE)
    assert target.addresses and target.address == target.addresses[0]


def fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> None:
    """Host names resolve from ``table``; addresses resolve as themselves (as the system resolver does)."""
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in table:
            return real(host, port, *args, **kwargs)
        family = {False: socket.AF_INET, True: socket.AF_INET6}
        return [(family[":" in a], socket.SOCK_STREAM, 6, "", (a, port)) for a in table[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_an_address_entry_allows_exactly_that_address(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"mixed.test": ["10.9.9.9", "127.0.0.1"], "pinned.test": ["127.0.0.1", "::1"],
                           "public.test": ["93.184.216.34", "10.0.0.1"]})
    allow = frozenset({"127.0.0.1"})
    # A name with an allowed and a non-allowed address is refused, naming the other one: never sent there.
    with pytest.raises(UrlRefused, match=r"internal address \(10\.9\.9\.9\)"):
        check_url("http://mixed.test/in", allow_http=True, allow_hosts=allow)
    with pytest.raises(UrlRefused, match=r"internal address \(::1\)"):
        check_url("http://pinned.test/in", allow_http=True, allow_hosts=allow)
    with pytest.raises(UrlRefused, match=r"internal address \(10\.0\.0\.1\)"):
        check_url("https://public.test/in", allow_http=False, allow_hosts=NONE)
    # Listing both addresses (or a network holding them) allows the name; the connection goes to those only.
    both = check_url("http://pinned.test/in", allow_http=True, allow_hosts=frozenset({"127.0.0.1", "::1"}))
    assert both.addresses == ("127.0.0.1", "::1")
    net = check_url("http://mixed.test/in", allow_http=True, allow_hosts=frozenset({"10.0.0.0/8", "127.0.0.0/8"}))
    assert net.addresses == ("10.9.9.9", "127.0.0.1")
    # A mapped spelling of a listed address is that address.
    assert check_url("http://[::ffff:127.0.0.1]/", allow_http=True, allow_hosts=allow).address == "::ffff:127.0.0.1"


def test_a_host_name_entry_trusts_that_name_only(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(monkeypatch, {"lms.internal": ["10.1.2.3", "10.1.2.4"], "other.test": ["10.1.2.3"]})
    allow = frozenset({"lms.internal"})
    target = check_url("https://LMS.internal/events", allow_http=False, allow_hosts=allow)
    assert target.addresses == ("10.1.2.3", "10.1.2.4") and target.host == "lms.internal"
    with pytest.raises(UrlRefused, match="internal address"):
        check_url("https://other.test/events", allow_http=False, allow_hosts=allow)  # same address, other name


def test_allow_list_entries() -> None:
    allow = AllowList.parse(["127.0.0.1", "[::1]", "10.0.0.0/8", "Hooks.Example.", "fd00::/8"])
    assert allow.names == frozenset({"hooks.example"})
    assert [str(n) for n in allow.networks] == ["127.0.0.1/32", "::1/128", "10.0.0.0/8", "fd00::/8"]


def test_signatures_verify_with_the_standard_webhooks_library() -> None:
    old, new = new_secret(), new_secret()
    assert new.startswith("whsec_") and len(new) >= len("whsec_") + 44
    body = json.dumps({"type": "submission.completed", "data": {"id": "x"}})
    now = int(__import__("time").time())
    signed = headers([new, old], "msg_1", now, body)
    assert signed["webhook-signature"].count("v1,") == 2
    for secret in (new, old):
        assert Webhook(secret).verify(body, signed) == json.loads(body)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, signed)
    with pytest.raises(WebhookVerificationError):
        Webhook(new).verify(body.replace("x", "y"), signed)
