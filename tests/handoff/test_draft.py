"""The handoff draft (pure): counting by severity, window edges, notable, ongoing, redaction, Markdown, JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from oncall_docs.handoff.draft import (
    UNMAPPED,
    Draft,
    build_draft,
    parse_incident,
    redactor,
    severity_of,
    to_dict,
    upcoming_events,
)
from oncall_docs.handoff.markdown import draft_markdown
from oncall_docs.handoff.window import HandoffWindow
from oncall_docs.model import Handbook
from oncall_docs.model.incidents import IncidentPriorities, UpcomingEvent
from oncall_docs.oncall.model import Level, OnCall, Ref, Shift, Snapshot
from tests.conftest import HANDBOOK_DATA, fixture_handbook
from tests.fakes.pagerduty_account import incident

SINCE = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Monday 09:00 New York
UNTIL = SINCE + timedelta(weeks=1)
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # Wednesday of that shift
WINDOW = HandoffWindow(SINCE, UNTIL)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A UTC time in November 2026."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


FIXTURE = [  # incidents whose pages are on the PagerDuty web host (links in the draft)
    {**raw, "html_url": raw["html_url"].replace("pagerduty.example", "pagerduty.com")}
    for raw in [
        incident(
            4801,
            "Validator missed attestations",
            at(22, 20),
            at(23, 15),
            priority="P4",
            service="Validator Fleet",
        ),
        incident(4802, "Resolved before the shift", at(21, 10), at(22, 11), priority="P1"),
        incident(
            4803,
            "Chain halted for 90 minutes",
            at(24, 3),
            at(24, 4, 30),
            priority="P1",
            service="Consensus",
        ),
        incident(
            4804,
            "RPC errors for Acme Exchange [eu]",
            at(24, 13, 30),
            at(24, 14, 17),
            service="Public RPC",
        ),
        incident(4805, "Peer count low on node-04", at(25, 9), at(25, 10), priority="SEV-X"),
        incident(
            4806, "Memory pressure on node-09", at(25, 12), status="acknowledged", priority="p3"
        ),
        incident(
            4807,
            "TLS certificate expires in 7 days",
            at(20, 8),
            status="triggered",
            urgency="low",
            service="Edge",
        ),
    ]
]


@pytest.fixture(scope="module")
def book() -> Handbook:
    """The fixture handbook (mapping PagerDuty P1-P5 to P0-P3, the handoff template)."""
    return fixture_handbook()


def snapshot() -> Snapshot:
    """Primary and secondary for this shift and the next."""

    def ref(name: str) -> Ref:
        return Ref("P" + name.split()[0].upper()[:6], name)

    prim, sec = Ref("PPRIMRY", "BitCell Primary"), Ref("PSECOND", "BitCell Secondary")
    shifts = (
        Shift(1, prim, ref("Chidi Okafor"), SINCE, UNTIL),
        Shift(2, sec, ref("Dana Whitfield"), SINCE, UNTIL),
        Shift(1, prim, ref("Dana Whitfield"), UNTIL, UNTIL + timedelta(weeks=1)),
        Shift(2, sec, ref("Eitan Levi"), UNTIL, UNTIL + timedelta(weeks=1)),
    )
    levels = (
        Level(1, "Primary", (OnCall(ref("Chidi Okafor"), prim, SINCE, UNTIL),)),
        Level(2, "Secondary", (OnCall(ref("Dana Whitfield"), sec, SINCE, UNTIL),)),
    )
    return Snapshot(NOW, "pagerduty", False, Ref("PBCPOL1", "BitCell Platform"), levels, shifts)


EVENTS = [
    UpcomingEvent(
        id="past", kind="maintenance", title="Already over", start=at(20, 10), end=at(20, 11)
    ),
    UpcomingEvent(
        id="upgrade",
        kind="deployment",
        title="Validator upgrade",
        start=datetime(2026, 12, 1, 20, 0, tzinfo=UTC),
        end=datetime(2026, 12, 1, 22, 0, tzinfo=UTC),
    ),
    UpcomingEvent(
        id="launch", kind="traffic", title="Staking launch", start=datetime(2026, 11, 28).date()
    ),
    UpcomingEvent(
        id="freeze", kind="deployment", title="Holiday freeze", start=datetime(2026, 12, 18).date()
    ),
]


def make(book: Handbook, raw: list[dict], redact: list[str] | None = None) -> Draft:  # type: ignore[type-arg]
    """The draft of the fixture at NOW."""
    return build_draft(
        [parse_incident(r) for r in raw],
        window=WINDOW,
        now=NOW,
        mapping=book.incident_priorities,
        events=EVENTS,
        snapshot=snapshot(),
        zone="America/New_York",
        shift=timedelta(weeks=1),
        redact_pattern=redactor(redact or []),
    )


EXPECTED = """\
## On-Call Handoff: Mon 23 Nov 2026 09:00 EST to Mon 30 Nov 2026 09:00 EST

