"""The My shift page's HTML: picker, personal view, checklists, everyone's upcoming shifts.

The personal view is filled in by oncall-shift.js from the data embedded here; everyone's
upcoming shifts are listed as of the build, so the page is complete without JavaScript.

Autoescaped Jinja from the render package; the data rides in an autoescaped
`data-myshift-data` attribute.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from oncall_docs.access.check import PagerDutyUser
from oncall_docs.model import Handbook
from oncall_docs.myshift.ics import person_calendar
from oncall_docs.myshift.plan import Contact, Person, PersonalShift, people
from oncall_docs.myshift.readiness import Readiness, readiness_by_name
from oncall_docs.oncall.ics import CalendarWriter, write_ics
from oncall_docs.oncall.view import OncallView
from oncall_docs.render.environment import render
from oncall_docs.timeutil import iso

PAGE = "my-shift.md"
PARTS = ("personal", "checklists", "everyone")


def feed_path(user_id: str) -> str:
    """Where a person's calendar feed lives, relative to the site root."""
    return f"oncall/{user_id}.ics"


def _contact(c: Contact) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "slack": c.slack}


def _shift(s: PersonalShift) -> dict[str, Any]:
    return {
        "uid": s.uid,
        "level": s.level,
        "label": s.label,
        "schedule": {"id": s.schedule.id, "name": s.schedule.name},
        "start": iso(s.start),
        "end": iso(s.end),
        "override": s.override,
        "period": s.period,
        "from": [_contact(c) for c in s.handover_from],
        "to": [_contact(c) for c in s.handover_to],
        "due": [{"checklist": d.checklist, "title": d.title, "at": iso(d.at)} for d in s.due],
        "override_url": s.override_url,
    }


@dataclass(frozen=True)
class MyShift:
    """Everything the page and the feeds need, computed once per build."""

    book: Handbook
    oncall: OncallView
    people: tuple[Person, ...]
    ready: Mapping[str, Readiness]
    page_url: str | None  # absolute URL of the page, when the site has a site_url

    @classmethod
    def build(
        cls,
        book: Handbook,
        oncall: OncallView,
        *,
        api_url: str,
        site_url: str = "",
        pd_users: Mapping[str, PagerDutyUser] | None = None,
    ) -> MyShift:
        """People, their shifts and readiness from the build's snapshot."""
        snap = oncall.snapshot
        page_url = site_url.rstrip("/") + "/my-shift/" if site_url else None
        return cls(
            book,
            oncall,
            tuple(people(book, snap, api_url=api_url)),
            readiness_by_name(book, snap, oncall.now, pd_users),
            page_url,
        )

    def files(self, write: CalendarWriter = write_ics) -> dict[str, str]:
        """Site path -> calendar feed of each person with at least one shift (`write` makes the text)."""
        return {
            feed_path(p.id): write(person_calendar(p, self.oncall.snapshot, page_url=self.page_url))
            for p in self.people
            if p.shifts
        }

    def checklist_ids(self) -> list[str]:
        """The checklists due before a shift, in the order they fall due."""
        seen: dict[str, float] = {}
        for checklist in self.book.checklists.checklists:
            due = checklist.due
            if due is not None and due.anchor == "shift_start" and due.offset_hours <= 0:
                seen[checklist.id] = due.offset_hours
        return sorted(seen, key=lambda c: (seen[c], c))

    def data(self) -> dict[str, Any]:
        """The JSON the script reads: people, their shifts, readiness, feed links."""
        return {
            "page": PAGE,
            "zone": self.book.rotation.time_zone,
            "checklists": self.checklist_ids(),
            "people": [
                {
                    "id": p.id,
                    "name": p.name,
                    "slack": p.slack,
                    "in_roster": p.in_roster,
                    "scheduled": p.scheduled,
                    "always": list(p.always),
                    "ics": feed_path(p.id) if p.shifts else None,  # the page adds its root
                    "ready": self._ready(p),
                    "shifts": [_shift(s) for s in p.shifts],
                }
                for p in self.people
            ],
        }

    def _ready(self, person: Person) -> dict[str, Any]:
        found = self.ready.get(person.name)
        problems = found.problems if found else ()
        return {
            "problems": [{"code": code, "message": message} for code, message in problems],
            "pager_checked": bool(found and found.pager_checked),
        }

    def data_json(self) -> str:
        """The data as JSON text, for a `data-` attribute (autoescaped there).

        An attribute, not a `<script type="application/json">`: Material's instant navigation
        re-creates the scripts of the content it swaps in and would run it as JavaScript.
        """
        return json.dumps(self.data(), separators=(",", ":"), ensure_ascii=False)

    def upcoming(self, person: Person) -> list[PersonalShift]:
        """Shifts not yet over at build time."""
        return [s for s in person.shifts if s.end > self.oncall.now]

    def render(self, part: str, *, root: str, checklist: Callable[[str], Markup]) -> Markup:
        """One part of the page: `personal`, `checklists` or `everyone` (with the data)."""
        if part not in PARTS:
            raise ValueError(f"my_shift: part must be one of {', '.join(PARTS)}, not {part!r}")
        return render(
            f"my_shift_{part}.html",
            my=self,
            view=self.oncall,
            snap=self.oncall.snapshot,
            when=self.oncall.when,
            root=root,
            checklist=checklist,
            feed_path=feed_path,
            now=self.oncall.now,
        )
