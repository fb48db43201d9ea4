"""The one place that escapes text for Markdown and for a terminal line.

HTML is escaped by Jinja's autoescape (render/environment.py); what lands in Markdown (runbook
headings, the `oncall` page variable, the handoff draft) or on a terminal comes through here.
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|#])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_LEADING_MARKER = re.compile(r"^(\s*(?:[-+]|\d+(?=[.)])))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def markdown_escape(text: str) -> str:
    """Text as inline Markdown that reads literally: no link, emphasis, code, heading or list.

    Line breaks become spaces, so a value can never start a new block (a heading, a list
    item or a line of its own) in the text around it.
    """
    flat = _LINE_BREAKS.sub(" ", text)
    escaped = _MD_SPECIAL.sub(r"\\\1", flat)
    return _LEADING_MARKER.sub(_escape_marker, escaped, count=1)


def _escape_marker(match: re.Match[str]) -> str:
    r"""`- x` -> `\\- x`; `1. x` -> `1\\. x` (the punctuation after the number is escaped)."""
    marker = match.group(1)
    return marker[:-1] + "\\" + marker[-1] if marker.strip() in "-+" else marker + "\\"


def page_text(text: str) -> str:
    """Text for a Markdown page that becomes HTML: HTML-escaped, then Markdown-escaped.

    Backticks become `&#96;`, so a value inside a code span cannot close it either.
    """
    escaped = markdown_escape(html.escape(text, quote=False))
    return escaped.replace("\\`", "&#96;")


def terminal_line(text: str) -> str:
    """One line for a terminal: CR, LF and other control characters cannot move the cursor."""
    flat = _LINE_BREAKS.sub(" ", text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", flat)
