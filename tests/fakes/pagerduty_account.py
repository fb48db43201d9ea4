"""A PagerDuty account for the fake: users, one escalation policy, schedules with final entries.

`bitcell_account()` is the BitCell rotation (weekly handoff Monday 09:00 America/New_York,
primary and secondary schedules, a swap, two always-on-call leaders); it is also what the
checked-in offline snapshot was captured from. Entries are computed here, the way PagerDuty
would render them, so the code under test never derives a rotation itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")
Entry = tuple[str, datetime, datetime]  # user id, start, end (aware)


@dataclass
class FakeSchedule:
    """A schedule as PagerDuty renders it: final entries (layers + overrides) and the overrides."""

    id: str
    name: str
    time_zone: str = "America/New_York"
    entries: list[Entry] = field(default_factory=list)
    overrides: list[Entry] = field(default_factory=list)
    v3: bool = False  # shift-based: served by /v3/schedules/{id}; /schedules/{id} answers 400
    custom: list[Entry] = field(default_factory=list)  # v3 custom shifts (also in `entries`)
    replaced: list[Entry] = field(default_factory=list)  # what overrides cut (v3 overridden_member)

    def override(self, user_id: str, start: datetime, end: datetime) -> None:
        """Swap: `user_id` covers [start, end); the entries it overlaps are cut around it."""
        kept: list[Entry] = []
        for uid, s, e in self.entries:
            if e <= start or s >= end:
                kept.append((uid, s, e))
                continue
            self.replaced.append((uid, max(s, start), min(e, end)))
            if s < start:
                kept.append((uid, s, start))
            if e > end:
                kept.append((uid, end, e))
        kept.append((user_id, start, end))
        self.entries = sorted(kept, key=lambda item: item[1])
        self.overrides.append((user_id, start, end))


@dataclass
class FakeAccount:
    """Everything the fake serves. `rules[n]` are the targets of level n+1: ("schedule"|"user", id).

    A "schedule" target is referenced by its kind (`schedule_reference` or
    `schedule_v3_reference`); a "schedule?" target as a bare `schedule`, whose kind is unknown.
    """

    users: dict[str, dict[str, str]]
    policy_id: str
    policy_name: str
    rules: list[list[tuple[str, str]]]
    schedules: dict[str, FakeSchedule]
    time_zone: str = "America/New_York"
    # Pager setup per user; users not listed have DEFAULT_CONTACT_TYPES and a rule per urgency.
    contact_types: dict[str, list[str]] = field(default_factory=dict)
    rule_urgencies: dict[str, list[str]] = field(default_factory=dict)
    incidents: list[dict[str, object]] = field(
        default_factory=list
    )  # GET /incidents, built by incident()


DEFAULT_CONTACT_TYPES = ["email_contact_method", "phone_contact_method", "sms_contact_method"]
DEFAULT_URGENCIES = ["high", "low"]


def weekly(user_ids: list[str], first: datetime, weeks: int, offset: int = 0) -> list[Entry]:
    """Weekly shifts handing off at `first`'s wall-clock time (aware arithmetic keeps 09:00 local)."""
    return [
        (
            user_ids[(k + offset) % len(user_ids)],
            first + timedelta(weeks=k),
            first + timedelta(weeks=k + 1),
        )
        for k in range(weeks)
    ]


def monday_0900(before: datetime, weeks_back: int = 2) -> datetime:
    """The Monday 09:00 New York handoff `weeks_back` weeks before `before`."""
    local = before.astimezone(NEW_YORK)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, 9, 0, tzinfo=NEW_YORK) - timedelta(
        weeks=weeks_back
    )


