"""`oncall-docs check access` offline on the shipped data and on broken copies: exit codes and formats."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from tests.conftest import ROOT

AT = "2026-11-27T12:00:00Z"  # inside the shipped offline snapshot


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    """Invoke the check on a data copy with its offline snapshot."""
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "access",
            "--data-dir",
            str(data_dir),
            "--snapshot",
            str(data_dir / "oncall-snapshot.json"),
            *args,
        ],
        env={"PAGERDUTY_API_TOKEN": ""},
    )
    return result.exit_code, result.output


def drop_grant(data_dir: Path, engineer: str, system: str) -> int:
    """Remove one grant from the roster copy; return the engineer's line."""
    path = data_dir / "roster.yaml"
    lines = path.read_text().splitlines()
    start = lines.index(f"  - id: {engineer}")
    index = next(
        i for i in range(start, len(lines)) if lines[i].strip().startswith(f"- {{system: {system}")
    )
    del lines[index]
    path.write_text("\n".join(lines) + "\n")
    return start + 1


def test_shipped_data_is_clean() -> None:
    """CI runs the check on the project's own data: nothing to report."""
    code, out = run(ROOT / "data", "--at", AT)
    assert code == 0, out
    assert out.startswith(
        "Access check: engineers scheduled 2026-11-27 to 2026-12-25 (offline snapshot"
    )
    assert "0 error(s)" in out


def test_missing_access_fails_with_code_person_and_system(data_dir: Path) -> None:
    """A scheduled engineer without VPN: exit 1, grouped under the person, code and system named."""
    drop_grant(data_dir, "chidi-okafor", "vpn")
    code, out = run(data_dir, "--at", AT)
    assert code == 1
    assert "user Chidi Okafor\n  error: [missing-access]: needs VPN as primary" in out


def test_json_format(data_dir: Path) -> None:
    """JSON has the DESIGN.md shape with the user and the system."""
    drop_grant(data_dir, "chidi-okafor", "vpn")
    code, out = run(data_dir, "--at", AT, "--format", "json")
    doc = json.loads(out)
    assert code == 1
    (finding,) = doc["findings"]
    assert {k: finding[k] for k in ("code", "severity", "user", "system")} == {
        "code": "missing-access",
        "severity": "error",
        "user": "Chidi Okafor",
        "system": "vpn",
    }
    assert doc["summary"]["by_code"] == {"missing-access": 1}


def test_github_annotation_points_at_the_roster(data_dir: Path) -> None:
    """The annotation names roster.yaml and a line inside the engineer's entry."""
    line = drop_grant(data_dir, "chidi-okafor", "vpn")
    _, out = run(data_dir, "--at", AT, "--format", "github")
    match = re.match(
        r"::error file=([^,]+),line=(\d+),title=missing-access::user Chidi Okafor: needs VPN", out
    )
    assert match, out
    assert match.group(1).endswith("roster.yaml")
    assert int(match.group(2)) > line


def test_junit_has_a_case_per_engineer(data_dir: Path) -> None:
    """JUnit: one failing case for the person with findings, passing cases for the rest."""
    drop_grant(data_dir, "chidi-okafor", "vpn")
    _, out = run(data_dir, "--at", AT, "--format", "junit")
    assert 'tests="8" failures="1"' in out
    assert (
        '<testcase classname="oncall-docs check access" name="Chidi Okafor">\n<failure type="missing-access"'
        in out
    )


def test_warn_only_passes(data_dir: Path) -> None:
    """--warn-only missing-access keeps the finding but exits 0."""
    drop_grant(data_dir, "chidi-okafor", "vpn")
    code, out = run(data_dir, "--at", AT, "--warn-only", "missing-access")
    assert code == 0
    assert "warning: [missing-access]" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--warn-only", "nonsense"], "Invalid value for '--warn-only'", id="unknown-code"
        ),
        pytest.param(["--at", "yesterday"], "Invalid value for '--at'", id="bad-time"),
        pytest.param(["--format", "xml"], "Invalid value for '--format'", id="bad-format"),
    ],
)
def test_usage_errors_exit_2(data_dir: Path, args: list[str], message: str) -> None:
    """Usage errors exit 2 with click's message."""
    code, out = run(data_dir, *args)
    assert code == 2
    assert message in out


def test_bad_roster_is_one_line_exit_2(data_dir: Path) -> None:
    """A malformed roster names the file, line and field, and exits 2."""
    path = data_dir / "roster.yaml"
    path.write_text(path.read_text().replace("pagerduty_id: PBRUNO2", "pagerduty_id: bruno"))
    code, out = run(data_dir)
    assert code == 2
    assert re.search(
        r"roster\.yaml:\d+: engineers\[1\]\.pagerduty_id: String should match pattern", out
    )
    assert "Traceback" not in out
