"""The whole data directory as one typed object, with cross-file references checked."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from oncall_docs.errors import DataError
from oncall_docs.model.access import AccessList, Roster
from oncall_docs.model.cache import DataCache
from oncall_docs.model.incidents import IncidentPriorities, UpcomingEvents
from oncall_docs.model.load import Loc, Positions, validate_file
from oncall_docs.model.types import (
    About,
    Checklist,
    Checklists,
    Communication,
    Contacts,
    Escalation,
    Faq,
    Guidance,
    GuidanceList,
    HandoffProcedure,
    Links,
    Practices,
    Rotation,
    Runbook,
    Schedule,
    Severities,
    Strict,
    Template,
    Templates,
    Tools,
    WarRoom,
)


@dataclass(frozen=True)
class Handbook:
    """Every data file, validated. `positions` maps a file stem to its line lookup."""

    root: Path
    rotation: Rotation
    schedule: Schedule
    severity: Severities
    escalation: Escalation
    war_room: WarRoom
    communication: Communication
    checklists: Checklists
    handoff: HandoffProcedure
    contacts: Contacts
    tools: Tools
    templates: Templates
    practices: Practices
    guidance: Guidance
    faq: Faq
    links: Links
    access: AccessList
    roster: Roster
    incident_priorities: IncidentPriorities
    upcoming_events: UpcomingEvents
    about: About
    runbooks: dict[str, Runbook] = field(default_factory=dict)
    positions: dict[str, Positions] = field(default_factory=dict, repr=False)

    def checklist(self, checklist_id: str) -> Checklist:
        """The checklist with this id; a KeyError lists the ids there are."""
        for checklist in self.checklists.checklists:
            if checklist.id == checklist_id:
                return checklist
        raise KeyError(
            _unknown("checklist", checklist_id, [c.id for c in self.checklists.checklists])
        )

    def template(self, template_id: str) -> Template:
        """The template with this id."""
        for template in self.templates.templates:
            if template.id == template_id:
                return template
        raise KeyError(_unknown("template", template_id, [t.id for t in self.templates.templates]))

    def guidance_list(self, list_id: str) -> GuidanceList:
        """The guidance list with this id."""
        for item in self.guidance.lists:
            if item.id == list_id:
                return item
        raise KeyError(_unknown("guidance list", list_id, [g.id for g in self.guidance.lists]))

    def runbook(self, runbook_id: str) -> Runbook:
        """The runbook with this id."""
        if runbook_id not in self.runbooks:
            raise KeyError(_unknown("runbook", runbook_id, list(self.runbooks)))
        return self.runbooks[runbook_id]


def _unknown(kind: str, ident: str, known: list[str]) -> str:
    return f"no {kind} with id {ident!r} in data/ (known: {', '.join(known) or 'none'})"


_FILES: dict[str, type[Strict]] = {
    "rotation": Rotation,
    "schedule": Schedule,
    "severity": Severities,
    "escalation": Escalation,
    "war_room": WarRoom,
    "communication": Communication,
    "checklists": Checklists,
    "handoff": HandoffProcedure,
    "contacts": Contacts,
    "tools": Tools,
    "templates": Templates,
    "practices": Practices,
    "guidance": Guidance,
    "faq": Faq,
    "links": Links,
    "access": AccessList,
    "roster": Roster,
    "incident_priorities": IncidentPriorities,
    "upcoming_events": UpcomingEvents,
    "about": About,
}


def file_stem(attribute: str) -> str:
    """The file name of a Handbook attribute: war_room -> war-room."""
    return attribute.replace("_", "-")


def load_handbook(root: Path, *, cache: Path | None = None) -> Handbook:
    """Load and validate every data file under `root`; the first problem raises DataError.

    `cache` is a file (`<cache_dir>/data.json`) that keeps the values of files that loaded
    cleanly, so that an unchanged file is not parsed again on the next load (model/cache.py).
    """
    root = Path(root)
    if not root.is_dir():
        raise DataError(root, 0, "", "the data directory does not exist")
    with _collector_paused():
        store = DataCache.open(cache) if cache is not None else None
        values, runbooks, positions = _load_files(root, store)
        if store is not None:
            store.save()  # every file loaded cleanly (a cross-file reference may still be wrong)
    handbook = Handbook(root=root, runbooks=runbooks, positions=positions, **values)  # type: ignore[arg-type]
    check_references(handbook)
    return handbook


def _load_files(
    root: Path, store: DataCache | None
) -> tuple[dict[str, object], dict[str, Runbook], dict[str, Positions]]:
    """Every data file validated: (attribute -> model, runbook id -> runbook, stem -> positions)."""
    values: dict[str, object] = {}
    positions: dict[str, Positions] = {}
    for attribute, model in _FILES.items():
        stem = file_stem(attribute)
        path = root / f"{stem}.yaml"
        if not path.exists():
            raise DataError(path, 0, "", "required data file is missing")
        values[attribute], positions[stem] = validate_file(path, model, store)
    runbooks: dict[str, Runbook] = {}
    for path in sorted((root / "runbooks").glob("*.yaml")):
        runbook, where = validate_file(path, Runbook, store)
        if runbook.id != path.stem:
            raise where.error(("id",), f"must match the file name {path.stem!r}")
        runbooks[runbook.id] = runbook
        positions[f"runbooks/{path.stem}"] = where
    return values, runbooks, positions


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the files load, as it was before afterwards.

    A load creates about a million objects that all live on (values, then models); the
    collector would walk them again and again for nothing (some 40% of the load's time, on
    1,000 runbooks). The values and models hold no cycles; the collector runs as usual after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


Ref = tuple[str, str, Loc, str]  # (kind, file stem, field path, the id it names)


def _severity_refs(book: Handbook) -> Iterator[Ref]:
    """Every place that names a severity."""
    for p, path in enumerate(book.escalation.paths):
        for c, criterion in enumerate(path.when):
            if criterion.severity:
                yield (
                    "severity",
                    "escalation",
                    ("paths", p, "when", c, "severity"),
                    criterion.severity,
                )
    for i, sev in enumerate(book.war_room.applies_to):
        yield "severity", "war-room", ("applies_to", i), sev
    for i, sev in enumerate(book.communication.protocol.applies_to):
        yield "severity", "communication", ("protocol", "applies_to", i), sev
    for name, runbook in book.runbooks.items():
        for i, incident in enumerate(runbook.incidents):
            yield "severity", f"runbooks/{name}", ("incidents", i, "severity"), incident.severity
    mapping = book.incident_priorities
    for group in ("priorities", "urgencies"):
        for key, sev in getattr(mapping, group).items():
            yield "severity", "incident-priorities", (group, key), sev
    for i, sev in enumerate(mapping.notable):
        yield "severity", "incident-priorities", ("notable", i), sev


def _other_refs(book: Handbook) -> Iterator[Ref]:
    """Every place that names a rotation level or a checklist."""
    for p, path in enumerate(book.escalation.paths):
        yield "rotation level", "escalation", ("paths", p, "level"), path.level
    yield "rotation level", "escalation", ("automatic", "to"), book.escalation.automatic.to
    for s, system in enumerate(book.access.systems):
        for r, role in enumerate(system.required_for):
            yield "rotation level", "access", ("systems", s, "required_for", r), role
    for i, check in enumerate(book.rotation.daily_checks):
        yield "checklist", "rotation", ("daily_checks", i, "checklist"), check.checklist


def check_references(book: Handbook) -> None:
    """Ids used across files must exist: severities, rotation levels, checklists."""
    known = {
        "severity": ("severity.yaml", {level.id for level in book.severity.levels}),
        "rotation level": ("rotation.yaml", {level.id for level in book.rotation.levels}),
        "checklist": ("checklists.yaml", {c.id for c in book.checklists.checklists}),
    }
    for kind, stem, loc, ident in (*_severity_refs(book), *_other_refs(book)):
        source, ids = known[kind]
        if ident not in ids:
            raise book.positions[stem].error(
                loc, f"unknown {kind} {ident!r} ({source} defines {', '.join(sorted(ids))})"
            )
    _check_roster_ids(book)
    _check_questions_channel(book)


def _check_questions_channel(book: Handbook) -> None:
    """The footer sends questions to a channel that the contacts page lists."""
    channel = book.about.questions_channel
    known = [c.name for c in book.contacts.channels]
    if channel not in known:
        raise book.positions["about"].error(
            ("questions_channel",),
            f"unknown channel {channel!r} (contacts.yaml lists {', '.join(known)})",
        )


def _check_roster_ids(book: Handbook) -> None:
    """One PagerDuty user is one engineer of the roster."""
    seen: dict[str, int] = {}
    for e, engineer in enumerate(book.roster.engineers):
        if engineer.pagerduty_id in seen:
            first = book.roster.engineers[seen[engineer.pagerduty_id]].id
            raise book.positions["roster"].error(
                ("engineers", e, "pagerduty_id"),
                f"PagerDuty user {engineer.pagerduty_id} is already {first!r}",
            )
        if engineer.pagerduty_id:
            seen[engineer.pagerduty_id] = e
