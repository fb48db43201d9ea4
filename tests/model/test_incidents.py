"""incident-priorities.yaml and upcoming-events.yaml: errors name the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall_docs.errors import DataError
from oncall_docs.model import load_handbook


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        pytest.param(
            "incident-priorities.yaml",
            "priorities:\n  P1: P0\n  P2: P7\n",
            r"incident-priorities\.yaml:3: priorities\.P2: unknown severity 'P7'",
            id="unknown-severity",
        ),
        pytest.param(
            "incident-priorities.yaml",
            "priorities: {P1: P0}\nurgencies: {urgent: P0}\n",
            r"incident-priorities\.yaml:2: urgencies\.urgent",
            id="unknown-urgency",
        ),
        pytest.param(
            "upcoming-events.yaml",
            "events:\n  - id: x\n    kind: deployment\n    title: Deploy\n    start: 2026-12-01 at 15:00\n",
            r"upcoming-events\.yaml:5: events\[0\]\.start: .*is not a date",
            id="not-a-time",
        ),
        pytest.param(
            "upcoming-events.yaml",
            "events:\n  - {id: x, kind: party, title: T, start: 2026-12-01}\n",
            r"upcoming-events\.yaml:2: events\[0\]\.kind",
            id="unknown-kind",
        ),
    ],
)
def test_bad_files_name_file_line_field(data_dir: Path, name: str, text: str, error: str) -> None:
    """Each mistake is one DataError with file:line: field."""
    (data_dir / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=error):
        load_handbook(data_dir)


def test_both_files_are_required(data_dir: Path) -> None:
    """A missing mapping is an error, not a draft that counts everything as unmapped."""
    (data_dir / "incident-priorities.yaml").unlink()
    with pytest.raises(
        DataError, match=r"incident-priorities\.yaml: required data file is missing"
    ):
        load_handbook(data_dir)
