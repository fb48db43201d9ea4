"""Pages from another process join the site's shared objects with one lookup per object."""

from __future__ import annotations

import pickle

import pytest

from oncall_docs.linkcheck.check import _PageScopes, _scope
from oncall_docs.linkcheck.collect import Interner, PageLinks, collect

NAV = '<a href="../">Home</a><a href="../b/">B</a><link href="../assets/x.css" rel="stylesheet">'


def answer(count: int) -> list[PageLinks]:
    """What a worker process sends back: pages sharing their links, through pickle."""
    worker = Interner()
    pages = [
        collect(
            f'{NAV}<a href="#s{i}" id="h{i}">x</a><img src="p{i % 3}.png">',
            f"p{i}/index.html",
            shared=worker,
        )
        for i in range(count)
    ]
    return pickle.loads(pickle.dumps(pages))  # noqa: S301 - our own objects, in memory


def test_adopt_all_matches_adopt() -> None:
    """Every page ends with equal links and anchors, and the very objects `adopt` would give."""
    one, many = Interner(), Interner()
    by_page = [one.adopt(page) for page in answer(20)]
    together = many.adopt_all(answer(20))
    assert [(p.path, p.links, p.anchors) for p in by_page] == [
        (p.path, p.links, p.anchors) for p in together
    ]
    assert len({id(link) for p in together for link in p.links}) == len(many.links)


def test_adopt_all_looks_each_object_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Twenty pages repeating the same navigation cost one lookup per distinct link."""
    shared, part = Interner(), answer(20)
    looked_up = []
    original = Interner.link

    def counting(self: Interner, link: object) -> object:
        looked_up.append(link)
        return original(self, link)  # type: ignore[arg-type]

    monkeypatch.setattr(Interner, "link", counting)
    pages = shared.adopt_all(part)
    occurrences = sum(len(p.links) for p in pages)
    assert len(looked_up) == len(shared.links) < occurrences


@pytest.mark.parametrize(
    "path", ["index.html", "a/index.html", "a/b/c/d.html", "runbooks/rb-0001/index.html"]
)
def test_page_scopes_match_scope(path: str) -> None:
    """The per-page scopes are `_scope`'s, for every kind of link and every climb."""
    folder = path.rpartition("/")[0]
    urls = ["#x", "?q", "http://h/", "https://h/#a", "./a", "a/b", "/abs", "..", "//h/x", ""]
    urls += ["../" * k + "x" for k in range(1, 7)] + ["../" * k for k in range(1, 7)]
    scopes = _PageScopes(path, folder)
    assert [scopes.of(u) for u in urls] == [_scope(path, folder, u) for u in urls]
