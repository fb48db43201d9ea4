"""The My shift page without JavaScript: everyone's upcoming shifts, feeds, and honest warnings."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from markupsafe import Markup

from oncall_docs.model import Handbook
from oncall_docs.myshift.view import MyShift
from oncall_docs.oncall.model import Ref, Snapshot
from oncall_docs.oncall.view import OncallView
from tests.myshift.scenario import CAPTURED, GUS, ZOE, monday, snapshot


def page(book: Handbook, snap: Snapshot, now: datetime, part: str = "everyone") -> str:
    """One part of the page as built at `now`."""
    view = OncallView(snap, now, book.rotation.time_zone)
    my = MyShift.build(book, view, api_url="https://api.pagerduty.com", site_url="")
    return str(
        my.render(
            part,
            root="../",
            checklist=lambda cid: Markup("<div data-checklist='{}'></div>").format(cid),
        )
    )


def test_everyone_grouped_by_person_with_a_feed(book: Handbook) -> None:
    """Each scheduled person has a section with their upcoming shifts and a link to their feed."""
    html = page(book, snapshot(), CAPTURED)
    assert 'data-myshift-person="PALICE1"' in html
    assert 'href="../oncall/PALICE1.ics"' in html
    assert 'href="../oncall/PZOE999.ics"' in html
    assert (
        "Not in the roster"
        in html.split(f'data-myshift-person="{ZOE.id}"')[1].split("</section>")[0]
    )
    gus = html.split(f'data-myshift-person="{GUS.id}"')[1].split("</section>")[0]
    assert "No upcoming shifts" in gus
    assert ".ics" not in gus


def test_past_shifts_are_not_listed(book: Handbook) -> None:
    """Built after week 3 started, weeks 0 to 2 are gone from the list."""
    html = page(book, snapshot(), monday(3) + timedelta(hours=1))
    assert monday(2).strftime("%Y-%m-%dT%H:%M:%SZ") not in html
    assert monday(4).strftime("%Y-%m-%dT%H:%M:%SZ") in html


@pytest.mark.parametrize(
    ("snap", "now", "says"),
    [
        pytest.param(snapshot(stale=True), CAPTURED, "Stale data", id="stale"),
        pytest.param(snapshot(), monday(30), "this snapshot ends", id="expired"),
    ],
)
def test_unusable_snapshot_names_no_shifts(
    book: Handbook, snap: Snapshot, now: datetime, says: str
) -> None:
    """A stale or expired snapshot says so and names no shift."""
    html = page(book, snap, now)
    assert says in html
    assert "data-myshift-uid" not in html


def test_data_is_escaped_inside_the_attribute(book: Handbook) -> None:
    """A name with </script> or a quote cannot leave the data attribute."""
    snap = snapshot()
    evil = tuple(
        replace(s, user=Ref(s.user.id, "</script><b \"x'")) if s.user.id == ZOE.id else s
        for s in snap.shifts
    )
    html = page(book, replace(snap, shifts=evil), CAPTURED, "personal")
    assert "</script><b>" not in html
    assert "&lt;/script&gt;&lt;b \\&#34;x&#39;" in html


def test_checklists_part_lists_what_is_due_in_order(book: Handbook) -> None:
    """The checklists part holds the lists due before a shift, the 48 h ones first."""
    html = page(book, snapshot(), CAPTURED, "checklists")
    order = [
        html.index(f"data-checklist='{c}'") for c in ("before-48h", "before-24h", "handoff-meeting")
    ]
    assert order == sorted(order)
