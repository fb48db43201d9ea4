"""`check data` exit policy, `--quiet`, `schema --check` on success, and the CLI outside a handbook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from oncall_docs.findings.codes import BY_CHECK
from tests.findings.test_codes import readme_tables

ROOT = Path(__file__).resolve().parents[2]
OFFLINE = {"PAGERDUTY_API_TOKEN": ""}


def break_contacts(data_dir: Path) -> Path:
    """Add an unknown field to contacts.yaml; return the file."""
    path = data_dir / "contacts.yaml"
    path.write_text(
        path.read_text().replace(
            "purpose: Request shift swaps}", "purpose: Request shift swaps, extra: x}"
        )
    )
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_invalid_data_is_a_finding(data_dir: Path, fmt: str) -> None:
    """Invalid data exits 1 (a finding, code data-invalid), naming file, line and field."""
    path = break_contacts(data_dir)
    result = CliRunner().invoke(
        cli, ["check", "data", "--data-dir", str(data_dir), "--format", fmt]
    )
    assert result.exit_code == 1, result.output
    assert "channels[1].extra: unknown field" in result.output
    if fmt == "json":
        (finding,) = json.loads(result.stdout)["findings"]
        assert finding["code"] == "data-invalid"
        assert finding["file"] == str(path)
        assert isinstance(finding["line"], int)
    if fmt == "github":
        assert result.stdout.startswith(f"::error file={path},line=")


def test_readme_lists_the_data_code() -> None:
    """The README's data code table matches the registry's `data` group."""
    rows = readme_tables("### Data chores")
    assert [row[0] for row in rows] == [c.slug for c in BY_CHECK["data"]]
    assert all(c.description in row[-1] for c, row in zip(BY_CHECK["data"], rows, strict=True))


def test_schema_check_says_one_line_on_success() -> None:
    """`schema --check` on up-to-date schemas prints exactly one line and exits 0."""
    result = CliRunner().invoke(cli, ["schema", "--check", "--data-dir", str(ROOT / "data")])
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == 1
    assert "up to date" in result.output


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        pytest.param(["check", "data"], "--data-dir", id="check-data"),
        pytest.param(["check", "access"], "--data-dir", id="check-access"),
        pytest.param(["schema"], "--data-dir", id="schema"),
        pytest.param(["schema", "--check"], "--data-dir", id="schema-check"),
        pytest.param(["handoff"], "--config-file", id="handoff"),
        pytest.param(["check", "links"], "--config-file", id="check-links"),
        pytest.param(["check", "runbooks"], "--data-dir", id="check-runbooks"),
    ],
)
def test_outside_a_handbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], hint: str
) -> None:
    """In an empty folder each command says in one line how to point it at a handbook; exit 2."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args, env=OFFLINE)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert hint in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written outside a handbook


SKIPPING_SITE = '<a href="http://localhost:3000/d/x">dash</a><a href="#top" id="top">top</a>'


@pytest.mark.parametrize("command", [("links",), ("access",), ("runbooks",)], ids=str)
def test_every_check_with_info_lines_offers_quiet(command: tuple[str, ...]) -> None:
    """`check links|access|runbooks --help` offer --quiet."""
    result = CliRunner().invoke(cli, ["check", *command, "--help"])
    assert "--quiet" in result.output


def test_quiet_hides_info_lines(tmp_path: Path) -> None:
    """--quiet drops info findings (a skipped URL) from the links report; the default shows them."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(SKIPPING_SITE)
    base = ["check", "links", str(site), "--ignore", "^http://localhost"]
    loud = CliRunner().invoke(cli, base)
    quiet = CliRunner().invoke(cli, [*base, "--quiet"])
    assert loud.exit_code == quiet.exit_code == 0
    assert "[skipped]" in loud.output
    assert "[skipped]" not in quiet.output


def test_quiet_access_hides_the_header() -> None:
    """`check access --quiet` prints no header line, only the findings and the summary."""
    base = ["check", "access", "--data-dir", str(ROOT / "data")]
    loud = CliRunner().invoke(cli, base, env=OFFLINE)
    quiet = CliRunner().invoke(cli, [*base, "--quiet"], env=OFFLINE)
    assert "Access check: engineers scheduled" in loud.output
    assert "Access check:" not in quiet.output
