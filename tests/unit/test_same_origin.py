"""Which requests count as sent by a page of this site: the rule under every form's CSRF check."""

from __future__ import annotations

import pytest

from portal.csrf import comes_from_this_site, origin_of

SITE = "https://portal.example.org"


@pytest.mark.parametrize(
    ("origin", "referrer", "secure", "expected"),
    [
        ("https://portal.example.org", None, True, True),  # a page with no Referer at all: Origin decides
        ("https://portal.example.org:443", None, True, True),
        ("HTTPS://Portal.Example.org", None, True, True),
        ("https://evil.example", "https://portal.example.org/school/", True, False),  # Origin wins over Referer
        ("http://portal.example.org", None, True, False),  # a downgrade is another origin
        ("https://portal.example.org:8443", None, True, False),
        ("null", "https://portal.example.org/reset-password", True, False),  # sent under no-referrer: refused
        (None, "https://portal.example.org/school/performances", True, True),
        (None, "https://portal.example.org.evil.example/", True, False),
        (None, None, True, False),  # over HTTPS, one of the two is needed
        (None, None, False, True),  # over plain HTTP, as Flask-WTF: some proxies strip both
        ("https://evil.example", None, False, False),
        (None, "javascript:alert(1)", True, False),
        ("https://portal.example.org:99999", None, True, False),  # an impossible port is nonsense, not a match
    ],
)
def test_a_request_comes_from_this_site_only_when_its_origin_or_referrer_is_this_site(
    origin, referrer, secure, expected
):
    assert comes_from_this_site(origin, referrer, SITE, secure=secure) is expected


def test_default_ports_are_filled_in():
    assert origin_of("https://a.example") == ("https", "a.example", 443)
    assert origin_of("http://a.example/x?y") == ("http", "a.example", 80)
    assert origin_of("/relative") is None
