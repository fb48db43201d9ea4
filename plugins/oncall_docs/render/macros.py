"""The data macros pages call (`{{ severity_table() }}`), bound to one handbook.

Generator-neutral: a mapping of name -> function that any Jinja-based engine can register.
A wrong argument (unknown id, bad link) is reported as one line through `on_error`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from oncall_docs.errors import OncallDocsError
from oncall_docs.model import Handbook
from oncall_docs.model.types import DailyCheck
from oncall_docs.render.fragments import Renderer
from oncall_docs.render.links import resolve_href

Macro = Callable[..., Any]


def guarded(fn: Macro, on_error: Callable[[str], None]) -> Macro:
    """A macro that reports a wrong argument (unknown id, bad link) as one line, not a traceback."""

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (KeyError, ValueError, OncallDocsError) as error:
            on_error(str(error.args[0] if isinstance(error, KeyError) else error))
            return ""

    call.__name__ = getattr(fn, "__name__", "macro")
    call.__doc__ = fn.__doc__
    return call


def data_macros(
    handbook: Handbook, page_src: Callable[[], str], *, use_directory_urls: bool = True
) -> dict[str, Macro]:
    """Name -> macro over the data files. `page_src` tells which page is being rendered."""

    def href(url: str) -> str:
        return resolve_href(url, page_src=page_src(), use_directory_urls=use_directory_urls)

    r = Renderer(handbook, href)
    book = handbook
    return {
        "severity_table": r.severity_table,
        "escalation_table": r.escalation_table,
        "contacts_table": r.contacts_table,
        "channels_table": r.channels_table,
        "commands_table": r.commands_table,
        "dashboards": r.dashboards,
        "rotation_table": r.rotation_table,
        "war_room_roles": r.war_room_roles,
        "communication_tips": r.communication_tips,
        "guidance": r.guidance,
        "alert_steps": r.alert_steps,
        "incident_phases": r.incident_phases,
        "practices": r.practices,
        "handoff_agenda": r.handoff_agenda,
        "after_handoff": r.after_handoff,
        "faq": r.faq,
        "checklist": r.checklist,
        "incident_log": r.incident_log,
        "template": r.template,
        "runbook": r.runbook,
        "runbook_links": r.runbook_links,
        "access_systems": r.access_systems,
        "useful_links": lambda: r.links(book.links.links),
        "schedule_links": lambda: r.links([book.schedule.tool, *book.schedule.calendar]),
        "swap_steps": lambda: r.bullets(
            book.schedule.swap_steps, ordered=True, list_id="swap-steps"
        ),
        "war_room_setup": lambda: r.bullets(
            book.war_room.setup, ordered=True, list_id="war-room-setup"
        ),
        "war_room_practices": lambda: r.bullets(
            book.war_room.practices, list_id="war-room-practices"
        ),
        "protocol_steps": lambda: r.bullets(book.communication.protocol.steps, list_id="protocol"),
        "status_update_fields": lambda: r.bullets(
            book.communication.status_update.fields, list_id="status-fields"
        ),
        "status_update_example": lambda: Markup("<pre><code>{}</code></pre>\n").format(
            book.communication.status_update.example
        ),
        "daily_commands": lambda check_id: r.commands(_daily(book, check_id).commands),
    }


def _daily(book: Handbook, check_id: str) -> DailyCheck:
    for check in book.rotation.daily_checks:
        if check.id == check_id:
            return check
    raise KeyError(f"no daily check with id {check_id!r} in rotation.yaml")
