"""The one Markdown escaper and the one-line terminal sanitiser."""

from __future__ import annotations

import pytest

from oncall_docs.text import markdown_escape, one_line, page_text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        pytest.param(
            "[click](https://evil.example)", r"\[click\](https://evil.example)", id="link"
        ),
        pytest.param("**bold** _it_", r"\*\*bold\*\* \_it\_", id="emphasis"),
        pytest.param("a`b", r"a\`b", id="backtick"),
        pytest.param("line\n# heading", r"line \# heading", id="newline-heading"),
        pytest.param("a\r\n- item", "a - item", id="crlf-list"),
        pytest.param("- item", r"\- item", id="leading-dash"),
        pytest.param("12. item", r"12\. item", id="leading-number"),
        pytest.param("{#id .class}", r"\{\#id .class\}", id="attr-list"),
        pytest.param("a | b", r"a \| b", id="table-pipe"),
        pytest.param("<b>", r"\<b\>", id="angle"),
        pytest.param("Plain text, 2 weeks' notice.", "Plain text, 2 weeks' notice.", id="plain"),
    ],
)
def test_markdown_escape(raw: str, escaped: str) -> None:
    """Markdown markup reads literally, and a value never starts a new line."""
    assert markdown_escape(raw) == escaped


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        pytest.param("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;", id="html"),
        pytest.param("#chan`nel", r"\#chan&#96;nel", id="backtick-entity"),
        pytest.param("A & B", "A &amp; B", id="ampersand"),
        pytest.param("America/New_York", r"America/New\_York", id="underscore"),
    ],
)
def test_page_text(raw: str, escaped: str) -> None:
    """Page text is HTML-escaped, then Markdown-escaped; a backtick becomes a character reference."""
    assert page_text(raw) == escaped


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        pytest.param("a\nb", "a%0Ab", id="lf"),
        pytest.param("a\r\nb", "a%0D%0Ab", id="crlf"),
        pytest.param("red\x1b[31m!", "red%1B[31m!", id="ansi"),
        pytest.param("c1\x9b", "c1%C2%9B", id="c1-csi"),
        pytest.param("plain text", "plain text", id="unchanged"),
    ],
)
def test_one_line(raw: str, line: str) -> None:
    """One line: no CR, LF or control character reaches the terminal (the same module as the escaper)."""
    assert one_line(raw) == line
