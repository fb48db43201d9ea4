"""oncall.ics with hostile names: CR, LF and control characters never break the calendar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar

from oncall_docs.oncall.ics import to_ics
from oncall_docs.oncall.parse import from_json

SNAPSHOT = Path(__file__).resolve().parents[2] / "data" / "oncall-snapshot.json"


def hostile_snapshot(name: str) -> tuple[str, int]:
    """The offline snapshot with `name` in the policy, the first shift's user and its schedule."""
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    data["escalation_policy"]["name"] = name
    data["shifts"][0]["user"]["name"] = name
    data["shifts"][0]["schedule"]["name"] = name
    return to_ics(from_json(json.dumps(data))), len(data["shifts"])


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Platform\nBEGIN:VEVENT", id="lf"),
        pytest.param("Platform\rBEGIN:VEVENT\rSUMMARY:forged\rEND:VEVENT", id="cr"),
        pytest.param("Platform\r\nBEGIN:VEVENT\r\nEND:VEVENT", id="crlf"),
        pytest.param("Plat\x00form\x08\x0c\x1b[31m", id="controls"),
        pytest.param("Platform, Ops; \\ team", id="delimiters"),
    ],
)
def test_names_cannot_inject_events(name: str) -> None:
    """Every name stays inside its property: the calendar parses with one VEVENT per shift."""
    text, shifts = hostile_snapshot(name)
    lines = text.split("\r\n")[:-1]
    assert all(line and "\r" not in line and "\n" not in line for line in lines)
    assert lines.count("BEGIN:VEVENT") == shifts
    assert not any(line.startswith("SUMMARY:forged") for line in lines)
    calendar = Calendar.from_ical(text)
    assert len(calendar.walk("VEVENT")) == shifts
    assert not any(ord(ch) < 32 and ch not in "\r\n" for ch in text)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    expected = "".join(ch for ch in name if ord(ch) >= 32 or ch in "\r\n")
    assert any(expected.replace("\r\n", "\n").replace("\r", "\n") in s for s in summaries)
