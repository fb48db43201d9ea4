"""`oncall-docs check links`: exit status, every --format, settings from mkdocs.yml, the cache."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from oncall_docs.cli import cli
from tests.conftest import ROOT, BuildResult
from tests.fakes.web import FakeWeb


def run(*args: str) -> Result:
    """Invoke the CLI as CI would."""
    return CliRunner().invoke(cli, ["check", "links", *args])


@pytest.fixture
def broken(tmp_path: Path) -> tuple[Path, Path]:
    """A tiny built site with one broken link and one missing anchor, its docs/ and mkdocs.yml."""
    site, docs = tmp_path / "site", tmp_path / "docs"
    (site / "guide").mkdir(parents=True)
    docs.mkdir()
    (docs / "index.md").write_text("# Home")
    (site / "index.html").write_text(
        '<a href="guide/#steps">ok</a><a href="gone/">x</a>'
        '<a href="guide/#nope">y</a><a href="http://localhost:3000/">d</a>'
    )
    (site / "guide" / "index.html").write_text('<h2 id="steps">Steps</h2>')
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nplugins:\n  - oncall:\n      links:\n"
        "        ignore: ['^http://localhost']\n        cache_dir: cache\n"
    )
    return site, config


def test_project_site_has_no_broken_links(built_site: BuildResult) -> None:
    """The project's own site: every internal link and anchor resolves; dashboards are skipped."""
    result = run(
        str(built_site.site), "--format", "json", "--config-file", str(ROOT / "mkdocs.yml")
    )
    report = json.loads(result.output)
    assert result.exit_code == 0, result.output
    assert {(f["code"], f["severity"]) for f in report["findings"]} == {("skipped", "info")}
    assert all(f["url"].startswith("http://localhost:") for f in report["findings"])
    assert report["summary"]["pages"] > 20


def test_findings_exit_1_and_json_shape(broken: tuple[Path, Path]) -> None:
    """Findings exit 1; JSON names page, source, url as written, severity and code."""
    site, config = broken
    result = run(str(site), "--format", "json", "--config-file", str(config))
    assert result.exit_code == 1
    found = json.loads(result.output)["findings"]
    assert found == [
        {
            "code": "broken-link",
            "severity": "error",
            "page": "index.html",
            "url": "gone/",
            "source": "docs/index.md",
            "message": "gone/ is not in the site",
        },
        {
            "code": "missing-anchor",
            "severity": "error",
            "page": "index.html",
            "url": "guide/#nope",
            "source": "docs/index.md",
            "message": "no element with id 'nope' in guide/index.html",
        },
        {
            "code": "skipped",
            "severity": "info",
            "page": "index.html",
            "url": "http://localhost:3000/",
            "source": "docs/index.md",
            "message": "ignored by a rule",
        },
    ]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "page index.html\n  error: [broken-link] gone/: gone/ is not in the site"),
        ("github", "::error file=docs/index.md,title=broken-link::page index.html gone/: "),
        ("junit", '<failure type="broken-link"'),
    ],
)
def test_formats(broken: tuple[Path, Path], fmt: str, expected: str) -> None:
    """Text groups by page, GitHub annotates the source file, JUnit fails the page's case."""
    site, config = broken
    result = run(str(site), "--format", fmt, "--config-file", str(config))
    assert result.exit_code == 1
    assert expected in result.output
    if fmt == "junit":
        cases = ET.fromstring(result.output).iter("testcase")  # noqa: S314 - our own output
        assert {case.get("name"): case.find("failure") is not None for case in cases} == {
            "index.html": True,
            "guide/index.html": False,
        }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "yaml"], "Invalid value for '--format'"),
        (["--ignore", "("], "ignore: '(' is not a valid regular expression"),
        (["missing-site"], "no such site folder"),
    ],
)
def test_usage_errors_exit_2(broken: tuple[Path, Path], args: list[str], message: str) -> None:
    """Bad options, rules or folders exit 2 with one line and no traceback."""
    site, config = broken
    target = [] if args == ["missing-site"] else [str(site)]
    result = run(*target, *args, "--config-file", str(config))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_ignore_option_skips(broken: tuple[Path, Path]) -> None:
    """--ignore adds to the rules of mkdocs.yml: matching links are skipped, the rest checked."""
    site, config = broken
    result = run(str(site), "--ignore", "gone/", "--ignore", "#nope", "--config-file", str(config))
    assert result.exit_code == 0, result.output


def test_external_uses_fake_web_and_cache(broken: tuple[Path, Path], fake_web: FakeWeb) -> None:
    """--external checks each URL; a second run answers from the cache without a request."""
    site, config = broken
    (site / "ext.html").write_text(
        f'<a href="{fake_web.base}/status/404/e">a</a><a href="{fake_web.base}/ok/e">b</a>'
    )
    first = run(str(site), "--external", "--format", "json", "--config-file", str(config))
    fake_web.reset()
    second = run(str(site), "--external", "--format", "json", "--config-file", str(config))
    summaries = [json.loads(r.output)["summary"] for r in (first, second)]
    assert [s["requests"] for s in summaries] == [2, 0]
    assert fake_web.seen == []
    assert summaries[1]["by_code"]["broken-link"] == 2  # gone/ and the 404
    assert (config.parent / "cache" / "external.json").is_file()
