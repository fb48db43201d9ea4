"""The finding-code registry: every emitted code registered, `--warn-only` and the README agree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from oncall_docs.cli.access import check_access_command
from oncall_docs.findings import codes
from oncall_docs.findings.codes import BY_CHECK, REGISTRY, Code
from oncall_docs.linkcheck.check import check_site
from oncall_docs.linkcheck.rules import compile_rules
from oncall_docs.linkcheck.site import site_from_pages

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "plugins" / "oncall_docs"
GLUE = ("cli", "mkdocs_plugin")  # settings and options live there, not findings
README_SECTIONS = {
    "links": "## Link checks",
    "access": "## Access checks",
    "runbooks": "## Alerts and runbooks",
}
SNAPSHOT = ("--snapshot", str(ROOT / "data" / "oncall-snapshot.json"))
RUNBOOKS = (  # the codes the issue names for `check runbooks`
    "no-runbook-url",
    "runbook-page-missing",
    "runbook-anchor-missing",
    "alert-not-covered",
    "runbook-orphan",
    "review-overdue",
    "no-owner",
)


def check_modules() -> list[Path]:
    """Every module of the package that may emit findings (the registry itself and glue aside)."""
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "findings" / "codes.py"
        and path.relative_to(PACKAGE).parts[0] not in GLUE
    ]


def test_checks_emit_no_string_literal_codes() -> None:
    """No check spells a registered slug as a string: each emits the registry's constant."""
    literals = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for path in check_modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in REGISTRY
    ]
    assert literals == []


def test_every_code_a_check_names_is_registered() -> None:
    """Every `codes.NAME` a check uses is a Code of some check's group, and every Code is in one."""
    used = {
        node.attr
        for path in check_modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "codes"
        and node.attr.isupper()
    }
    assert used, "the checks emit from the registry"
    registered = set(REGISTRY.values())
    assert all(getattr(codes, name) in registered for name in used)
    constants = {v for v in vars(codes).values() if isinstance(v, Code)}
    assert constants == registered


def test_codes_found_on_a_fixture_site_are_registered() -> None:
    """Running the internal link check on a broken site finds only registered codes, at their severity."""
    html = (
        '<a href="gone/">a</a><img src="nope.png"><a href="#missing">b</a>'
        '<a href="../../out">c</a><a href="javascript:x()">d</a><a href="mailto:not-an-address">e</a>'
        '<a href="http://localhost/dash">f</a>'
    )
    findings, _ = check_site(
        site_from_pages({"index.html": html}, set()), rules=compile_rules(["^http://localhost"])
    )
    found = {(f.code, f.severity) for f in findings}
    assert len(found) == 7
    assert found <= {(c.slug, c.severity) for c in BY_CHECK["links"]}


def test_slugs_are_unique_and_stable_in_form() -> None:
    """Slugs are lower-case words joined by hyphens, each registered once; runbooks' among them."""
    all_codes = [c for group in BY_CHECK.values() for c in group]
    assert len({c.slug for c in all_codes}) == len(all_codes)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", c.slug) for c in all_codes)
    assert set(RUNBOOKS) <= {c.slug for c in BY_CHECK["runbooks"]}


def test_warn_only_offers_exactly_the_access_codes() -> None:
    """`check access --warn-only` accepts the registered access codes and nothing else."""
    option = next(p for p in check_access_command.params if p.name == "warn_only")
    assert isinstance(option.type, click.Choice)
    assert set(option.type.choices) == {c.slug for c in BY_CHECK["access"]}


@pytest.mark.parametrize(
    ("code", "usage_error"),
    [
        pytest.param(codes.NO_PHONE.slug, False, id="registered"),
        pytest.param("no-such-code", True, id="unknown"),
        pytest.param(codes.BROKEN_LINK.slug, True, id="another-checks-code"),
    ],
)
def test_warn_only_validates(tmp_path: Path, code: str, usage_error: bool) -> None:
    """An unregistered code is a usage error (exit 2), before any data is read."""
    result = CliRunner().invoke(
        cli,
        ["check", "access", "--data-dir", str(ROOT / "data"), "--warn-only", code, *SNAPSHOT],
        env={"PAGERDUTY_API_TOKEN": ""},
    )
    assert (result.exit_code == 2) is usage_error, result.output


def readme_tables(section: str) -> list[list[str]]:
    """The rows (cells stripped) of the code tables in one `## ` section of the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(section + "\n") if section + "\n" in text else text.index(section)
    end = text.find("\n## ", start + 1)
    rows: list[list[str]] = []
    header: list[str] = []
    for line in text[start : end if end > 0 else None].splitlines():
        if not line.startswith("|"):
            header = []
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not header:
            header = cells
        elif header[0] == "code" and not set(cells[0]) <= {"-"}:
            rows.append([cell.strip("`") if i == 0 else cell for i, cell in enumerate(cells)])
    return rows


@pytest.mark.parametrize("check", sorted(README_SECTIONS))
def test_readme_tables_match_the_registry(check: str) -> None:
    """The README's code table of each check lists exactly its registered codes, as registered."""
    rows = readme_tables(README_SECTIONS[check])
    group = {c.slug: c for c in BY_CHECK[check]}
    assert [row[0] for row in rows] == [c.slug for c in BY_CHECK[check]]
    for row in rows:
        code = group[row[0]]
        assert code.description in row[-1], row
        if len(row) == 3:
            assert row[1] == code.severity, row
