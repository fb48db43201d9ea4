"""[I/O] Calendar texts kept across builds, by content: an unchanged feed is not written again.

One JSON file (`<cache_dir>/calendars.json`) maps a key (the SHA-256 of a feed's plain
description, `ics.IcsCalendar`, as JSON) to the text `ics.write_ics` made of it. On a
rebuild the feeds are nearly always the same, so a hit neither imports icalendar (25 ms)
nor builds the calendar. The description holds names and times only: never the token.

Everything else that could change the text is in the cache's `version`: the source of the
writer (oncall/ics.py) and of this module, and the versions of icalendar (from its
metadata, without importing it) and Python. A cache of another version is started afresh.
Missing, damaged or unwritable: ignored, as the data cache (filestore.TextMemo).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from datetime import datetime, timedelta
from functools import cache
from importlib import metadata
from pathlib import Path

from oncall_docs.filestore import TextMemo, code_version
from oncall_docs.oncall import ics
from oncall_docs.oncall.ics import CalendarWriter, IcsCalendar

CACHE_NAME = "calendars.json"


@cache
def version() -> str:
    """What a calendar's text depends on besides its description (computed once per process)."""
    try:
        icalendar = metadata.version("icalendar")
    except metadata.PackageNotFoundError:  # not installed as a distribution: cannot tell
        icalendar = os.urandom(16).hex()  # so no stored text ever matches
    return code_version((icalendar, sys.version), (Path(ics.__file__), Path(__file__)))


def _plain(value: object) -> object:
    """A description's times as JSON: the instant and the zone (the zone shapes the text)."""
    if isinstance(value, datetime):
        return [value.isoformat(), repr(value.tzinfo)]
    if isinstance(value, timedelta):
        return [value.days, value.seconds, value.microseconds]
    raise TypeError(f"{type(value).__name__} in a calendar description")


def key(spec: IcsCalendar) -> str:
    """The SHA-256 of the description's JSON: equal descriptions, equal keys."""
    text = json.dumps(
        dataclasses.asdict(spec), default=_plain, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CalendarCache(TextMemo):
    """The texts of this build's calendars, made by `write` only when not stored already."""

    FIELD = "calendars"
    NAME = CACHE_NAME

    @staticmethod
    def current_version() -> str:
        """This module's `version()`, looked up when a memo is opened."""
        return version()

    def writer(self, write: CalendarWriter = ics.write_ics) -> CalendarWriter:
        """`write`, remembered: a description stored before gives its text without writing."""

        def remembered(spec: IcsCalendar) -> str:
            entry = key(spec)
            text = self.get(entry)
            if text is None:
                text = write(spec)
                self.put(entry, text)
            return text

        return remembered
