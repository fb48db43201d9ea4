"""The start-tag pattern and the chunk cut give what the plain pattern and lower() gave."""

from __future__ import annotations

import random
import re
import sys

import pytest

from oncall_docs.linkcheck import collect
from oncall_docs.linkcheck.collect import MAX_CARRY, _safe_end

PIECES = [
    "<", ">", '"', "'", "a", " ", "=", "/", "x", "\n", "\t", "script", "style", "SCRIPT",
    "StYlE", "</script>", "</style >", "</SCRIPT", "<a ", "<script", "<Style", "<!--", "-->",
    "\u0130", "é", "\u017f", "\u212a", "href=", 'id="',
]  # fmt: skip
PLAIN_TAG = re.compile(r"<([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")


def old_safe_end(text: str) -> int:
    """_safe_end as it was: the tail lower-cased, then searched."""
    cut = text.rfind("<")
    if cut == -1:
        return len(text)
    if text.find(">", cut) != -1:
        cut = len(text)
    comment = text.rfind("<!--")
    if comment != -1 and text.find("-->", comment) == -1:
        cut = min(cut, comment)
    lowered = text[-MAX_CARRY:].lower()
    offset = len(text) - len(lowered)
    for name in ("script", "style"):
        opened = lowered.rfind(f"<{name}")
        if opened != -1 and lowered.find(f"</{name}", opened) == -1:
            cut = min(cut, offset + opened)
    return cut


def texts(seed: int, count: int = 20_000) -> list[str]:
    """Random fragments of tag-like text: quotes, raw-text elements, comments, odd letters."""
    rng = random.Random(seed)  # noqa: S311 - test data, not a secret
    return ["".join(rng.choices(PIECES, k=rng.randint(0, 30))) for _ in range(count)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tag_pattern_finds_the_same_tags(seed: int) -> None:
    """Every start tag (span, name, attributes) is the one the plain pattern finds."""
    for text in texts(seed):
        found = [m.span() + m.groups() for m in collect._TAG.finditer(text)]
        assert found == [m.span() + m.groups() for m in PLAIN_TAG.finditer(text)], text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_safe_end_cuts_where_it_did(seed: int) -> None:
    """The chunk cut is where lower-casing the tail put it, odd letters and İ included."""
    for text in texts(seed):
        assert _safe_end(text) == old_safe_end(text), text


def test_only_ascii_lowers_to_the_raw_text_letters() -> None:
    """No other character lower-cases to a letter of `script` or `style`, or changes length but İ."""
    letters = set("<>/scriptyle")
    odd = [c for c in map(chr, range(128, sys.maxunicode + 1)) if c.lower() in letters]
    longer = [c for c in map(chr, range(sys.maxunicode + 1)) if len(c.lower()) != 1]
    assert (odd, longer) == ([], ["\u0130"])


@pytest.mark.skipif(sys.version_info < (3, 11), reason="possessive patterns are Python 3.11+")
def test_tag_pattern_is_possessive() -> None:
    """The attribute text is matched without backtracking (the faster pattern is in use)."""
    assert collect._TAG.pattern != PLAIN_TAG.pattern
    assert "*+)>" in collect._TAG.pattern


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<script>" + "x" * MAX_CARRY + "<p>", id="open-before-the-tail"),
        pytest.param("x" * MAX_CARRY + "<SCRIPT src=a>js", id="open-in-the-tail"),
        pytest.param("<style>" + "é" * MAX_CARRY + "</style><style>", id="closed-then-open"),
        pytest.param("\u0130<script>" + "x" * MAX_CARRY + "<script>", id="i-dot-outside-tail"),
    ],
)
def test_safe_end_on_a_long_text(text: str) -> None:
    """Only the last MAX_CARRY characters are searched, as before."""
    assert _safe_end(text) == old_safe_end(text)
