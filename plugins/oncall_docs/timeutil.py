"""One way to write, read and describe times: ISO 8601 in UTC with a Z, and short ages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


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
