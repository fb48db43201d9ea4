"""Which stretch of time a handoff draft covers: by default the shift that ends at the next handoff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from oncall_docs.model import Handbook
from oncall_docs.rotation import shift_at


@dataclass(frozen=True)
class HandoffWindow:
    """The shift the draft covers: [since, until), aware datetimes."""

    since: datetime
    until: datetime


def current_window(book: Handbook, now: datetime) -> HandoffWindow:
    """The shift that contains `now` (the rotation's [start, end)), in wall-clock handoff times."""
    shift = shift_at(book.rotation, now)
    return HandoffWindow(shift.start, shift.end)
