"""Is each runbook current? Review dates and owners. Pure: `today` is passed in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from oncall_docs.findings import codes
from oncall_docs.findings.report import Finding
from oncall_docs.model.load import Positions
from oncall_docs.model.types import Runbook
from oncall_docs.runbooks.coverage import runbook_finding

DEFAULT_REVIEW_DAYS = 90


@dataclass(frozen=True)
class Review:
    """When a runbook was last reviewed, when the next review is due, and whether it is late."""

    reviewed: date | None
    every_days: int
    due: date | None
    overdue: bool
    days_late: int = 0


def review_of(book: Runbook, today: date, default_days: int = DEFAULT_REVIEW_DAYS) -> Review:
    """A runbook never reviewed is overdue; otherwise it is due `review_every` days after its review."""
    every = book.review_every or default_days
    if book.reviewed is None:
        return Review(None, every, None, True)
    due = book.reviewed + timedelta(days=every)
    late = (today - due).days
    return Review(book.reviewed, every, due, late > 0, max(late, 0))


def review_findings(
    runbooks: Mapping[str, Runbook],
    today: date,
    default_days: int = DEFAULT_REVIEW_DAYS,
    positions: Mapping[str, Positions] | None = None,
) -> list[Finding]:
    """`review-overdue` and `no-owner` for every runbook, pointing at its data file."""
    findings: list[Finding] = []
    for rid in sorted(runbooks):
        book, where = runbooks[rid], (positions or {}).get(rid)
        review = review_of(book, today, default_days)
        if review.overdue:
            message = (
                "never reviewed: add `reviewed: YYYY-MM-DD` once someone has checked it"
                if review.reviewed is None
                else f"last reviewed {review.reviewed}, due {review.due} "
                f"(every {review.every_days} days): {review.days_late} day(s) overdue"
            )
            findings.append(
                runbook_finding(rid, codes.REVIEW_OVERDUE, message, where, ("reviewed",))
            )
        if not book.owner:
            findings.append(
                runbook_finding(rid, codes.NO_OWNER, "no `owner` (a team or a person)", where)
            )
    return findings
