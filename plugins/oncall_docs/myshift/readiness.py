"""Are you ready: the findings of `oncall-docs check access`, per person, for the page.

The same code as the CI check (`access.check.check_access` over `access.window`), so the
page and the check never disagree. Findings carry names, systems and how to get access:
never a phone number or an e-mail address.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from oncall_docs.access.check import PagerDutyUser, check_access
from oncall_docs.access.window import access_context, window_for
from oncall_docs.model import Handbook
from oncall_docs.oncall.model import Snapshot

WEEKS = 8  # the snapshot's horizon: every shift the page can show is checked


@dataclass(frozen=True)
class Readiness:
    """One person's problems (code, message) and whether their pager setup was checked."""

    problems: tuple[tuple[str, str], ...]
    pager_checked: bool


def readiness_by_name(
    book: Handbook,
    snapshot: Snapshot,
    now: datetime,
    pd_users: Mapping[str, PagerDutyUser] | None = None,
) -> dict[str, Readiness]:
    """Person name -> their access problems, as `check access` reports them for the next 8 weeks."""
    window = window_for(snapshot, now, WEEKS)
    ctx = access_context(
        book, snapshot, window, WEEKS, dict(pd_users) if pd_users is not None else None
    )
    found: dict[str, list[tuple[str, str]]] = {}
    for finding in check_access(ctx):
        if finding.subject_kind == "user":
            found.setdefault(finding.subject, []).append((finding.code, finding.message))
    names = {e.name for e in book.roster.engineers} | set(found)
    names |= {s.user.name for s in snapshot.shifts}
    return {
        name: Readiness(tuple(found.get(name, ())), pd_users is not None) for name in sorted(names)
    }