ENGINEERS = [
    ("PALICE1", "Alice Chen", "America/New_York"),
    ("PBRUNO2", "Bruno Keller", "Europe/Berlin"),
    ("PCHIDI3", "Chidi Okafor", "America/Chicago"),
    ("PDANA04", "Dana Whitfield", "America/New_York"),
    ("PEITAN5", "Eitan Levi", "Europe/Berlin"),
    ("PFARAH6", "Farah Haddad", "America/Los_Angeles"),
]
LEADERS = [("PPRIYA7", "Priya Raman"), ("PMARC08", "Marcus Bell")]


def _user(name: str, zone: str) -> dict[str, str]:
    slug = name.lower().replace(" ", ".")
    return {"name": name, "email": f"{slug}@bitcell.example", "time_zone": zone}


def bitcell_account(now: datetime, *, extra_users: int = 0, weeks: int = 14) -> FakeAccount:
    """BitCell: 6 engineers on primary/secondary, a swap in 2 weeks, 2 always-on-call leaders."""
    users = {uid: _user(name, zone) for uid, name, zone in ENGINEERS}
    users.update({uid: _user(name, "America/New_York") for uid, name in LEADERS})
    users.update({f"PX{n:05d}": _user(f"Staff Member {n}", "UTC") for n in range(extra_users)})
    ids = [uid for uid, _, _ in ENGINEERS]
    first = monday_0900(now)
    primary = FakeSchedule("PPRIMRY", "BitCell Primary", entries=weekly(ids, first, weeks))
    secondary = FakeSchedule(
        "PSECOND", "BitCell Secondary", entries=weekly(ids, first, weeks, offset=1)
    )
    swap_start = first + timedelta(weeks=4)
    primary.override("PEITAN5", swap_start, swap_start + timedelta(weeks=1))
    return FakeAccount(
        users=users,
        policy_id="PBCPOL1",
        policy_name="BitCell Platform",
        rules=[
            [("schedule", "PPRIMRY")],
            [("schedule", "PSECOND")],
            [("user", uid) for uid, _ in LEADERS],
        ],
        schedules={"PPRIMRY": primary, "PSECOND": secondary},
    )


def incident(
    number: int,
    title: str,
    created: datetime,
    resolved: datetime | None = None,
    *,
    status: str | None = None,
    priority: str | None = None,
    urgency: str = "high",
    service: str = "Blockchain Nodes",
) -> dict[str, object]:
    """An incident as GET /incidents lists it; no priority -> no `priority` key (the spec has no null)."""
    iid = f"Q{number:07d}"
    when = {
        "created_at": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resolved_at": resolved.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if resolved
        else None,
    }
    sid = "PS" + "".join(w[0] for w in service.split()).upper()
    body: dict[str, object] = {
        "id": iid,
        "type": "incident",
        "summary": f"[#{number}] {title}",
        "incident_number": number,
        "title": title,
        "self": f"https://api.pagerduty.com/incidents/{iid}",
        "html_url": f"https://bitcell.pagerduty.example/incidents/{iid}",
        "status": status or ("resolved" if resolved else "triggered"),
        "urgency": urgency,
        **when,
        "updated_at": when["resolved_at"] or when["created_at"],
        "incident_key": f"key-{number}",
        "service": {
            "id": sid,
            "type": "service_reference",
            "summary": service,
            "self": f"https://api.pagerduty.com/services/{sid}",
            "html_url": f"https://bitcell.pagerduty.example/services/{sid}",
        },
        "assignments": [],
        "assigned_via": "escalation_policy",
        "last_status_change_at": when["resolved_at"] or when["created_at"],
    }
    if priority is not None:
        body["priority"] = {
            "id": f"PP{priority.upper().replace(' ', '')[:6]}",
            "type": "priority",
            "summary": priority,
            "self": "https://api.pagerduty.com/priorities/x",
            "html_url": None,
            "name": priority,
        }
    return body


def upgrade(account: FakeAccount, *schedule_ids: str) -> FakeAccount:
    """The account after these schedules were upgraded to shift-based (v3); ids stay the same."""
    for sid in schedule_ids:
        account.schedules[sid].v3 = True
    return account
