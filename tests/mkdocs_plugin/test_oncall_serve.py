"""`mkdocs serve` with a token: the first build asks PagerDuty, rebuilds within the TTL do not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.fakes.pagerduty import FakePagerDuty
from tests.fakes.pagerduty_account import bitcell_account
from tests.fakes.pd_fixtures import NOW, pd_env
from tests.mkdocs_plugin.test_serve import Serve

pytestmark = pytest.mark.integration


def test_serve_rebuilds_within_ttl_make_no_requests(
    project: Path, pd_server: FakePagerDuty, pd_ca: tuple[Any, Path]
) -> None:
    """Two saves after the first build: both rebuilds use the cache and make zero API requests."""
    pd_server.reset(bitcell_account(NOW))
    pd_server.clock = None
    server = Serve(project, pd_env(pd_server, pd_ca[1]))
    try:
        server.wait_for("on-call snapshot: pagerduty")
        server.wait_for("Serving on")
        first = len(pd_server.seen)
        for n in range(2):
            page = project / "docs" / "faq.md"
            page.write_text(
                page.read_text(encoding="utf-8") + f"\n<!-- save {n} -->\n", encoding="utf-8"
            )
            server.wait_for("on-call snapshot: cache")
        assert "Who is on call" in server.get("schedule/")
    finally:
        server.stop()
    assert (
        sum(1 for seen in pd_server.seen if seen.path != "/incidents") == 4
    )  # the handoff draft adds GET /incidents
    assert len(pd_server.seen) == first
