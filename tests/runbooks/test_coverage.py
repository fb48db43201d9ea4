"""Rules x runbooks x the built site: every code, both rule formats, URL styles and bases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from oncall_docs.runbooks.coverage import SiteBase, check_coverage, suggest
from oncall_docs.runbooks.rules import AlertRule, read_rule_file
from tests.runbooks.conftest import RUNBOOKS, make_site

CASES = {  # alert -> (runbook_url or None, the code expected or None)
    "NoUrl": (None, "no-runbook-url"),
    "PageGone": ("runbooks/gone/", "runbook-page-missing"),
    "AnchorGone": ("runbooks/nodes/#nope", "runbook-anchor-missing"),
    "NotListed": ("runbooks/deploy/", "alert-not-covered"),
    "Outside": ("https://wiki.example.com/runbooks/x", "runbook-external"),
    "NodeDown": ("runbooks/nodes/#alert-nodedown", None),
    "ChainStopped": ("runbooks/nodes/#chain-stopped", None),
    "NodesGeneral": ("runbooks/nodes/", None),
}


def _rules_yaml(indent: str) -> str:
    lines = [f"{indent}groups:", f"{indent}  - name: all", f"{indent}    rules:"]
    for name, (url, _) in CASES.items():
        lines += [f"{indent}      - alert: {name}", f"{indent}        expr: up == 0"]
        if url:
            lines += [f"{indent}        annotations:", f"{indent}          runbook_url: '{url}'"]
    return "\n".join(lines) + "\n"


FORMATS = {
    "plain": _rules_yaml(""),
    "prometheus-rule": "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n"
    + _rules_yaml("  "),
}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_code_in_both_rule_formats(write: Callable[[str, str], Path], fmt: str) -> None:
    """Each alert gets exactly its code, with the rule's file and line; good ones get none."""
    path = write("rules.yaml", FORMATS[fmt])
    rules = read_rule_file(path)
    found = check_coverage(rules, RUNBOOKS, make_site(), SiteBase())
    got = {f.subject: f.code for f in found}
    assert got == {name: code for name, (_, code) in CASES.items() if code}
    lines = {r.name: r.line for r in rules}
    assert all(f.file == path.as_posix() and f.line == lines[f.subject] for f in found)
    assert next(f for f in found if f.code == "runbook-external").severity == "info"


def test_orphan_names_the_runbook_file_and_line() -> None:
    """A runbook that lists an alert no rule defines is `runbook-orphan`; the others are not."""
    rules = [AlertRule("NodeDown", "g", "r.yaml", 3, runbook_url="runbooks/nodes/#alert-nodedown")]
    found = check_coverage(rules, RUNBOOKS, make_site(), SiteBase())
    assert sorted((f.code, f.subject, f.message) for f in found) == [
        ("runbook-orphan", "nodes", "lists alert 'ChainStopped', which no rule defines"),
        ("runbook-orphan", "nodes", "lists alert 'NodesGeneral', which no rule defines"),
    ]


HOME = "https://handbook.example.org/"
SUB = "https://handbook.example.org/oncall/"


