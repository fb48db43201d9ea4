"""The link check inside a real `mkdocs build`: warnings that name the Markdown source."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from oncall_docs.mkdocs_plugin.plugin import OncallPlugin
from tests.conftest import BuildResult
from tests.fakes.web import FakeWeb

pytestmark = pytest.mark.integration

BROKEN_PAGE = """# Broken

<a href="../nope/">raw link MkDocs does not validate</a>
<a href="../severity/#no-such-anchor">raw anchor link</a>
<a href="../severity/">fine</a>
"""


def add_page(project: Path, text: str) -> None:
    """Add docs/broken.md to the nav-less pages of the project copy."""
    (project / "docs" / "broken.md").write_text(text)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "validation:\n  nav:\n    omitted_files: warn",
            "validation:\n  nav:\n    omitted_files: info",
        )
    )


def set_links(project: Path, settings: str) -> None:
    """Replace the plugin's `links:` settings in the project copy's mkdocs.yml."""
    config = project / "mkdocs.yml"
    text = config.read_text()
    start = text.index("      links:\n")
    end = text.index("\n\n", start)
    config.write_text(text[:start] + settings.rstrip("\n") + text[end:])


def test_strict_build_fails_on_broken_links(
    project: Path, build: Callable[..., BuildResult]
) -> None:
    """Broken raw-HTML links and anchors are warnings naming source and page; --strict fails."""
    add_page(project, BROKEN_PAGE)
    result = build(project)
    assert result.returncode != 0
    assert (
        "docs/broken.md (page broken/index.html): ../nope/: [broken-link] nope/ is not in the site"
        in result.output
    )
    assert (
        "docs/broken.md (page broken/index.html): ../severity/#no-such-anchor: [missing-anchor]"
        in result.output
    )
    assert result.output.count("[broken-link]") + result.output.count("[missing-anchor]") == 2


def test_external_check_in_build(
    project: Path, build: Callable[..., BuildResult], fake_web: FakeWeb
) -> None:
    """With `external: true` the build checks external URLs too; the default leaves them alone."""
    add_page(project, f"# Ext\n\n[gone]({fake_web.base}/status/404/b) [ok]({fake_web.base}/ok/b)\n")
    assert build(project).returncode == 0
    assert fake_web.seen == []
    # Only the fake web is asked: every other host (fonts, theme links) is skipped.
    set_links(
        project,
        "      links:\n        external: true\n        ignore: ['^https?://(?!127\\.0\\.0\\.1)']\n"
        "        cache_dir: .linkcache\n",
    )
    result = build(project)
    assert result.returncode != 0
    assert (
        f"docs/broken.md (page broken/index.html): {fake_web.base}/status/404/b: [broken-link] HTTP 404"
        in result.output
    )
    assert {s.path for s in fake_web.seen} == {"/status/404/b", "/ok/b"}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("      links: {externel: true}\n", "unknown setting 'externel'"),
        ("      links: {ignore: ['(']}\n", "ignore: '(' is not a valid regular expression"),
    ],
)
def test_bad_link_settings_fail_the_config(
    project: Path, build: Callable[..., BuildResult], settings: str, message: str
) -> None:
    """A typo or a bad pattern in `links:` stops the build with one line naming it."""
    set_links(project, settings)
    result = build(project)
    assert result.returncode != 0
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("command", "requests"), [("build", 1), ("serve", 0)])
def test_external_never_checked_under_serve(
    tmp_path: Path, fake_web: FakeWeb, caplog: pytest.LogCaptureFixture, command: str, requests: int
) -> None:
    """`mkdocs serve` checks internal links only, even with `external: true`."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(f'<a href="{fake_web.base}/ok/s">x</a><a href="nope/">y</a>')
    plugin = OncallPlugin()
    errors, _ = plugin.load_config({"links": {"external": True, "cache_dir": str(tmp_path / "c")}})
    assert errors == []
    plugin.on_startup(command=command, dirty=False)
    config = SimpleNamespace(site_dir=str(site), config_file_path=str(tmp_path / "mkdocs.yml"))
    plugin.on_post_build(config=config)  # type: ignore[arg-type]
    assert len(fake_web.seen) == requests
    assert "page index.html: nope/: [broken-link]" in caplog.text
