"""Fixtures for the fake PagerDuty: a throwaway CA (trustme), the TLS server, a clean fake per test.

Import them into a test module (`from tests.fakes.pd_fixtures import fake_pd, ...`). The
client trusts the fake through SSL_CERT_FILE, exactly as it would trust a corporate CA.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import trustme

from tests.fakes.loopback import serving
from tests.fakes.pagerduty import FakePagerDuty
from tests.fakes.pagerduty_account import bitcell_account

TOKEN = "u+PDtestTOKEN-7f3a9c1e5b"  # noqa: S105 - distinctive, so a scan for it cannot miss
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)  # Wednesday, mid-shift


@pytest.fixture(scope="session")
def pd_ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    """A throwaway CA and its certificate file (what SSL_CERT_FILE points at)."""
    ca = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return ca, path


@pytest.fixture(scope="session")
def pd_server(pd_ca: tuple[trustme.CA, Path]) -> Iterator[FakePagerDuty]:
    """The fake on 127.0.0.1:0 over TLS, bound before its thread starts."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    pd_ca[0].issue_cert("127.0.0.1").configure_cert(ctx)
    server = FakePagerDuty(bitcell_account(NOW), TOKEN, ctx)
    with serving(server):
        yield server


@pytest.fixture
def fake_pd(
    pd_server: FakePagerDuty, pd_ca: tuple[trustme.CA, Path], monkeypatch: pytest.MonkeyPatch
) -> FakePagerDuty:
    """The fake reset to the BitCell account at NOW, trusted by this process's HTTP client."""
    pd_server.reset(bitcell_account(NOW))
    pd_server.clock = NOW
    monkeypatch.setenv("SSL_CERT_FILE", str(pd_ca[1]))
    for name in (
        "PAGERDUTY_API_TOKEN",
        "PAGERDUTY_API_URL",
        "PAGERDUTY_ESCALATION_POLICY_ID",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "REQUESTS_CA_BUNDLE",
    ):
        monkeypatch.delenv(name, raising=False)
    return pd_server


def pd_env(server: FakePagerDuty, ca_file: Path, token: str = TOKEN) -> dict[str, str]:
    """Environment for a subprocess (mkdocs build, CLI) talking to the fake."""
    return {
        "PAGERDUTY_API_TOKEN": token,
        "PAGERDUTY_API_URL": server.url,
        "PAGERDUTY_ESCALATION_POLICY_ID": "PBCPOL1",
        "SSL_CERT_FILE": str(ca_file),
    }
