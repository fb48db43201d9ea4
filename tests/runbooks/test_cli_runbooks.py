"""`oncall-docs check runbooks`: the project's own rules pass; exit 0/1/2, formats, --warn-only, --suggest."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from oncall_docs.cli import cli
from tests.conftest import ROOT, BuildResult
from tests.fakes.prometheus import FakePrometheus, alerting, rules_payload
from tests.fakes.web import FakeWeb

CONFIG = str(ROOT / "mkdocs.yml")
DATA = str(ROOT / "data")


def run(*args: str) -> Result:
    """Invoke the CLI as CI would, against the project's data and mkdocs.yml."""
    return CliRunner().invoke(
        cli, ["check", "runbooks", "--config-file", CONFIG, "--data-dir", DATA, *args]
    )


def test_project_rules_and_runbooks_pass(built_site: BuildResult) -> None:
    """The project's own Prometheus rules and runbooks pass the check against its built site.

    Review dates are left to the next test, so that this one does not depend on the date.
    """
    result = run(str(built_site.site), "--format", "json", "--warn-only", "review-overdue")
    report = json.loads(result.output)
    assert result.exit_code == 0, result.output
    assert [f for f in report["findings"] if f["code"] != "review-overdue"] == []
    assert report["summary"]["alerts"] >= 8


def test_project_runbooks_are_reviewed_on_time(built_site: BuildResult) -> None:
    """On purpose, this test fails on the day a runbook of the project falls due for review.

    That is the check CI holds the handbook to; the fix is a review of the runbook and a new
    `reviewed:` date in its file under data/runbooks/, not a change to this test.
    """
    report = json.loads(run(str(built_site.site), "--format", "json").output)
    overdue = [f["message"] for f in report["findings"] if f["code"] == "review-overdue"]
    assert overdue == [], "review these runbooks and update `reviewed:`"


RULES = """\
groups:
  - name: g
    rules:
      - alert: NodeDown
        expr: up == 0
        annotations:
          runbook_url: runbooks/incident-response/#alert-nodedown
      - alert: ChainStopped
        expr: up == 0
        annotations:
          runbook_url: runbooks/incident-response/#no-such-anchor
"""


@pytest.fixture
def rules_file(write: Callable[[str, str], Path]) -> Path:
    """A rule file with one good runbook_url and one whose anchor is missing."""
    return write("rules.yaml", RULES)


def _json(result: Result) -> list[tuple[str, str, str]]:
    return [
        (f["code"], f["severity"], f.get("alert") or f.get("runbook"))
        for f in json.loads(result.output)["findings"]
    ]


def test_findings_exit_1_with_file_and_line(built_site: BuildResult, rules_file: Path) -> None:
    """A broken anchor fails the check; JSON names the alert, the rule file and its line."""
    result = run(str(built_site.site), "--rules", str(rules_file), "--format", "json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.output)["findings"]
    anchor = next(f for f in found if f["code"] == "runbook-anchor-missing")
    assert (anchor["alert"], anchor["source"], anchor["line"]) == (
        "ChainStopped",
        str(rules_file),
        8,
    )
    assert {f["code"] for f in found} == {"runbook-anchor-missing", "runbook-orphan"}


def test_warn_only_reports_without_failing(built_site: BuildResult, rules_file: Path) -> None:
    """--warn-only lowers the listed codes to warnings; the check then exits 0."""
    result = run(
        str(built_site.site),
        "--rules",
        str(rules_file),
        "--warn-only",
        "runbook-anchor-missing",
        "--warn-only",
        "runbook-orphan",
    )
    assert result.exit_code == 0, result.output
    assert "warning: [runbook-anchor-missing]" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ("--warn-only", "no-such-code"), "Invalid value for '--warn-only'", id="bad-code"
        ),
        pytest.param(
            ("--rules", "nothing/*.yaml"), "nothing/*.yaml: no rule file matches", id="no-match"
        ),
    ],
)
def test_usage_errors_exit_2(built_site: BuildResult, args: tuple[str, ...], message: str) -> None:
    """A wrong option or a rule path matching nothing exits 2 with one line."""
    result = run(str(built_site.site), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_bad_yaml_exits_2_naming_file_and_line(
    built_site: BuildResult, write: Callable[[str, str], Path]
) -> None:
    """A rule file that is not YAML: exit 2, one line with file and line, no traceback."""
    bad = write("bad.yaml", "groups:\n  - name: g\n    rules: [\n")
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "runbooks",
            str(built_site.site),
            "--config-file",
            CONFIG,
            "--data-dir",
            DATA,
            "--rules",
            str(bad),
        ],
    )
    assert result.exit_code == 2
    assert f"error: {bad}:4: invalid YAML" in result.output
    assert "Traceback" not in result.output


