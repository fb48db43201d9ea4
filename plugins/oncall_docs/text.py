"""Text made safe for where it lands."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and what some readers take for a line break (U+2028, U+2029).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` as one terminal line: CR, LF and every other control character percent-encoded.

    Values from pages, URLs or data (a URL with `%0A::error ...` decoded, a roster name with an
    escape sequence) can then neither start a line GitHub reads as a workflow command nor drive
    the terminal. Text without such characters comes back unchanged.
    """
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), text)
