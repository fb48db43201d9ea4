"""Personal calendar feeds, parsed back with icalendar: events, stable UIDs, alarms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from oncall_docs.model import Handbook
from oncall_docs.myshift.ics import person_ics
from oncall_docs.myshift.plan import Person, people
from oncall_docs.oncall.model import Snapshot
from tests.myshift.scenario import ZOE, monday, snapshot

API = "https://api.pagerduty.com"
PAGE = "https://handbook.example/my-shift/"


def person(book: Handbook, snap: Snapshot, user: str) -> Person:
    """One person of the snapshot."""
    return next(p for p in people(book, snap, api_url=API) if p.id == user)


def events(book: Handbook, snap: Snapshot, user: str) -> list[object]:
    """The feed's VEVENTs after a round trip through icalendar."""
    text = person_ics(person(book, snap, user), snap, page_url=PAGE)
    return list(Calendar.from_ical(text).walk("VEVENT"))


@pytest.mark.parametrize("user", ["PALICE1", "PFARAH6", ZOE.id])
def test_one_event_per_shift(book: Handbook, user: str) -> None:
    """Every shift of the person, and only theirs, is an event with its start and end."""
    snap = snapshot()
    mine = [s for s in snap.shifts if s.user.id == user]
    found = [(e.decoded("dtstart"), e.decoded("dtend")) for e in events(book, snap, user)]
    assert found == [(s.start, s.end) for s in sorted(mine, key=lambda s: s.start)]


def test_uids_stable_across_two_builds_with_a_swap_between(book: Handbook) -> None:
    """A rebuild after Zoe's override keeps every UID of Farah's feed; only the trimmed week adds one."""
    first = {str(e["uid"]) for e in events(book, snapshot(swap=False), "PFARAH6")}
    second = {str(e["uid"]) for e in events(book, snapshot(), "PFARAH6")}
    assert first <= second
    assert len(second - first) == 1


def test_alarms_48_and_24_hours_before_link_to_the_checklists(book: Handbook) -> None:
    """Each event has a 48 h and a 24 h DISPLAY alarm pointing at the page's due list."""
    for event in events(book, snapshot(), "PALICE1"):
        alarms = event.walk("VALARM")
        start = event.decoded("dtstart")
        triggers = sorted(start + a.decoded("trigger") for a in alarms)
        assert len(alarms) == 2
        assert all(a["action"] == "DISPLAY" and PAGE + "#due" in a["description"] for a in alarms)
        assert timedelta(hours=47) <= start - triggers[0] <= timedelta(hours=49)
        assert timedelta(hours=23) <= start - triggers[1] <= timedelta(hours=25)


def test_alarm_across_spring_forward_is_saturday_0900(book: Handbook) -> None:
    """Before Monday 15 March 2027 09:00 EDT: Saturday 09:00 EST (47 h) and Sunday 09:00 EDT (24 h)."""
    snap = snapshot()
    user = next(s.user.id for s in snap.shifts if s.start == monday(20) and s.level == 1)
    event = next(e for e in events(book, snap, user) if e.decoded("dtstart") == monday(20))
    triggers = sorted(a.decoded("trigger") for a in event.walk("VALARM"))
    assert triggers == [-timedelta(hours=47), -timedelta(hours=24)]


def test_names_cannot_break_the_feed(book: Handbook) -> None:
    """A name with a line break and a semicolon stays one escaped property value."""
    snap = snapshot()
    evil = person(book, snap, "PALICE1")
    evil = Person(**{**evil.__dict__, "name": "Eve\r\nBEGIN:VEVENT;x"})
    text = person_ics(evil, snap)
    assert "\nBEGIN:VEVENT;x" not in text
    assert len(list(Calendar.from_ical(text).walk("VEVENT"))) == len(evil.shifts)