def test_no_rules_anywhere_exits_2(built_site: BuildResult, tmp_path: Path) -> None:
    """Without --rules, --prometheus-url or `runbooks: rules`, the check cannot run: exit 2."""
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\n")
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "runbooks",
            str(built_site.site),
            "--config-file",
            str(config),
            "--data-dir",
            DATA,
        ],
    )
    assert result.exit_code == 2
    assert "no alerting rules" in result.output


@pytest.mark.parametrize("fmt", ["github", "junit"])
def test_github_and_junit_formats(built_site: BuildResult, rules_file: Path, fmt: str) -> None:
    """GitHub annotations point at the rule file and line; JUnit has a failing case per alert."""
    result = run(str(built_site.site), "--rules", str(rules_file), "--format", fmt)
    assert result.exit_code == 1
    if fmt == "github":
        assert f"::error file={rules_file},line=8,title=runbook-anchor-missing::" in result.output
    else:
        suite = ET.fromstring(result.output).find("testsuite")  # noqa: S314  # our own output
        assert suite is not None
        failing = {
            case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None
        }
        assert "ChainStopped" in failing
        assert "NodeDown" not in failing


def test_suggest_prints_runbook_urls_as_json(rules_file: Path) -> None:
    """--suggest: alert -> runbook_url for every alert of the rules and the runbooks; no site needed."""
    result = run("does-not-exist", "--rules", str(rules_file), "--suggest")
    assert result.exit_code == 0, result.output
    urls = json.loads(result.output)
    assert urls["ChainStopped"] == "runbooks/incident-response/#alert-chainstopped"
    assert urls["HighLatency"] == "runbooks/incident-response/#alert-highlatency"
    result = run("x", "--rules", str(rules_file), "--suggest", "--base-url", "https://h.example/")
    assert (
        json.loads(result.output)["NodeDown"]
        == "https://h.example/runbooks/incident-response/#alert-nodedown"
    )


def test_rules_from_a_running_prometheus(
    built_site: BuildResult, prometheus: FakePrometheus
) -> None:
    """--prometheus-url reads /api/v1/rules; an alert without runbook_url is reported."""
    prometheus.payload = rules_payload(
        {
            "name": "g",
            "file": "/etc/prometheus/bitcell.yaml",
            "rules": [
                alerting("NodeDown", runbook_url="runbooks/incident-response/#alert-nodedown"),
                alerting("Mystery"),
            ],
        }
    )
    result = run(
        str(built_site.site),
        "--prometheus-url",
        prometheus.base,
        "--format",
        "json",
        "--warn-only",
        "runbook-orphan",
    )
    assert result.exit_code == 1, result.output
    assert ("no-runbook-url", "error", "Mystery") in _json(result)


def test_external_urls_checked_with_external(
    built_site: BuildResult, write: Callable[[str, str], Path], fake_web: FakeWeb
) -> None:
    """Outside the site: info without --external; with it a 404 or a missing #fragment fails."""
    rules = write(
        "ext.yaml",
        "groups:\n  - name: g\n    rules:\n"
        f"      - alert: Gone\n        expr: up\n        annotations: {{runbook_url: '{fake_web.base}/status/404/x'}}\n"
        f"      - alert: Fine\n        expr: up\n        annotations: {{runbook_url: '{fake_web.base}/ok/x'}}\n"
        f"      - alert: NoAnchor\n        expr: up\n        annotations: {{runbook_url: '{fake_web.base}/ok/y#nope'}}\n"
        f"      - alert: Anchor\n        expr: up\n        annotations: {{runbook_url: '{fake_web.base}/ok/y#intro'}}\n",
    )
    args = (
        str(built_site.site),
        "--rules",
        str(rules),
        "--format",
        "json",
        "--warn-only",
        "runbook-orphan",
    )
    offline = run(*args)
    assert offline.exit_code == 0, offline.output
    assert {c for c, s, _ in _json(offline) if s == "info"} == {"runbook-external"}
    assert fake_web.seen == []
    online = run(*args, "--external")
    assert online.exit_code == 1, online.output
    assert ("runbook-page-missing", "error", "Gone") in _json(online)
    assert ("runbook-anchor-missing", "error", "NoAnchor") in _json(online)
    assert not any(s == "error" and a in ("Fine", "Anchor") for _, s, a in _json(online))
