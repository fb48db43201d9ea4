"""The one Markdown escaper and the one-line terminal sanitiser."""

from __future__ import annotations

import pytest

from oncall_docs.text import markdown_escape, page_text, terminal_line


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
        pytest.param("a\nb", "a b", id="lf"),
        pytest.param("a\r\nb", "a b", id="crlf"),
        pytest.param("a\rb", "a b", id="cr"),
        pytest.param("red\x1b[31m!", "red\\x1b[31m!", id="ansi"),
        pytest.param("bell\x07", "bell\\x07", id="bell"),
        pytest.param("c1\x9b", "c1\\x9b", id="c1-csi"),
        pytest.param("tab\tok", "tab\tok", id="tab-kept"),
    ],
)
def test_terminal_line(raw: str, line: str) -> None:
    """One line: no CR, LF or control character reaches the terminal."""
    assert terminal_line(raw) == line
