"""Shift arithmetic: handoffs stay at 09:00 New York time across DST; due times keep wall-clock."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from oncall_docs.model.types import Due, Rotation
from oncall_docs.rotation import due_at, handoff_times, next_shifts, shift_at
from tests.conftest import fixture_handbook


@pytest.fixture(scope="module")
def rotation() -> Rotation:
    """The fixture rotation: weekly, Monday 09:00 America/New_York."""
    return fixture_handbook().rotation


def parse(text: str) -> datetime:
    """ISO 8601 with Z."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("when", "start", "end"),
    [
        pytest.param(
            "2026-03-09T12:59Z",
            "2026-03-02T09:00-05:00",
            "2026-03-09T09:00-04:00",
            id="before-first-edt-handoff",
        ),
        pytest.param(
            "2026-03-09T13:00Z",
            "2026-03-09T09:00-04:00",
            "2026-03-16T09:00-04:00",
            id="first-edt-handoff",
        ),
        pytest.param(
            "2026-11-02T13:59Z",
            "2026-10-26T09:00-04:00",
            "2026-11-02T09:00-05:00",
            id="last-edt-shift",
        ),
        pytest.param(
            "2026-11-02T14:00Z",
            "2026-11-02T09:00-05:00",
            "2026-11-09T09:00-05:00",
            id="first-est-handoff",
        ),
        pytest.param(
            "2026-11-27T10:00Z", "2026-11-23T09:00-05:00", "2026-11-30T09:00-05:00", id="mid-shift"
        ),
        pytest.param(
            "2026-11-30T08:00+01:00",
            "2026-11-23T09:00-05:00",
            "2026-11-30T09:00-05:00",
            id="berlin-monday-morning",
        ),
    ],
)
def test_shift_at_keeps_local_handoff(rotation: Rotation, when: str, start: str, end: str) -> None:
    """The handoff stays at 09:00 local time across both DST changes."""
    shift = shift_at(rotation, parse(when))
    assert (shift.start, shift.end) == (parse(start), parse(end))
    assert shift.contains(parse(when))


def test_shifts_are_contiguous_for_a_year(rotation: Rotation) -> None:
    """Every shift starts where the previous ended, on a Monday at 09:00 local time."""
    shifts = next_shifts(rotation, parse("2026-01-01T00:00Z"), 53)
    for before, after in itertools.pairwise(shifts):
        assert before.end == after.start
    assert {(s.start.weekday(), s.start.hour, s.start.minute) for s in shifts} == {(0, 9, 0)}


def test_handoff_times(rotation: Rotation) -> None:
    """Handoffs strictly after an instant, one week apart in local time."""
    assert handoff_times(rotation, parse("2026-10-26T13:00Z"), 2) == [
        parse("2026-11-02T09:00-05:00"),
        parse("2026-11-09T09:00-05:00"),
    ]


def test_shift_at_needs_aware_time(rotation: Rotation) -> None:
    """A naive time has no meaning across zones, so it is refused."""
    with pytest.raises(ValueError, match="aware"):
        shift_at(rotation, datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        pytest.param(
            Due(anchor="shift_start", offset_hours=-48),
            "2026-11-07T09:00-05:00",
            id="48h-before-keeps-wall-clock",
        ),
        pytest.param(
            Due(anchor="shift_start", offset_hours=-24), "2026-11-08T09:00-05:00", id="24h-before"
        ),
        pytest.param(
            Due(anchor="shift_end", offset_hours=-2), "2026-11-16T07:00-05:00", id="end-of-shift"
        ),
        pytest.param(Due(anchor="daily", time="18:00"), "2026-11-09T18:00-05:00", id="daily"),
        pytest.param(Due(anchor="after_incident", offset_hours=48), None, id="incident-driven"),
    ],
)
def test_due_at(rotation: Rotation, due: Due, expected: str | None) -> None:
    """Due times of the checklists for the shift starting Monday 2026-11-09."""
    shift = shift_at(rotation, parse("2026-11-10T12:00Z"))
    result = due_at(rotation, due, shift)
    assert result == (parse(expected) if expected else None)


def test_due_48h_before_a_dst_handoff(rotation: Rotation) -> None:
    """48 hours before the first EST handoff is Saturday 09:00 EDT, not 10:00."""
    shift = shift_at(rotation, parse("2026-11-02T15:00Z"))
    assert due_at(rotation, Due(anchor="shift_start", offset_hours=-48), shift) == parse(
        "2026-10-31T09:00-04:00"
    )
