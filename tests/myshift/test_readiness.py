"""Readiness on the My shift page comes from `check access`: same problems, no contact details."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from oncall_docs.access.check import PagerDutyUser
from oncall_docs.model import Handbook
from oncall_docs.model.access import Grant
from oncall_docs.myshift.readiness import readiness_by_name
from tests.myshift.scenario import CAPTURED, ZOE, snapshot


def test_not_in_roster_and_expiring_access_are_reported(book: Handbook) -> None:
    """Zoe is not in the roster; a grant ending before Alice's shift is "expires during shift"."""
    alice = next(e for e in book.roster.engineers if e.name == "Alice Chen")
    grants = [
        g if g.system != "vpn" else Grant(system="vpn", expires=date(2026, 11, 1))
        for g in alice.grants
    ]
    roster = book.roster.model_copy(
        update={
            "engineers": [
                e if e is not alice else e.model_copy(update={"grants": grants})
                for e in book.roster.engineers
            ]
        }
    )
    found = readiness_by_name(replace(book, roster=roster), snapshot(), CAPTURED)
    assert [code for code, _ in found[ZOE.name].problems] == ["not-in-roster"]
    assert "expires-during-shift" in [code for code, _ in found["Alice Chen"].problems]
    assert not found["Alice Chen"].pager_checked


def test_pager_setup_without_contact_details(book: Handbook) -> None:
    """With PagerDuty users known, a missing phone is reported, and no e-mail reaches the text."""
    users = {
        s.user.id: PagerDutyUser(s.user.id, s.user.name, email="secret@bitcell.example")
        for s in snapshot().shifts
    }
    found = readiness_by_name(book, snapshot(), CAPTURED, users)
    codes = [code for code, _ in found["Alice Chen"].problems]
    assert "no-phone-contact" in codes
    assert found["Alice Chen"].pager_checked
    assert all("secret@" not in message for r in found.values() for _, message in r.problems)
