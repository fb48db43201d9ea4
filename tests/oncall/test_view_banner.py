"""The banner is rendered once per distinct pair of links, and is the same HTML as before."""

from __future__ import annotations

import pytest

import oncall_docs.oncall.view
from oncall_docs.oncall.view import OncallView
from tests.oncall.test_view import NOW, snapshot

PAIRS = [
    ("schedule/#who-is-on-call", "my-shift/"),
    ("../schedule/#who-is-on-call", "../my-shift/"),
    ("schedule/#who-is-on-call", "my-shift/"),
    ("../../schedule/#who-is-on-call", "../../my-shift/"),
    ("../schedule/#who-is-on-call", "../my-shift/"),
    ("schedule.html#who-is-on-call", None),
]


@pytest.mark.parametrize("gap", [False, True])
def test_banner_is_the_same_html_as_a_fresh_view(gap: bool) -> None:
    """Each banner from a view that has shown others equals the one a new view renders."""
    view = OncallView(snapshot(gap=gap), NOW, "America/New_York", slack={"PA": "@alice"})
    for pair in PAIRS:
        fresh = OncallView(snapshot(gap=gap), NOW, "America/New_York", slack={"PA": "@alice"})
        assert view.banner(*pair) == fresh.banner(*pair)


def test_banner_renders_once_per_distinct_links(monkeypatch: pytest.MonkeyPatch) -> None:
    """Six pages at four distinct pairs of links cost four template renders, not six."""
    rendered: list[str] = []
    original = oncall_docs.oncall.view.render

    def counting(name: str, /, **context: object) -> object:
        rendered.append(name)
        return original(name, **context)

    monkeypatch.setattr(oncall_docs.oncall.view, "render", counting)
    view = OncallView(snapshot(), NOW, "America/New_York")
    for pair in PAIRS:
        view.banner(*pair)
    assert rendered == ["oncall_banner.html"] * len(set(PAIRS))
