"""Whitespace that keeps words apart when HTML is read as plain text.

Search plugins (MkDocs', Material's) build their index by concatenating the text nodes of a
page, so `<th>Channel</th><th>Purpose</th>` becomes "ChannelPurpose" and a line break
between a name and a note glues them. A newline between adjacent cells and after a `<br>`
changes nothing on screen (whitespace between table cells is not rendered, and whitespace
at the start of a line is collapsed) but separates the words for every text reader.
"""

from __future__ import annotations

import re

_ADJACENT_CELLS = re.compile(r"(</t[dh]>)(?=<t[dh][\s>])")
_BREAK = re.compile(r"(<br\s*/?>)(?=[^\s])")


def separate_cells(html: str) -> str:
    """Put a newline between adjacent table cells and after each line break that lacks one."""
    return _BREAK.sub(r"\1\n", _ADJACENT_CELLS.sub(r"\1\n", html))
