"""page_text's shortcut for text that needs no escaping gives what the full escaping gives."""

from __future__ import annotations

import html

import pytest

import oncall_docs.text
from oncall_docs.text import markdown_escape, page_text

CASES = [
    "Check the node on node-us-east-1",
    "Runbook 12, step 3 (gateway)",
    "",
    "  leading spaces",
    "trailing spaces  ",
    "1. numbered",
    " 2) numbered",
    "- dash",
    "+ plus",
    "12 monkeys",
    "a & b",
    "<b>x</b>",
    "*emph* _u_ `code` {#id} [l](u) a|b #h \\",
    "line\nbreak",
    "para\u2028sep",
    "tab\tand\x0bvertical",
    "p99 > 2s",
    "50% - not a marker",
    "naïve café 東京",
]


def full_page_text(text: str) -> str:
    """page_text without its shortcut: HTML escaping, Markdown escaping, backticks."""
    return markdown_escape(html.escape(text, quote=False)).replace("\\`", "&#96;")


@pytest.mark.parametrize("text", CASES)
def test_page_text_matches_the_full_escaping(text: str) -> None:
    """Plain or not, the text comes out exactly as the three escaping passes make it."""
    assert page_text(text) == full_page_text(text)


@pytest.mark.parametrize("text", ["Check the node", "Runbook 12, step 3 (gateway)"])
def test_plain_text_skips_the_escaping_passes(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text that needs no escaping comes back as it is, without a pass over it."""

    def refuse(_: str) -> str:
        raise AssertionError("escaping pass ran")

    monkeypatch.setattr(oncall_docs.text, "markdown_escape", refuse)
    assert page_text(text) == text
