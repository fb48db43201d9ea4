"""icalendar is loaded when a calendar is written, not by importing the plugin or the feature."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ["icalendar", "pagerduty", "httpx2", "httpx"]


@pytest.mark.parametrize(
    ("code", "loaded"),
    [
        pytest.param("import oncall_docs.mkdocs_plugin.plugin", "", id="import-the-plugin"),
        pytest.param("import oncall_docs.oncall.ics", "", id="import-the-ics-module"),
        pytest.param(
            "from pathlib import Path\n"
            "from oncall_docs.oncall.ics import to_ics\n"
            "from oncall_docs.oncall.parse import from_json\n"
            "to_ics(from_json(Path('data/oncall-snapshot.json').read_text()))",
            "icalendar",
            id="writing-a-calendar",
        ),
    ],
)
def test_icalendar_loads_only_when_writing_a_calendar(code: str, loaded: str) -> None:
    """In a fresh interpreter, only `to_ics` loads icalendar; the PagerDuty libraries stay out too."""
    probe = f"{code}\nimport sys\nprint(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
        cwd=ROOT,
    )
    assert out.stdout.strip() == loaded
