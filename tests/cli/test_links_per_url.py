"""`check links --external`: one finding per broken URL naming its pages; internal ones per page."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from oncall_docs.cli import cli
from tests.fakes.web import FakeWeb

PAGES = 3


def write_site(root: Path, base: str) -> Path:
    """PAGES pages, each linking to two broken external URLs and one missing internal page."""
    site = root / "site"
    for i in range(PAGES):
        page = site / f"p{i}"
        page.mkdir(parents=True)
        (page / "index.html").write_text(
            f'<a href="{base}/status/404/a">a</a><a href="{base}/status/404/b">b</a>'
            f'<a href="{base}/status/404/a">again</a><a href="../gone/">gone</a>'
        )
    return site


def test_one_external_finding_per_url(tmp_path: Path, fake_web: FakeWeb) -> None:
    """6 uses of 2 broken URLs give 2 findings, each with `page` (the first) and `pages` (all)."""
    site = write_site(tmp_path, fake_web.base)
    result = CliRunner().invoke(
        cli, ["check", "links", str(site), "--external", "--no-cache", "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    external = [f for f in findings if f["url"].startswith("http")]
    internal = [f for f in findings if not f["url"].startswith("http")]
    assert sorted(f["url"] for f in external) == [
        f"{fake_web.base}/status/404/a",
        f"{fake_web.base}/status/404/b",
    ]
    pages = [f"p{i}/index.html" for i in range(PAGES)]
    for found in external:
        assert {"code", "severity", "page", "url", "message"} <= found.keys()
        assert found["page"] == pages[0]
        assert found["pages"] == pages
    assert sorted(f["page"] for f in internal) == pages  # internal: one per page
    assert all("pages" not in f for f in internal)


def test_text_names_the_other_pages(tmp_path: Path, fake_web: FakeWeb) -> None:
    """The text report lists a URL once, with the other pages that use it."""
    site = write_site(tmp_path, fake_web.base)
    result = CliRunner().invoke(cli, ["check", "links", str(site), "--external", "--no-cache"])
    lines = [line for line in result.output.splitlines() if "/status/404/a" in line]
    assert len(lines) == 1
    assert "(also on: p1/index.html, p2/index.html)" in lines[0]
