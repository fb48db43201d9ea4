"""The data model: the shipped data loads, and each kind of bad input names file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oncall_docs.errors import DataError
from oncall_docs.model import load_handbook
from oncall_docs.model.load import read_yaml

ROOT = Path(__file__).resolve().parents[2]


def replace_once(path: Path, old: str, new: str) -> None:
    """Edit a data file in a test copy; fail loudly if the text to replace is not there."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_shipped_data_loads() -> None:
    """The project's own data/ is valid and holds every checklist of the guide."""
    book = load_handbook(ROOT / "data")
    assert [c.id for c in book.checklists.checklists] == [
        "before-48h",
        "before-24h",
        "handoff-meeting",
        "required-access",
        "morning-check",
        "evening-check",
        "end-of-shift",
        "post-incident",
    ]
    assert [s.id for s in book.severity.levels] == ["P0", "P1", "P2", "P3"]
    assert set(book.runbooks) == {"incident-response", "deployment-guide"}


BAD_INPUTS = [
    pytest.param(
        "rotation.yaml",
        "shift_length_days: 7",
        "shift_lenght_days: 7",
        "shift_lenght_days",
        r"shift_lenght_days: unknown field 'shift_lenght_days' \(did you mean 'shift_length_days'\?\)",
        id="typo-key",
    ),
    pytest.param(
        "severity.yaml",
        "    response_time: Less than 15 minutes\n",
        "",
        "- id: P0",
        r"levels\[0\]\.response_time: required field is missing",
        id="missing-field",
    ),
    pytest.param(
        "checklists.yaml",
        "{id: check-status,",
        "{id: review-incidents,",
        "Check system status",
        r"checklists\[0\]\.items\[1\]\.id: duplicate id 'review-incidents' \(first used on line \d+\)",
        id="duplicate-id",
    ),
    pytest.param(
        "rotation.yaml",
        "team: BitCell Platform Team\n",
        "team: BitCell Platform Team\nteam: Other\n",
        "team: Other",
        r"team: duplicate key",
        id="duplicate-key",
    ),
    pytest.param(
        "war-room.yaml",
        "update_cycle_minutes: 10",
        "update_cycle_minutes: often",
        "update_cycle_minutes",
        r"update_cycle_minutes: Input should be a valid integer",
        id="wrong-type",
    ),
    pytest.param(
        "escalation.yaml",
        "severity: P1",
        "severity: P7",
        "severity: P7",
        r"paths\[0\]\.when\[0\]\.severity: unknown severity 'P7'",
        id="unknown-severity",
    ),
    pytest.param(
        "links.yaml",
        'url: "https://status.bitcell.network"',
        'url: "javascript:alert(1)"',
        "javascript:",
        r"links\[4\]\.url: .*scheme 'javascript' is not allowed",
        id="javascript-url",
    ),
    pytest.param(
        "links.yaml",
        'url: "https://status.bitcell.network"',
        'url: "java\\tscript:alert(1)"',
        "java",
        r"links\[4\]\.url: .*scheme 'javascript' is not allowed",
        id="javascript-url-with-tab",
    ),
    pytest.param(
        "faq.yaml",
        "  - id: other-tasks",
        "  - id: other-tasks\n   bad: [",
        "bad: [",
        r"invalid YAML",
        id="invalid-yaml",
    ),
    pytest.param(
        "escalation.yaml",
        "level: secondary",
        "level: tertiary",
        "level: tertiary",
        r"paths\[0\]\.level: unknown rotation level 'tertiary' \(rotation\.yaml defines leadership, primary, secondary\)",
        id="unknown-rotation-level",
    ),
    pytest.param(
        "rotation.yaml",
        "checklist: evening-check",
        "checklist: night-check",
        "night-check",
        r"daily_checks\[1\]\.checklist: unknown checklist 'night-check'",
        id="unknown-checklist",
    ),
    pytest.param(
        "roster.yaml",
        "pagerduty_id: PBRUNO2",
        "pagerduty_id: PALICE1  # copied by mistake",
        "copied by mistake",
        r"engineers\[1\]\.pagerduty_id: PagerDuty user PALICE1 is already 'alice-chen'",
        id="duplicate-pagerduty-user",
    ),
    pytest.param(
        "rotation.yaml",
        "time_zone: America/New_York",
        "time_zone: America/Gotham",
        "America/Gotham",
        r"time_zone: .*unknown time zone 'America/Gotham'",
        id="unknown-time-zone",
    ),
]


@pytest.mark.parametrize(("filename", "old", "new", "needle", "message"), BAD_INPUTS)
def test_bad_input_names_file_line_and_field(
    data_dir: Path, filename: str, old: str, new: str, needle: str, message: str
) -> None:
    """Each kind of bad input raises one DataError naming the file, the right line and the field."""
    path = data_dir / filename
    replace_once(path, old, new)
    with pytest.raises(DataError) as caught:
        load_handbook(data_dir)
    text = str(caught.value)
    assert text.startswith(f"{path}:"), text
    assert re.search(message, text), text
    assert caught.value.line == line_of(path, needle), text
    assert "\n" not in text


def test_runbook_id_must_match_file_name(data_dir: Path) -> None:
    """A runbook whose id differs from its file name would get a page nobody links to."""
    path = data_dir / "runbooks" / "deployment-guide.yaml"
    replace_once(path, "id: deployment-guide", "id: deploy")
    with pytest.raises(DataError, match=r"deployment-guide\.yaml:2: id: must match the file name"):
        load_handbook(data_dir)


def test_missing_data_file_is_named(data_dir: Path) -> None:
    """A deleted data file is reported by name, not as a KeyError."""
    (data_dir / "faq.yaml").unlink()
    with pytest.raises(DataError, match=r"faq\.yaml: required data file is missing"):
        load_handbook(data_dir)


def test_read_yaml_keeps_positions(tmp_path: Path) -> None:
    """Positions point at the key's line, so errors land where the editor should jump."""
    path = tmp_path / "x.yaml"
    path.write_text("a:\n  b:\n    - 1\n    - {c: 2}\n", encoding="utf-8")
    value, positions = read_yaml(path)
    assert value == {"a": {"b": [1, {"c": 2}]}}
    assert positions.at(("a", "b", 1, "c"))[0] == 4
    assert positions.at(("a", "b", 0))[0] == 3
    assert positions.at(("a", "missing", "deeper"))[0] == 1
