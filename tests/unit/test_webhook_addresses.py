"""Webhook URLs: internal addresses refused in every spelling; signatures verify with the standard library."""

from __future__ import annotations

import json

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from grader.webhooks.addresses import UrlRefused, check_url
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
