"""Geometry of the 8-week timeline: lanes per level, bars per shift, gaps, week ticks.

Pure numbers in SVG user units; the template only draws them. Swaps and gaps are marked
by class *and* pattern, so they stay visible in dark mode and on a black-and-white print.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from oncall_docs.oncall.model import HORIZON, Level, Shift, Snapshot

WIDTH, LABEL_W, AXIS_H, LANE_H, PAD = 960.0, 120.0, 30.0, 40.0, 4.0
COLOURS = 6
START_LABEL_ROOM = 56.0  # user units a date label needs before the first Monday tick


@dataclass(frozen=True)
class Bar:
    """One rectangle in a lane: a shift, an always-on-call span or a gap."""

    x: float
    width: float
    y: float
    kind: str  # shift | swap | always | gap
    text: str
    title: str
    colour: int = 0
    height: float = 32  # a lane's share when several people are on call at once


@dataclass(frozen=True)
class Tick:
    """A week line with its date label."""

    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    """Everything the SVG template needs."""

    width: float
    height: float
    label_w: float
    lanes: list[tuple[float, str]]
    bars: list[Bar]
    ticks: list[Tick]
    now_x: float
    start_label: str = ""  # the first day, labelled at the left edge unless a Monday tick is close


def _scale(start: datetime) -> Callable[[datetime], float]:
    span = HORIZON.total_seconds()

    def x(when: datetime) -> float:
        frac = min(max((when - start).total_seconds() / span, 0.0), 1.0)
        return round(LABEL_W + frac * (WIDTH - LABEL_W - PAD), 1)

    return x


def _gaps(shifts: list[Shift], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    gaps, cursor = [], start
    for shift in sorted(shifts, key=lambda s: s.start):
        if shift.start > cursor:
            gaps.append((cursor, min(shift.start, end)))
        cursor = max(cursor, shift.end)
    if cursor < end:
        gaps.append((cursor, end))
    return [g for g in gaps if g[1] - g[0] >= timedelta(minutes=30)]


def _tracks(shifts: list[Shift]) -> dict[int, int]:
    """Shift index -> sub-row of its lane: overlapping shifts (two people on call) sit side by side."""
    ends: list[datetime] = []
    track: dict[int, int] = {}
    for i in sorted(range(len(shifts)), key=lambda n: (shifts[n].start, shifts[n].end)):
        free = next((t for t, end in enumerate(ends) if end <= shifts[i].start), len(ends))
        if free == len(ends):
            ends.append(shifts[i].end)
        else:
            ends[free] = shifts[i].end
        track[i] = free
    return track


Scale = Callable[[datetime], float]
Format = Callable[[datetime], str]


def _lane_bars(
    level: Level,
    shifts: list[Shift],
    y: float,
    x: Scale,
    start: datetime,
    fmt: Format,
    colours: dict[str, int],
) -> list[Bar]:
    end = start + HORIZON
    if not shifts and not level.oncall:
        title = f"{level.label}: nobody scheduled, {fmt(start)} to {fmt(end)}"
        return [Bar(x(start), x(end) - x(start), y, "gap", "gap", title)]
    if not shifts:
        names = ", ".join(o.user.name for o in level.oncall)
        return [Bar(x(start), x(end) - x(start), y, "always", f"{names} (always on call)", names)]
    bars = []
    tracks = _tracks(shifts)
    height = 32 / (max(tracks.values()) + 1)
    for i, s in enumerate(shifts):
        kind = "swap" if s.override else "shift"
        title = f"{level.label}: {s.user.name}, {fmt(s.start)} to {fmt(s.end)}{' (swap)' if s.override else ''}"
        colour = colours.setdefault(s.user.id, len(colours) % COLOURS)
        top = y + tracks[i] * height
        bars.append(
            Bar(
                x(s.start),
                max(x(s.end) - x(s.start), 1.0),
                top,
                kind,
                s.user.name,
                title,
                colour,
                height if height < 32 else 32,
            )
        )
    for g_start, g_end in _gaps(shifts, start, end):
        bars.append(
            Bar(
                x(g_start),
                x(g_end) - x(g_start),
                y,
                "gap",
                "gap",
                f"{level.label}: nobody scheduled, {fmt(g_start)} to {fmt(g_end)}",
            )
        )
    return bars


def build_timeline(snapshot: Snapshot, start: datetime, zone: ZoneInfo) -> Timeline:
    """Lay out [start, start + 8 weeks): one lane per level, a tick each Monday (team time)."""
    x = _scale(start)

    def fmt(when: datetime) -> str:
        return when.astimezone(zone).strftime("%a %d %b %H:%M %Z")

    lanes: list[tuple[float, str]] = []
    bars: list[Bar] = []
    colours: dict[str, int] = {}
    for i, level in enumerate(snapshot.levels):
        y = AXIS_H + i * LANE_H
        lanes.append((y, level.label))
        shifts = [
            s
            for s in snapshot.shifts
            if s.level == level.level and s.end > start and s.start < start + HORIZON
        ]
        bars.extend(_lane_bars(level, shifts, y, x, start, fmt, colours))
    local = start.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    day = local + timedelta(days=(7 - local.weekday()) % 7 or (7 if local < start else 0))
    ticks = []
    while day < start + HORIZON:
        ticks.append(Tick(x(day), day.strftime("%d %b")))
        day += timedelta(days=7)  # aware arithmetic: still midnight local after a DST change
    crowded = bool(ticks) and ticks[0].x - x(start) < START_LABEL_ROOM
    return Timeline(
        WIDTH,
        AXIS_H + len(lanes) * LANE_H + PAD,
        LABEL_W,
        lanes,
        bars,
        ticks,
        x(start),
        "" if crowded else start.astimezone(zone).strftime("%d %b"),
    )
