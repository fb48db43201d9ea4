"""A public page cannot make the link check probe the local network through a redirect."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from oncall_docs.findings import codes
from oncall_docs.linkcheck.http import HttpFetch, is_internal
from oncall_docs.linkcheck.scheduler import ExternalChecker, ExternalOptions
from tests.fakes.hostile_web import RedirectServer
from tests.fakes.loopback import serving
from tests.fakes.web import FakeWeb

OPTIONS = ExternalOptions(timeout=2, total_timeout=20, workers=4, per_host=2)


@pytest.fixture
def redirector() -> Iterator[RedirectServer]:
    """A server on 127.0.0.1 that redirects every request to its `location`."""
    server = RedirectServer()
    with serving(server):
        yield server


def checker_where_public(port: int) -> ExternalChecker:
    """A checker whose classifier calls 127.0.0.1:<port> public and every other address internal."""

    def internal(address: str, peer_port: int) -> bool:
        return not (address == "127.0.0.1" and peer_port == port)

    return ExternalChecker(OPTIONS, fetch=HttpFetch(OPTIONS, internal=internal))


@pytest.mark.parametrize(
    ("target", "code"),
    [
        pytest.param("{web}/ok/secret", codes.REDIRECT_TO_PRIVATE.slug, id="loopback-other-port"),
        pytest.param(
            "http://169.254.169.254/latest/meta-data/",
            codes.REDIRECT_TO_PRIVATE.slug,
            id="metadata",
        ),
        pytest.param("{self}/again", codes.REDIRECT_LOOP.slug, id="public-to-public-followed"),
    ],
)
def test_redirect_from_public_to_internal_is_not_followed(
    redirector: RedirectServer, fake_web: FakeWeb, target: str, code: str
) -> None:
    """The redirect is reported with its own code and the internal address is never asked."""
    redirector.location = target.format(web=fake_web.base, self=redirector.base)
    checker = checker_where_public(redirector.port)
    started = time.monotonic()
    outcome = checker.check(f"{redirector.base}/start")
    checker.close()
    assert outcome.code == code
    assert fake_web.seen == []
    assert time.monotonic() - started < OPTIONS.timeout  # never waited on 169.254.169.254


def test_links_written_to_internal_hosts_stay_checkable(
    redirector: RedirectServer, fake_web: FakeWeb
) -> None:
    """A link that names an internal host itself is checked as before, redirects included."""
    checker = checker_where_public(redirector.port)
    assert checker.check(f"{fake_web.base}/ok/direct").code is None
    assert checker.check(f"{fake_web.base}/moved/direct").code is None
    checker.close()
    assert [s.path for s in fake_web.seen] == ["/ok/direct", "/moved/direct", "/ok/direct"]


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        pytest.param("127.0.0.1", True, id="loopback"),
        pytest.param("10.1.2.3", True, id="private-10"),
        pytest.param("172.16.0.1", True, id="private-172"),
        pytest.param("192.168.1.1", True, id="private-192"),
        pytest.param("169.254.169.254", True, id="link-local-metadata"),
        pytest.param("100.64.0.1", True, id="shared-cgnat"),
        pytest.param("0.0.0.0", True, id="unspecified"),  # noqa: S104 - an address under test
        pytest.param("::1", True, id="ipv6-loopback"),
        pytest.param("fe80::1", True, id="ipv6-link-local"),
        pytest.param("fd00::1", True, id="ipv6-unique-local"),
        pytest.param("::ffff:127.0.0.1", True, id="ipv4-mapped-loopback"),
        pytest.param("93.184.215.14", False, id="public-v4"),
        pytest.param("2606:4700::6810:85e5", False, id="public-v6"),
    ],
)
def test_address_classifier(address: str, internal: bool) -> None:
    """Loopback, link-local, private and unspecified addresses are internal; the rest public."""
    assert is_internal(address, 80) is internal
