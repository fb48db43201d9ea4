"""Without mkdocs-macros, the oncall plugin expands the pages' macros itself, compiled once across builds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
import pytest

from oncall_docs.render.environment import ENVIRONMENT
from oncall_docs.render.pages import PageLoader
from tests.conftest import BuildResult, with_macros_plugin, with_oncall_setting

Build = Callable[..., BuildResult]


class Compiles:
    """Every template compiled during a build, by environment: pages (ours) and fragments."""

    def __init__(self) -> None:
        self.pages: list[str | None] = []
        self.fragments: list[str | None] = []


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Compiles:
    """Count compiles of page and fragment templates; the fragments start uncompiled in memory."""
    seen = Compiles()
    original = jinja2.Environment.compile

    def counted(env: jinja2.Environment, source: str, name: str | None = None, *a: Any) -> Any:
        if env is ENVIRONMENT:
            seen.fragments.append(name)
        elif isinstance(env.loader, PageLoader):
            seen.pages.append(name)
        return original(env, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    if ENVIRONMENT.cache is not None:
        ENVIRONMENT.cache.clear()  # earlier tests compiled them in this process
    return seen


def html_pages(site: Path) -> dict[str, str]:
    """Every built HTML page by path."""
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}


class _Clock(datetime):
    """`datetime` whose `now` stays at the minute the test started (the schedule page shows it)."""

    at = datetime.now(timezone.utc).replace(second=0, microsecond=0)

    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        """The frozen instant, in `tz` (naive UTC without one)."""
        return cls.at.astimezone(tz) if tz is not None else cls.at.replace(tzinfo=None)


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Both builds of a comparison see the same "now": the timeline ends 8 weeks after it."""
    monkeypatch.setattr("oncall_docs.mkdocs_plugin.plugin.datetime", _Clock)
    return _Clock.at


@pytest.mark.usefixtures("frozen_now")
def test_same_html_with_and_without_mkdocs_macros(project: Path, build: Build) -> None:
    """The plugin's own rendering gives the HTML mkdocs-macros gave, page for page.

    The clock is frozen for both builds: two builds a minute apart differ on the schedule page.
    """
    ours = build(project, "--site-dir", str(project / "ours"))
    assert ours.returncode == 0, ours.output
    assert not (project / "mkdocs.yml").read_text("utf-8").count("- macros")
    macros = build(with_macros_plugin(project), "--site-dir", str(project / "macros"))
    assert macros.returncode == 0, macros.output
    ours_pages, macros_pages = html_pages(ours.site), html_pages(macros.site)
    assert len(ours_pages) > 10
    assert sorted(ours_pages) == sorted(macros_pages)
    assert [p for p in ours_pages if ours_pages[p] != macros_pages[p]] == []
    assert "{{" not in ours_pages["index.html"]


def test_second_build_compiles_nothing(
    project: Path,
    build: Build,
    compiles: Compiles,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first build fills the page and fragment caches; the second loads everything from them."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # no fragment cached yet
    (project / "docs" / "plain.md").write_text("# Plain\n\nNo template here.\n", "utf-8")
    first = build(project)
    assert first.returncode == 0, first.output
    cache = project / ".cache" / "oncall" / "jinja"
    assert len(list((cache / "pages").glob("*.cache"))) == len(compiles.pages) > 2
    fragments = tmp_path / "user-cache" / "oncall-docs" / "jinja"
    assert len(list(fragments.glob("*.cache"))) == len(compiles.fragments) > 5
    assert "plain.md" not in compiles.pages  # no Jinja syntax: never compiled
    assert "faq.md" not in compiles.pages  # only `{{ faq() }}`: expanded without compiling
    assert "index.md" in compiles.pages
    compiles.pages.clear()
    compiles.fragments.clear()
    assert ENVIRONMENT.cache is not None
    ENVIRONMENT.cache.clear()  # as in a new process
    second = build(project)
    assert second.returncode == 0, second.output
    assert (compiles.pages, compiles.fragments) == ([], [])
    assert html_pages(second.site) == html_pages(first.site)


@pytest.mark.parametrize(
    ("settings", "env"),
    [
        pytest.param("      build_cache: false\n", {}, id="setting"),
        pytest.param("", {"ONCALL_BUILD_CACHE": "0"}, id="environment"),
        pytest.param("      cache_dir: mkdocs.yml/cache\n", {}, id="unwritable"),
    ],
)
def test_build_without_cache_folder(
    project: Path, build: Build, settings: str, env: dict[str, str]
) -> None:
    """Cache off (setting or environment) or impossible: the build succeeds and writes no cache."""
    with_oncall_setting(project, settings)
    result = build(project, env=env)
    assert result.returncode == 0, result.output
    assert not (project / ".cache" / "oncall" / "jinja").exists()
    assert 'data-checklist="before-48h"' in (result.site / "preparation" / "index.html").read_text(
        "utf-8"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("Text\n\n{{ oncall.rotation.team }\n", ":6: unexpected '}'", id="syntax"),
        pytest.param(
            "Text\n\n\n{{ no_such_name }}\n", ":7: 'no_such_name' is undefined", id="undef"
        ),
        pytest.param(
            "Text\n\n{{ checklist('nope') }}\n", ":6: no checklist with id 'nope'", id="macro-error"
        ),
    ],
)
def test_bad_page_fails_in_one_line(project: Path, build: Build, body: str, message: str) -> None:
    """The build stops with one line naming the Markdown file and the line (front matter counted)."""
    (project / "docs" / "bad.md").write_text(f"---\ntitle: Bad\n---\n{body}", "utf-8")
    result = build(project)
    assert result.returncode == 1
    (line,) = [line for line in result.output.splitlines() if "bad.md:" in line]
    assert line.startswith("ERROR   -  ")
    assert f"docs/bad.md{message}" in line, line
    assert "Traceback" not in result.output


def test_render_macros_false_keeps_the_text(project: Path, build: Build) -> None:
    """Front matter `render_macros: false` leaves `{{ x }}` as written."""
    (project / "docs" / "raw.md").write_text(
        "---\nrender_macros: false\n---\n# Raw\n\nWrite `{{ x }}` in a page.\n", "utf-8"
    )
    result = build(project)
    assert result.returncode == 0, result.output
    assert "<code>{{ x }}</code>" in (result.site / "raw" / "index.html").read_text("utf-8")


def test_pages_see_the_mkdocs_config(project: Path, build: Build) -> None:
    """`{{ config.site_name }}` works as it did under mkdocs-macros."""
    (project / "docs" / "about.md").write_text("# About\n\nSite: {{ config.site_name }}\n", "utf-8")
    result = build(project)
    assert result.returncode == 0, result.output
    name = result.site.joinpath("about", "index.html").read_text("utf-8")
    site_name = next(
        line.split(":", 1)[1].strip()
        for line in (project / "mkdocs.yml").read_text("utf-8").splitlines()
        if line.startswith("site_name:")
    )
    assert f"Site: {site_name}" in name
