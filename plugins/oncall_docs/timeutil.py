"""One way to write, read and describe times: ISO 8601 in UTC with a Z, and short ages."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

WHEN_SYNTAX = "a date (2026-11-30) or a time (2026-11-30T09:00, optionally with Z or -05:00)"


def iso(when: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, or None."""
    if when is None:
        return None
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str | None) -> datetime | None:
    """Parse an ISO 8601 time with an offset (PagerDuty's or ours) into UTC."""
    if text is None:
        return None
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise ValueError(f"time without an offset: {text!r}")
    return when.astimezone(timezone.utc)


def format_age(age: timedelta) -> str:
    """`3 min`, `5 h 20 min`, `2 days 4 h`: short enough for a banner."""
    minutes = max(0, int(age.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        unit = f"{days} day{'s' if days > 1 else ''}"
        return f"{unit} {hours} h" if hours else unit
    return f"{hours} h {mins} min" if hours else f"{mins} min"


def read_when(text: str) -> date | datetime:
    """The one date syntax: a date, or a time with or without an offset (naive then).

    ValueError (saying what is accepted) for anything else. `when_in` reads a naive time
    or a date in the rotation's time zone.
    """
    value = text.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not {WHEN_SYNTAX}") from None


def when_in(value: date | datetime, zone: str | tzinfo) -> datetime:
    """An instant: a date is its midnight in `zone`, a time without an offset is read in `zone`."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=tz)
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value


def parse_when(text: str, zone: str | tzinfo) -> datetime:
    """`read_when` then `when_in`: what every CLI date option and data file means by a date."""
    return when_in(read_when(text), zone)
