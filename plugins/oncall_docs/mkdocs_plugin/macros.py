"""MkDocs glue: the macro functions that pages call, bound to the loaded data.

The oncall plugin registers these with mkdocs-macros in every build, so pages need no
extra configuration; `define_env` also supports `macros: modules: [oncall_docs.mkdocs_plugin.macros]`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from oncall_docs.access.check import match_people, readiness, scheduled_within
from oncall_docs.access.window import access_context, window_for
from oncall_docs.errors import OncallDocsError
from oncall_docs.model import Handbook, load_handbook
from oncall_docs.oncall.model import Snapshot
from oncall_docs.oncall.view import OncallView
from oncall_docs.render.fragments import Renderer
from oncall_docs.render.links import resolve_href
from oncall_docs.runbooks.view import RunbookView


def _guarded(fn: Callable[..., Any], on_error: Callable[[str], None]) -> Callable[..., Any]:
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


def _raise(message: str) -> None:
    raise OncallDocsError(message)


def build_macros(
    handbook: Handbook,
    page_src: Callable[[], str],
    *,
    use_directory_urls: bool = True,
    on_error: Callable[[str], None] = _raise,
) -> dict[str, Callable[..., Any]]:
    """Name -> macro. `page_src` tells which page is being rendered, for relative links."""
    macros = _macros(handbook, page_src, use_directory_urls)
    return {name: _guarded(fn, on_error) for name, fn in macros.items()}


def _macros(
    handbook: Handbook, page_src: Callable[[], str], use_directory_urls: bool
) -> dict[str, Callable[..., Any]]:

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


def _daily(book: Handbook, check_id: str) -> Any:
    for check in book.rotation.daily_checks:
        if check.id == check_id:
            return check
    raise KeyError(f"no daily check with id {check_id!r} in rotation.yaml")


def define_env(env: Any) -> None:
    """mkdocs-macros module entry point, for sites that list `oncall_docs.mkdocs_plugin.macros` themselves."""
    plugin_config = env.conf["plugins"].get("oncall")
    data_dir = (
        Path(plugin_config.config.data_dir) if plugin_config else Path(env.project_dir) / "data"
    )
    handbook = load_handbook(data_dir)
    macros = build_macros(
        handbook,
        lambda: env.page.file.src_uri,
        use_directory_urls=bool(env.conf.get("use_directory_urls", True)),
    )
    for name, fn in macros.items():
        env.macro(fn, name)
    env.variables["oncall"] = handbook


def build_oncall_macros(view: OncallView) -> dict[str, Callable[..., Any]]:
    """The on-call snapshot macros (schedule page): who is on call, next handoffs, timeline."""
    return {
        "oncall_table": view.table,
        "oncall_handoffs": view.handoffs,
        "oncall_timeline": view.timeline,
        "oncall_status": view.status,
    }


def build_access_macros(
    handbook: Handbook, snapshot: Snapshot, now: datetime, on_error: Callable[[str], None] = _raise
) -> dict[str, Callable[..., Any]]:
    """The "Required access" page's readiness matrix, from the same code as `check access`."""
    renderer = Renderer(handbook)

    def access_readiness(weeks: int = 4) -> Markup:
        window = window_for(snapshot, now, weeks)
        ctx = access_context(handbook, snapshot, window, weeks)
        people = match_people(
            scheduled_within(ctx.assignments, window.start, weeks), handbook.roster, ctx.levels
        )
        since, until = window.describe(handbook.rotation.time_zone)
        rows = readiness(handbook.access, people, window.start.date())
        return renderer.access_readiness(rows, since=since, until=until, source=window.source)

    return {"access_readiness": _guarded(access_readiness, on_error)}


def build_runbook_macros(
    view: RunbookView,
    page_src: Callable[[], str],
    *,
    use_directory_urls: bool = True,
    on_error: Callable[[str], None] = _raise,
) -> dict[str, Callable[..., Any]]:
    """The Alerts page and each runbook page's owner, review and covered alerts."""

    def href(url: str) -> str:
        return resolve_href(url, page_src=page_src(), use_directory_urls=use_directory_urls)

    macros: dict[str, Callable[..., Any]] = {
        "alerts_table": lambda: view.alerts_page(href),
        "runbook_header": lambda runbook_id: view.runbook_header(runbook_id, href),
    }
    return {name: _guarded(fn, on_error) for name, fn in macros.items()}
