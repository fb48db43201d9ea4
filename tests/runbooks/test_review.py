"""Review dates and owners: overdue after review_every days (or the default), no owner."""

from __future__ import annotations

from datetime import date

import pytest

from oncall_docs.model.types import Runbook
from oncall_docs.runbooks.review import review_findings, review_of


def _book(**fields: object) -> Runbook:
    return Runbook.model_validate({"id": "r", "title": "R", "summary": "S", **fields})


@pytest.mark.parametrize(
    ("fields", "today", "overdue", "days_late"),
    [
        pytest.param({"reviewed": "2026-09-01"}, "2026-11-30", False, 0, id="due-day-is-not-late"),
        pytest.param({"reviewed": "2026-09-01"}, "2026-12-01", True, 1, id="default-90-days"),
        pytest.param(
            {"reviewed": "2026-09-01", "review_every": 30}, "2026-10-02", True, 1, id="own-interval"
        ),
        pytest.param({}, "2026-11-30", True, 0, id="never-reviewed"),
    ],
)
def test_review_of(fields: dict[str, object], today: str, overdue: bool, days_late: int) -> None:
    """Overdue the day after `reviewed + review_every` (default 90); never reviewed is overdue."""
    review = review_of(_book(**fields), date.fromisoformat(today))
    assert (review.overdue, review.days_late) == (overdue, days_late)


def test_review_findings_codes_and_messages() -> None:
    """`review-overdue` says by how much; `no-owner` when the owner is missing."""
    books = {
        "late": _book(id="late", owner="Platform team", reviewed="2026-01-01"),
        "fine": _book(id="fine", owner="Platform team", reviewed="2026-11-01"),
        "orphaned": _book(id="orphaned", reviewed="2026-11-01"),
    }
    found = review_findings(books, date(2026, 11, 30), 90)
    assert [(f.code, f.subject) for f in found] == [
        ("review-overdue", "late"),
        ("no-owner", "orphaned"),
    ]
    assert "due 2026-04-01 (every 90 days): 243 day(s) overdue" in found[0].message
    assert all(f.severity == "error" for f in found)


def test_default_interval_comes_from_the_caller() -> None:
    """The plugin's `review_every` setting is the default for runbooks without their own."""
    book = _book(owner="x", reviewed="2026-11-01")
    assert review_findings({"r": book}, date(2026, 11, 30), 10)[0].code == "review-overdue"
    assert review_findings({"r": book}, date(2026, 11, 30), 90) == []
