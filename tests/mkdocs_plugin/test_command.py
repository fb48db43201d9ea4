"""The real `mkdocs build` command end to end: what a user sees on a bad data file and under --strict.

Most build tests run MkDocs in process (`tests.conftest.build_in_process`); these few run the
command itself, because only there can one see that an error is one line with no traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_mkdocs_build

pytestmark = pytest.mark.integration


def test_bad_data_file_is_one_line_without_traceback(project: Path) -> None:
    """A typo in a data file: exit 1, one error line naming file, line and field; no traceback, no site."""
    rotation = project / "data" / "rotation.yaml"
    rotation.write_text(rotation.read_text().replace("shift_length_days:", "shift_lenght_days:"))
    result = run_mkdocs_build(project)
    assert result.returncode == 1
    errors = [line for line in result.output.splitlines() if "shift_lenght_days" in line]
    assert len(errors) == 1, result.output
    assert re.search(r"data/rotation\.yaml:\d+: shift_lenght_days: unknown field", errors[0])
    assert "Traceback" not in result.output
    assert not (result.site / "index.html").exists()


def test_strict_fails_on_a_broken_link(project: Path) -> None:
    """`mkdocs build --strict` stops on the link check's warning and says it aborted for it."""
    (project / "docs" / "broken.md").write_text('# Broken\n\n<a href="../nope/">gone</a>\n')
    result = run_mkdocs_build(project)
    assert result.returncode == 1
    assert "docs/broken.md (page broken/index.html): ../nope/: [broken-link]" in result.output
    assert "Aborted with 1 warnings in strict mode!" in result.output
    assert "Traceback" not in result.output
