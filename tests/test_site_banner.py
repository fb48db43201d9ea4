"""site.page_banner: the banner per page, its links worked out once per folder, as before."""

from __future__ import annotations

import posixpath

import pytest

from oncall_docs.oncall.view import OncallView
from oncall_docs.render.links import page_folder, relative_url
from oncall_docs.site import SCHEDULE_ANCHOR, page_banner
from tests.oncall.test_view import NOW, snapshot

PAGE_URLS = [
    "",
    "severity/",
    "schedule/",
    "runbooks/deployment-guide/",
    "runbooks/rb-0001/",
    "runbooks/rb-0002/",
    "a/b/c/",
    "404.html",
    "index.html",
    "severity.html",
    "runbooks/deployment-guide.html",
    "runbooks/index.html",
]


def old_relative_url(url: str, other: str) -> str:
    """relative_url as it was before page_folder."""
    if other != ".":
        head, tail = posixpath.split(other)
        other = head if "." in tail else other
    relative = posixpath.relpath("/" + url, "/" + other)
    return relative + "/" if url.endswith("/") else relative


@pytest.mark.parametrize("other", [*PAGE_URLS, ".", "a/b.c/", "x.y"])
@pytest.mark.parametrize("url", ["schedule/", "my-shift.html", "", "runbooks/x/", "a/b/c/"])
def test_relative_url_is_unchanged(url: str, other: str) -> None:
    """relative_url gives what it gave before it resolved through page_folder."""
    assert relative_url(url, other) == old_relative_url(url, other)


def test_pages_of_one_folder_share_their_links() -> None:
    """Two page URLs with one page_folder get the same relative links."""
    for a in PAGE_URLS:
        for b in PAGE_URLS:
            if page_folder(a or ".") == page_folder(b or "."):
                assert relative_url("schedule/", a or ".") == relative_url("schedule/", b or ".")


@pytest.mark.parametrize(("schedule", "myshift"), [("schedule/", "my-shift/")])
def test_page_banner_matches_the_per_page_banner(
    schedule: str, myshift: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page's banner is the one a new view renders for it, at one render per distinct links."""
    view = OncallView(snapshot(), NOW, "America/New_York")
    renders: list[tuple[str, str | None]] = []
    original = OncallView._render

    def counting(self: OncallView, name: str, **context: object) -> object:
        renders.append((str(context["href"]), context["myshift_href"]))  # type: ignore[arg-type]
        return original(self, name, **context)

    banner = page_banner(view, schedule, myshift)
    expected = {}
    for url in PAGE_URLS:
        fresh = OncallView(snapshot(), NOW, "America/New_York")
        expected[url] = fresh.banner(
            old_relative_url(schedule, url or ".") + SCHEDULE_ANCHOR,
            old_relative_url(myshift, url or "."),
        )
    monkeypatch.setattr(OncallView, "_render", counting)
    for url in PAGE_URLS:
        assert banner(url) == expected[url]
    links = {
        (
            old_relative_url(schedule, u or ".") + SCHEDULE_ANCHOR,
            old_relative_url(myshift, u or "."),
        )
        for u in PAGE_URLS
    }
    assert len(links) < len(PAGE_URLS)
    assert sorted(renders) == sorted(links)  # one render per distinct pair of links
