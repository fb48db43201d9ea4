"""Text made safe for where it lands: the one Markdown escaper and the one terminal line.

HTML is escaped by Jinja's autoescape (render/environment.py); what lands in Markdown (runbook
headings, the `oncall` page variable, the handoff draft) or on a terminal comes through here.
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|#])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_LEADING_MARKER = re.compile(r"^(\s*(?:[-+]|\d+(?=[.)])))")
# Anything page_text would change: HTML or Markdown specials, line breaks (a leading list
# marker is checked apart).
_PAGE_SPECIAL = re.compile(r"[&<>\\`*_\[\]{}|#\r\n\u2028\u2029\x0b\x0c\x85]")
# C0 and C1 controls, DEL, and what some readers take for a line break (U+2028, U+2029).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def markdown_escape(text: str) -> str:
    """Text as inline Markdown that reads literally: no link, emphasis, code, heading or list.

    Line breaks become spaces, so a value can never start a new block (a heading, a list
    item or a line of its own) in the text around it.
    """
    flat = _LINE_BREAKS.sub(" ", text)
    escaped = _MD_SPECIAL.sub(r"\\\1", flat)
    return _LEADING_MARKER.sub(_escape_marker, escaped, count=1)


def _escape_marker(match: re.Match[str]) -> str:
    r"""`- x` -> `\- x`; `1. x` -> `1\. x` (the punctuation after the number is escaped)."""
    marker = match.group(1)
    return marker[:-1] + "\\" + marker[-1] if marker.strip() in "-+" else marker + "\\"


def page_text(text: str) -> str:
    """Text for a Markdown page that becomes HTML: HTML-escaped, then Markdown-escaped.

    Backticks become `&#96;`, so a value inside a code span cannot close it either. Most
    values (runbook titles) need none of it and come back as they are, without the three passes.
    """
    if not _PAGE_SPECIAL.search(text) and not _LEADING_MARKER.match(text):
        return text
    escaped = markdown_escape(html.escape(text, quote=False))
    return escaped.replace("\\`", "&#96;")


def one_line(text: str) -> str:
    """`text` as one terminal line: CR, LF and every other control character percent-encoded.

    Values from pages, URLs or data (a URL with `%0A::error ...` decoded, a roster name with an
    escape sequence) can then neither start a line GitHub reads as a workflow command nor drive
    the terminal. Text without such characters comes back unchanged.
    """
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), text)
