"""The handoff draft's people: everyone on a level at the handover, not only the first."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from oncall_docs.handoff.draft import build_draft, people, to_dict
from oncall_docs.handoff.markdown import draft_markdown
from oncall_docs.model import Handbook
from oncall_docs.oncall.model import Ref, Shift, Snapshot
from tests.handoff.test_draft import NOW, SINCE, UNTIL, WINDOW, book, snapshot

__all__ = ["book"]  # the fixture, shared with test_draft

PRIMARY = Ref("PPRIMRY", "BitCell Primary")
BO = Ref("PBOCHEN", "Bo Chen")


def overlapping() -> Snapshot:
    """The fixture snapshot, with Bo Chen also primary over the handover (a partial override)."""
    base = snapshot()
    extra = Shift(1, PRIMARY, BO, UNTIL - timedelta(hours=2), UNTIL + timedelta(hours=2), True)
    return replace(base, shifts=(*base.shifts, extra))


@pytest.mark.parametrize(
    ("when", "primary"),
    [
        (UNTIL - timedelta(hours=3), ["Chidi Okafor"]),
        (UNTIL - timedelta(seconds=1), ["Chidi Okafor", "Bo Chen"]),
        (UNTIL, ["Dana Whitfield", "Bo Chen"]),
        (UNTIL + timedelta(hours=3), ["Dana Whitfield"]),
    ],
)
def test_people_lists_everyone_on_a_level(when: datetime, primary: list[str]) -> None:
    """Two people on the primary level at once are both named, in the snapshot's order."""
    found = people(overlapping(), when)
    assert [r.name for r in found["primary"]] == primary


def test_no_snapshot_names_nobody() -> None:
    """Without a snapshot both levels are empty (the Markdown says "unknown")."""
    assert people(None, NOW) == {"primary": (), "secondary": ()}


def test_markdown_and_json_name_both(book: Handbook) -> None:
    """The Markdown joins both names; the JSON keeps the first per level and lists all in *_all."""
    draft = build_draft(
        [],
        window=WINDOW,
        now=NOW,
        mapping=book.incident_priorities,
        events=[],
        snapshot=overlapping(),
        zone="America/New_York",
        shift=UNTIL - SINCE,
    )
    text = draft_markdown(draft, book.template("handoff"))
    assert "Outgoing: primary Chidi Okafor and Bo Chen, secondary Dana Whitfield" in text
    assert "Incoming: primary Dana Whitfield and Bo Chen, secondary Eitan Levi" in text
    data = to_dict(draft)
    assert data["outgoing"]["primary"]["name"] == "Chidi Okafor"
    assert [r["name"] for r in data["outgoing_all"]["primary"]] == ["Chidi Okafor", "Bo Chen"]
    assert [r["name"] for r in data["incoming_all"]["secondary"]] == ["Eitan Levi"]