@pytest.mark.parametrize(
    ("url", "base", "directory_urls", "code"),
    [
        pytest.param("runbooks/nodes/#alert-nodedown", "", True, None, id="relative-slash"),
        pytest.param("runbooks/nodes#alert-nodedown", "", True, None, id="no-trailing-slash"),
        pytest.param("runbooks/nodes/index.html#alert-nodedown", "", True, None, id="index-html"),
        pytest.param("/runbooks/nodes/#alert-nodedown", "", True, None, id="root-relative"),
        pytest.param("./runbooks/nodes/#restart", "", True, None, id="dot-and-section-id"),
        pytest.param("runbooks/nodes.html#alert-nodedown", "", False, None, id="flat-urls"),
        pytest.param(
            "runbooks/nodes/#alert-nodedown",
            "",
            False,
            "runbook-page-missing",
            id="dir-url-on-flat",
        ),
        pytest.param(
            "runbooks/nodes.html#alert-nodedown", "", True, "runbook-page-missing", id="flat-on-dir"
        ),
        pytest.param(HOME + "runbooks/nodes/#alert-nodedown", HOME, True, None, id="absolute"),
        pytest.param(
            HOME + "runbooks/nodes/index.html#alert-nodedown", HOME, True, None, id="absolute-index"
        ),
        pytest.param(SUB + "runbooks/nodes/#alert-nodedown", SUB, True, None, id="base-path"),
        pytest.param(
            "/oncall/runbooks/nodes/#alert-nodedown", SUB, True, None, id="root-under-base"
        ),
        pytest.param(
            HOME + "runbooks/nodes/#alert-nodedown", "", True, "runbook-external", id="no-base-url"
        ),
        pytest.param(
            "https://other.example.org/runbooks/nodes/",
            HOME,
            True,
            "runbook-external",
            id="other-host",
        ),
        pytest.param(
            HOME + "runbooks/nodes/#nope",
            HOME,
            True,
            "runbook-anchor-missing",
            id="absolute-anchor",
        ),
        pytest.param(
            "runbooks/nodes/#alert-chainstopped", "", True, "alert-not-covered", id="other-alert"
        ),
        pytest.param("severity/#p1", "", True, "alert-not-covered", id="not-a-runbook-page"),
        pytest.param("../outside/", "", True, "runbook-page-missing", id="climbs-out"),
        pytest.param(
            "{{ $externalURL }}/runbooks/nodes/", "", True, "runbook-external", id="template"
        ),
    ],
)
def test_runbook_url_resolution(
    url: str, base: str, directory_urls: bool, code: str | None
) -> None:
    """NodeDown's runbook_url resolves like a static server, under the base URL, in either URL style."""
    page = "runbooks/nodes/" if directory_urls else "runbooks/nodes.html"
    rules = [
        AlertRule(n, "g", "r.yaml", 1, runbook_url=page) for n in ("ChainStopped", "NodesGeneral")
    ]
    rules.append(AlertRule("NodeDown", "g", "r.yaml", 9, runbook_url=url))
    found = check_coverage(
        rules, RUNBOOKS, make_site(directory_urls), SiteBase(base, directory_urls)
    )
    assert [f.code for f in found] == ([code] if code else [])


@pytest.mark.parametrize(
    ("base", "directory_urls", "expected"),
    [
        pytest.param("", True, "runbooks/nodes/#alert-nodedown", id="relative"),
        pytest.param("", False, "runbooks/nodes.html#alert-nodedown", id="flat"),
        pytest.param(SUB, True, SUB + "runbooks/nodes/#alert-nodedown", id="absolute"),
    ],
)
def test_suggest_gives_the_anchor_of_each_alert(
    base: str, directory_urls: bool, expected: str
) -> None:
    """--suggest: every alert's right runbook_url, None for an alert no runbook lists."""
    rules = [AlertRule("NodeDown", "g", "r", 1), AlertRule("Unknown", "g", "r", 2)]
    urls = suggest(rules, RUNBOOKS, SiteBase(base, directory_urls))
    assert urls["NodeDown"] == expected
    assert urls["Unknown"] is None
    assert set(urls) == {"NodeDown", "Unknown", "ChainStopped", "NodesGeneral"}


def test_no_runbook_url_suggests_the_runbook_that_lists_it() -> None:
    """The finding for a missing annotation names the URL to add."""
    (finding,) = check_coverage(
        [AlertRule("NodeDown", "g", "r.yaml", 4)],
        {"nodes": RUNBOOKS["nodes"].model_copy(update={"alerts": [], "incidents": []})},
        make_site(),
        SiteBase(),
    )
    assert finding.code == "no-runbook-url"
    assert "runbooks/nodes/#alert-nodedown" in finding.message