Outgoing: primary Chidi Okafor, secondary Dana Whitfield
Incoming: primary Dana Whitfield, secondary Eitan Levi

### Incidents Summary
- Total incidents: 6
- P0: 1 | P1: 1 | P2: 1 | P3: 2 | Unmapped: 1
- Notable incidents:
  1. [P0] [Chain halted for 90 minutes](https://bitcell.pagerduty.com/incidents/Q0004803) (Consensus, resolved, 1 h 30 min)
  2. [P1] [RPC errors for (redacted) \\[eu\\]](https://bitcell.pagerduty.com/incidents/Q0004804) (Public RPC, resolved, 47 min)

### Ongoing Issues
- [TLS certificate expires in 7 days](https://bitcell.pagerduty.com/incidents/Q0004807): triggered, P3, Edge, since Fri 20 Nov 03:00 EST
- [Memory pressure on node-09](https://bitcell.pagerduty.com/incidents/Q0004806): acknowledged, P2, Blockchain Nodes, since Wed 25 Nov 07:00 EST

### Upcoming Events
- Sat 28 Nov: Traffic: Staking launch
- Tue 01 Dec 15:00 EST to Tue 01 Dec 17:00 EST: Deployment: Validator upgrade

### Notes & Tips
- [Any observations or tips for next on-call]
- [Known workarounds or quirks]

### Action Items
- [ ] [Task 1] - Owner: @person - Due: Date
- [ ] [Task 2] - Owner: @person - Due: Date
"""


def test_markdown_is_exact_for_the_fixture(book: Handbook) -> None:
    """A fixed fixture and a fixed now give exactly this text for the #oncall-handoff thread."""
    assert (
        draft_markdown(make(book, FIXTURE, [r"\bAcme Exchange\b"]), book.template("handoff"))
        == EXPECTED
    )


@pytest.mark.parametrize(
    ("number", "counted"),
    [
        pytest.param(4801, True, id="started-before-resolved-inside"),
        pytest.param(4802, False, id="resolved-before-the-window"),
        pytest.param(4807, True, id="started-before-still-open"),
        pytest.param(4803, True, id="inside"),
    ],
)
def test_window_edges(book: Handbook, number: int, counted: bool) -> None:
    """An incident counts when it was active at some point of the shift."""
    raw = [r for r in FIXTURE if r["incident_number"] == number]
    assert make(book, raw).total == (1 if counted else 0)


def test_resolved_after_the_window_counts() -> None:
    """Started in the last hour of the shift and resolved after the handoff: still this shift's."""
    late = parse_incident(
        incident(4900, "Late", UNTIL - timedelta(hours=1), UNTIL + timedelta(hours=2))
    )
    assert late.overlaps(WINDOW)
    assert not late.overlaps(HandoffWindow(UNTIL + timedelta(hours=3), UNTIL + timedelta(days=1)))


@pytest.mark.parametrize(
    ("priority", "urgency", "severity"),
    [
        pytest.param("P1", "high", "P0", id="p1-is-critical"),
        pytest.param("p2", "low", "P1", id="any-case"),
        pytest.param("P5", "high", "P3", id="p5-is-low"),
        pytest.param(None, "high", "P1", id="no-priority-high-urgency"),
        pytest.param(None, "low", "P3", id="no-priority-low-urgency"),
        pytest.param("SEV-X", "high", UNMAPPED, id="unknown-priority-not-by-urgency"),
        pytest.param(None, None, UNMAPPED, id="no-priority-no-urgency"),
    ],
)
def test_severity_of(
    book: Handbook, priority: str | None, urgency: str | None, severity: str
) -> None:
    """Priority name first (any case); urgency only when there is no priority; else unmapped."""
    raw = incident(1, "t", NOW, priority=priority, urgency=urgency or "high")
    if urgency is None:
        raw.pop("urgency")
    assert severity_of(parse_incident(raw), book.incident_priorities) == severity


def test_priority_null_is_no_priority(book: Handbook) -> None:
    """PagerDuty sends `"priority": null` where the spec shows none: both read as no priority."""
    raw = {**incident(1, "t", NOW, urgency="low"), "priority": None}
    assert parse_incident(raw).priority is None
    assert severity_of(parse_incident(raw), book.incident_priorities) == "P3"


def test_unmapped_are_counted_and_named(book: Handbook) -> None:
    """Unknown priorities are counted under unmapped and named once each, never dropped."""
    raw = [
        incident(n, "t", at(24, n), at(24, n, 30), priority=p)
        for n, p in [(1, "SEV-X"), (2, "SEV-X"), (3, "Urgent")]
    ]
    draft = make(book, raw)
    assert draft.counts[UNMAPPED] == 3
    assert draft.total == 3
    assert draft.unmapped_priorities == ("SEV-X", "Urgent")


def test_duplicates_from_both_listings_count_once(book: Handbook) -> None:
    """An open incident is in both GET /incidents listings; it counts once."""
    assert make(book, FIXTURE + FIXTURE).total == 6


def test_redaction_masks_titles_and_services(book: Handbook) -> None:
    """Every match of the redact list is masked in notable and ongoing titles and in the JSON."""
    raw = [
        incident(
            1,
            "Acme Exchange withdrawals fail for ACME EXCHANGE",
            at(24, 1),
            at(24, 2),
            priority="P1",
            service="Acme Exchange API",
        ),
        incident(2, "Globex ledger stuck", at(24, 3), status="triggered", priority="P2"),
    ]
    text = json.dumps(to_dict(make(book, raw, [r"(?i)acme exchange", "Globex"])))
    assert "Acme" not in text
    assert "ACME" not in text
    assert "Globex" not in text
    assert text.count("(redacted)") == 5  # Globex is both notable (P1) and open


def test_bad_redact_expression_raises() -> None:
    """A broken expression is reported when the list is compiled."""
    with pytest.raises(Exception, match=r"unterminated|missing"):
        redactor(["(unclosed"])


def test_upcoming_events_between_now_and_the_next_shift_end() -> None:
    """Over, and after the incoming shift: left out; the rest soonest first."""
    shown = upcoming_events(EVENTS, NOW, UNTIL + timedelta(weeks=1), "America/New_York")
    assert [e.id for e in shown] == ["launch", "upgrade"]


def test_json_shape(book: Handbook) -> None:
    """The JSON has the issue's keys: window, counts (P0-P3, unmapped), notable, ongoing, upcoming, people."""
    data = to_dict(make(book, FIXTURE))
    assert data["window"] == {"since": "2026-11-23T14:00:00Z", "until": "2026-11-30T14:00:00Z"}
    assert data["counts"] == {"P0": 1, "P1": 1, "P2": 1, "P3": 2, "unmapped": 1}
    assert [n["number"] for n in data["notable"]] == [4803, 4804]
    assert {"title", "status", "url"} <= set(data["ongoing"][0])
    assert [o["status"] for o in data["ongoing"]] == ["triggered", "acknowledged"]
    assert data["outgoing"]["primary"]["name"] == "Chidi Okafor"
    assert data["incoming"]["secondary"]["name"] == "Eitan Levi"
    assert data["notable"][0]["duration_minutes"] == 90


def test_markdown_escapes_pagerduty_text(book: Handbook) -> None:
    """A title cannot become a link, emphasis or a heading in the posted text."""
    raw = [
        incident(1, "*boom* [x](https://evil.example) #1 <b>", at(24, 1), at(24, 2), priority="P1")
    ]
    text = draft_markdown(make(book, raw), book.template("handoff"))
    assert r"\*boom\* \[x\](https://evil.example) \#1 \<b\>" in text


def test_no_snapshot_names_nobody(book: Handbook) -> None:
    """Without a snapshot the people lines say unknown instead of failing."""
    draft = build_draft(
        [],
        window=WINDOW,
        now=NOW,
        mapping=IncidentPriorities(priorities={}),
        events=[],
        snapshot=None,
        zone="UTC",
        shift=timedelta(weeks=1),
    )
    text = draft_markdown(draft, book.template("handoff"))
    assert "Outgoing: primary unknown, secondary unknown" in text
    assert "- Total incidents: 0" in text
    assert "- None open" in text
    assert "- Nothing planned" in text


def test_offline_week_is_sensible() -> None:
    """The checked-in offline week has incidents in its window, open ones, and no unmapped priority."""
    from oncall_docs.handoff.source import read_incidents

    data = read_incidents(HANDBOOK_DATA / "offline-incidents.json", "offline")
    book = fixture_handbook()
    draft = build_draft(
        list(data.incidents),
        window=data.window,
        now=data.captured_at,
        mapping=book.incident_priorities,
        events=[],
        snapshot=None,
        zone="UTC",
        shift=timedelta(weeks=1),
    )
    assert draft.total >= 5
    assert draft.ongoing
    assert draft.notable
    assert draft.counts[UNMAPPED] == 0
