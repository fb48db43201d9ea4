"""The `my_shift()` macro: feed links relative to the page with and without directory URLs."""

from __future__ import annotations

import pytest

from oncall_docs.mkdocs_plugin.macros import build_myshift_macros
from oncall_docs.model import Handbook
from oncall_docs.myshift.view import MyShift
from oncall_docs.oncall.view import OncallView
from tests.myshift.scenario import CAPTURED, snapshot


@pytest.mark.parametrize(
    ("directory_urls", "page", "href"),
    [
        pytest.param(True, "my-shift.md", 'href="../oncall/PALICE1.ics"', id="directory-urls"),
        pytest.param(False, "my-shift.md", 'href="oncall/PALICE1.ics"', id="offline-html-files"),
        pytest.param(True, "team/me.md", 'href="../../oncall/PALICE1.ics"', id="nested-page"),
    ],
)
def test_feed_links_follow_the_page(
    book: Handbook, directory_urls: bool, page: str, href: str
) -> None:
    """The calendar link reaches site/oncall/<id>.ics from wherever the page is built."""
    view = OncallView(snapshot(), CAPTURED, book.rotation.time_zone)
    my = MyShift.build(book, view, api_url="https://api.pagerduty.com")
    macro = build_myshift_macros(book, my, lambda: page, use_directory_urls=directory_urls)
    assert href in str(macro["my_shift"]("everyone"))


def test_unknown_part_is_one_error(book: Handbook) -> None:
    """A wrong part names the parts there are, through the macro error channel."""
    view = OncallView(snapshot(), CAPTURED, book.rotation.time_zone)
    my = MyShift.build(book, view, api_url="https://api.pagerduty.com")
    errors: list[str] = []
    macro = build_myshift_macros(book, my, lambda: "my-shift.md", on_error=errors.append)
    assert macro["my_shift"]("mine") == ""
    assert errors == ["my_shift: part must be one of personal, checklists, everyone, not 'mine'"]
