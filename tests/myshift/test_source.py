"""Pager setup for the readiness view, read from the fake PagerDuty: flags only, never fatal."""

from __future__ import annotations

import pytest

from oncall_docs.myshift.source import load_pager_setup
from oncall_docs.oncall.store import read_snapshot
from tests.conftest import ROOT
from tests.fakes.pagerduty import FakePagerDuty
from tests.fakes.pd_fixtures import TOKEN


def test_without_a_token_nothing_is_asked(fake_pd: FakePagerDuty) -> None:
    """No token: no request, no note (the page says the pager was not checked)."""
    before = len(fake_pd.seen)
    snap = read_snapshot(ROOT / "data" / "oncall-snapshot.json")
    assert load_pager_setup(snap, fake_pd.url) == (None, None)
    assert len(fake_pd.seen) == before


def test_flags_for_everyone_scheduled(
    fake_pd: FakePagerDuty, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every scheduled person gets phone / high-urgency flags; no e-mail address is kept."""
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", TOKEN)
    snap = read_snapshot(ROOT / "data" / "oncall-snapshot.json")
    users, note = load_pager_setup(snap, fake_pd.url)
    assert note is None
    assert users is not None
    assert {s.user.id for s in snap.shifts} <= set(users)
    assert all(u.email is None for u in users.values())
    assert any(u.has_phone for u in users.values())


def test_a_refused_token_is_a_note_not_a_failure(
    fake_pd: FakePagerDuty, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 401 becomes one line naming the variable; the token is not in it."""
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", "wrong-" + TOKEN)
    snap = read_snapshot(ROOT / "data" / "oncall-snapshot.json")
    users, note = load_pager_setup(snap, fake_pd.url)
    assert users is None
    assert note is not None
    assert "PAGERDUTY_API_TOKEN" in note
    assert TOKEN not in note
