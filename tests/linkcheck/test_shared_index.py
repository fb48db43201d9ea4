"""The site index shares what pages repeat: one Link per distinct link, one verdict per scope."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall_docs.linkcheck.check import _scope, check_site
from oncall_docs.linkcheck.collect import MAX_TAGS, Interner, collect
from oncall_docs.linkcheck.rules import compile_rules
from oncall_docs.linkcheck.site import scan_site, site_from_pages

NAV = '<nav><a href="../a/" class="nav">A</a><a href="../b/#top">B</a><a id="__nav_1"></a></nav>'


def _page(body: str) -> str:
    return f"<!doctype html><html><body>{NAV}{body}</body></html>"


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "worker-processes"])
def test_pages_share_link_objects_and_anchor_strings(
    tmp_path: Path, parallel: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two pages with the same navigation point at the same Link objects and anchor strings."""
    for name in ("a", "b", "c", "d"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(_page(f'<h1 id="{name}">x</h1>'))
    monkeypatch.setattr("oncall_docs.linkcheck.site.PARALLEL_FROM", 2)
    site = scan_site(tmp_path, parallel=parallel)
    first, second = site.pages["a/index.html"], site.pages["d/index.html"]
    assert [link.url for link in first.links] == ["../a/", "../b/#top"]
    assert all(x is y for x, y in zip(first.links, second.links, strict=True))
    nav_a = next(a for a in first.anchors if a == "__nav_1")
    nav_b = next(a for a in second.anchors if a == "__nav_1")
    assert nav_a is nav_b
    assert first.anchors == {"__nav_1", "a"}


def test_tag_memo_gives_the_same_as_a_fresh_parse() -> None:
    """A start tag read from the memo gives the anchors and links a fresh parse gives."""
    shared = Interner()
    html = '<a href="x.html" id="k">1</a><img src="i.png" srcset="j.png 2x"><a name="n">'
    once, twice = collect(html, "p.html", shared=shared), collect(html, "q.html", shared=shared)
    fresh = collect(html, "r.html")
    assert once.links == twice.links == fresh.links
    assert once.anchors == twice.anchors == fresh.anchors == {"k", "n"}
    assert len(shared.tags) == 3
    assert MAX_TAGS >= 100_000


@pytest.mark.parametrize(
    ("path", "url", "scope"),
    [
        pytest.param("p/index.html", "#x", "p/index.html", id="fragment-is-per-page"),
        pytest.param("p/index.html", "?q=1", "p/index.html", id="query-is-per-page"),
        pytest.param("p/index.html", "https://e.com/", "", id="external-is-site-wide"),
        pytest.param("a/b/index.html", "c.html", "a/b", id="relative-is-per-folder"),
        pytest.param("a/b/index.html", "../c/", "a", id="one-climb"),
        pytest.param("a/b/index.html", "../../c/", "", id="two-climbs-to-root"),
        pytest.param("a/index.html", "../../c/", "\x00a", id="climbs-out-stays-apart"),
        pytest.param("index.html", "../c/", "\x00", id="climbs-out-from-root"),
    ],
)
def test_scope_of_a_verdict(path: str, url: str, scope: str) -> None:
    """A link's verdict is shared by exactly the pages from which it resolves the same."""
    assert _scope(path, path.rpartition("/")[0], url) == scope


def test_shared_verdicts_keep_each_page_right() -> None:
    """`../../c/` is fine from a/b/, out of the site from x/, and broken from a/b/ when c/ is gone."""
    pages = {
        "a/b/index.html": '<a href="../../c/">c</a><a href="../d/">d</a>',
        "e/f/index.html": '<a href="../../c/">c</a><a href="../d/">d</a>',
        "x/index.html": '<a href="../../c/">c</a>',
        "c/index.html": "",
        "a/d/index.html": "",
    }
    findings, _ = check_site(site_from_pages(pages, set()), rules=compile_rules())
    assert sorted((f.code, f.subject, f.url) for f in findings) == [
        ("broken-link", "e/f/index.html", "../d/"),
        ("escapes-site", "x/index.html", "../../c/"),
    ]
