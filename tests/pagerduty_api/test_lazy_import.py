"""The PagerDuty client library is loaded only when a fetch happens, never by importing a feature."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

HTTP = ["pagerduty", "httpx2", "httpx", "requests"]


@pytest.mark.parametrize(
    ("code", "loaded"),
    [
        pytest.param("import oncall_docs.oncall.source", "", id="import-snapshot-source"),
        pytest.param("import oncall_docs.handoff.source", "", id="import-incidents-source"),
        pytest.param(
            "import oncall_docs.pagerduty_api.client, oncall_docs.pagerduty_api.incidents",
            "",
            id="import-client-and-endpoints",
        ),
        pytest.param(
            "from pathlib import Path\n"
            "from oncall_docs.oncall.source import load_snapshot\n"
            "from oncall_docs.sources import SourceOptions\n"
            "load_snapshot(SourceOptions(Path('data/oncall-snapshot.json'), Path('/nonexistent')))",
            "",
            id="offline-build-without-token",
        ),
        pytest.param(
            "from oncall_docs.pagerduty_api.client import OncallClient\n"
            "OncallClient('t', 'https://127.0.0.1:1').close()",
            "httpx2,pagerduty",
            id="building-a-client",
        ),
    ],
)
def test_http_library_loads_only_with_a_client(code: str, loaded: str) -> None:
    """In a fresh interpreter without a token, only building a client loads pagerduty and httpx2."""
    probe = f"{code}\nimport sys\nprint(','.join(sorted(m for m in {HTTP!r} if m in sys.modules)))"
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env, cwd=ROOT
    )
    assert out.stdout.strip() == loaded
