"""Per-person shifts: due times across DST, handovers, overrides, roster edges, UIDs, override links."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from oncall_docs.model import Handbook
from oncall_docs.myshift.plan import override_url, people, personal_shifts
from oncall_docs.oncall.model import Ref
from tests.myshift.scenario import GUS, SWAP_END, SWAP_START, ZOE, monday, snapshot

UTC = timezone.utc
API = "https://api.pagerduty.com"


def z(text: str) -> datetime:
    """An ISO time in UTC."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("week", "checklist", "due"),
    [
        # US clocks fall back on Sun 1 Nov: Sat 09:00 is still EDT (13:00Z), Mon 09:00 is EST.
        pytest.param(1, "before-48h", "2026-10-31T13:00Z", id="48h-before-fall-back"),
        pytest.param(1, "before-24h", "2026-11-01T14:00Z", id="24h-on-fall-back-day"),
        # US clocks spring forward on Sun 14 Mar: Sat 09:00 EST (14:00Z), Mon 09:00 EDT.
        pytest.param(20, "before-48h", "2027-03-13T14:00Z", id="48h-before-spring-forward"),
        pytest.param(20, "before-24h", "2027-03-14T13:00Z", id="24h-on-spring-forward-day"),
        pytest.param(20, "handoff-meeting", "2027-03-15T13:00Z", id="handoff-at-the-start"),
    ],
)
def test_due_times_keep_the_wall_clock_across_dst(
    book: Handbook, week: int, checklist: str, due: str
) -> None:
    """Due 48 h / 24 h before Monday 09:00 means Saturday / Sunday 09:00 New York, DST or not."""
    start = monday(week)
    person = next(s.user.id for s in snapshot().shifts if s.start == start and s.level == 1)
    shift = next(
        s for s in personal_shifts(book, snapshot(), person, api_url=API) if s.start == start
    )
    assert {d.checklist: d.at for d in shift.due}[checklist] == z(due)


def test_a_shift_given_away_in_part_becomes_two_shifts(book: Handbook) -> None:
    """Farah keeps Monday to Wednesday and Friday to Monday; Zoe hands back to her both ways."""
    farah = [
        s
        for s in personal_shifts(book, snapshot(), "PFARAH6", api_url=API)
        if s.level == 1 and monday(5) <= s.start < monday(6)
    ]
    assert [(s.start, s.end) for s in farah] == [
        (monday(5), SWAP_START.astimezone(UTC)),
        (SWAP_END.astimezone(UTC), monday(6)),
    ]
    assert [c.id for c in farah[0].handover_to] == [ZOE.id]
    assert [c.id for c in farah[1].handover_from] == [ZOE.id]


def test_a_person_scheduled_only_through_an_override(book: Handbook) -> None:
    """Zoe has one shift, marked as a swap, between Farah and Farah (with Farah's Slack handle)."""
    (shift,) = personal_shifts(book, snapshot(), ZOE.id, api_url=API)
    assert shift.override
    assert [(c.name, c.slack) for c in shift.handover_from] == [("Farah Haddad", "@farah")]
    assert [(c.name, c.slack) for c in shift.handover_to] == [("Farah Haddad", "@farah")]


@pytest.mark.parametrize(
    ("user", "in_roster", "scheduled", "slack"),
    [
        pytest.param(ZOE.id, False, True, None, id="scheduled-not-in-roster"),
        pytest.param(GUS.id, True, False, "@gus", id="in-roster-not-scheduled"),
        pytest.param("PMARC08", True, True, "@marcus", id="always-on-call"),
        pytest.param("PALICE1", True, True, "@alice", id="rotation-member"),
    ],
)
def test_everyone_can_pick_themselves(
    book: Handbook, user: str, in_roster: bool, scheduled: bool, slack: str | None
) -> None:
    """People come from the roster and the snapshot, each flagged for what is known of them."""
    person = next(p for p in people(book, snapshot(), api_url=API) if p.id == user)
    assert (person.in_roster, person.scheduled, person.slack) == (in_roster, scheduled, slack)


def test_uids_survive_a_swap_that_trims_a_shift(book: Handbook) -> None:
    """The piece of Farah's week that keeps her rotation week keeps its UID; the second piece gets -2."""
    before = {
        s.start: s.uid for s in personal_shifts(book, snapshot(swap=False), "PFARAH6", api_url=API)
    }
    after = personal_shifts(book, snapshot(), "PFARAH6", api_url=API)
    week = [s for s in after if s.level == 1 and monday(5) <= s.start < monday(6)]
    assert week[0].uid == before[monday(5)]
    assert week[1].uid == before[monday(5)].replace("@", "-2@")
    untouched = [s for s in after if not monday(5) <= s.start < monday(6)]
    assert all(s.uid == before[s.start] for s in untouched)


PAGE = "https://bitcell.pagerduty.com/schedules/PPRIMRY"


@pytest.mark.parametrize(
    ("url", "api_url", "expected"),
    [
        pytest.param(PAGE, API, PAGE, id="the-api-s-page"),
        pytest.param(
            "https://bitcell.eu.pagerduty.com/schedules/PPRIMRY",
            "https://api.eu.pagerduty.com/",
            "https://bitcell.eu.pagerduty.com/schedules/PPRIMRY",
            id="eu",
        ),
        pytest.param("", API, None, id="no-url-no-guess"),
        pytest.param(PAGE.replace("https", "http"), API, None, id="http-refused"),
        pytest.param("javascript:alert(1)//pagerduty.com", API, None, id="javascript"),
        pytest.param("https://evil.example/schedules/PPRIMRY", API, None, id="other-host"),
        pytest.param(PAGE, "https://api.eu.pagerduty.com", None, id="us-page-eu-api"),
        pytest.param(PAGE, "https://127.0.0.1:8443", None, id="not-an-api-host"),
    ],
)
def test_override_link_is_the_schedule_page_pagerduty_gave(
    url: str, api_url: str, expected: str | None
) -> None:
    """The schedule's own `html_url`, when it is a page of the API's account; never a guess."""
    assert override_url(Ref("PPRIMRY", "Primary", url), api_url) == expected
