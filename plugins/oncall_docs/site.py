"""Everything the site adds to a generator, in one call: `prepare(settings, root, now)`.

Generator-neutral (no MkDocs here): the MkDocs glue, the mkdocs-macros module hook and any
other engine take the same `SiteParts` and only hand its pieces to their own API: macro
functions and page variables for the Jinja step, generated pages and files, the banner for
the theme, and the lines to log.

Each PagerDuty-backed section is three steps plugged in below, and nothing else:

    fetch   [I/O]  the outside data, resolved live / cached / offline (oncall.source, handoff.source)
    build   pure   the domain object from that data and the handbook (handoff.draft.make_draft)
    view    pure   HTML through the one Jinja environment (OncallView, HandoffView)

A new section is one more `_<name>_section(ctx)` function following the same three steps,
added to `prepare`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from oncall_docs.access.check import match_people, readiness, scheduled_within
from oncall_docs.access.window import access_context, window_for
from oncall_docs.errors import ConfigError, OncallDocsError
from oncall_docs.handoff.draft import make_draft, redactor
from oncall_docs.handoff.source import NoIncidents, load_incidents
from oncall_docs.handoff.view import HandoffView
from oncall_docs.handoff.window import current_window
from oncall_docs.model import Handbook, load_handbook
from oncall_docs.model.cache import DataCache
from oncall_docs.myshift.plan import slack_handles
from oncall_docs.myshift.source import load_pager_setup
from oncall_docs.myshift.view import MyShift
from oncall_docs.oncall.ics import CalendarWriter, team_calendar, write_ics
from oncall_docs.oncall.ics_cache import CalendarCache
from oncall_docs.oncall.model import Snapshot, to_json
from oncall_docs.oncall.source import load_snapshot
from oncall_docs.oncall.view import OncallView
from oncall_docs.pagerduty_api.client import PagerDutySettings
from oncall_docs.render.environment import use_bytecode_cache
from oncall_docs.render.fragments import Renderer
from oncall_docs.render.links import page_folder, relative_url, resolve_href
from oncall_docs.render.macros import Macro, data_macros, guarded
from oncall_docs.render.page_data import PageData, code_span
from oncall_docs.runbooks.run import site_view
from oncall_docs.settings import Settings, build_cache_dir, pagerduty_settings, shown_path
from oncall_docs.sources import SourceOptions
from oncall_docs.text import page_text

ASSET_PREFIX = "assets/oncall/"
SCHEDULE_ANCHOR = "#who-is-on-call"


class PageChannel:
    """Which page is being rendered, and the errors its macros reported (one build, many pages).

    The glue calls `begin(src_uri)` before each page and reads `errors` after it; an engine
    without such a hook makes the channel `strict` (errors raise) and may `follow` its own
    notion of the current page.
    """

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self.page = ""
        self.errors: list[str] = []
        self._source: Callable[[], str] | None = None

    def begin(self, page_src: str) -> None:
        """A new page starts: relative links resolve from it; earlier errors are forgotten."""
        self.page = page_src
        self.errors.clear()

    def follow(self, source: Callable[[], str]) -> None:
        """Ask `source` for the current page instead of waiting for `begin`."""
        self._source = source

    def current(self) -> str:
        """The source path (relative to docs/) of the page being rendered."""
        return self._source() if self._source is not None else self.page

    def report(self, message: str) -> None:
        """A macro was called wrongly: remember it for the page (or raise, when strict)."""
        if self.strict:
            raise OncallDocsError(message)
        self.errors.append(message)


@dataclass
class SiteParts:
    """What the site adds to any generator; built once per build by `prepare`."""

    handbook: Handbook
    macros: dict[str, Macro]  # name -> function pages call
    variables: dict[str, Any]  # `oncall`: the data, every string escaped for page text
    filters: dict[str, Callable[..., Any]]  # `code`: a value as an escaped <code> element
    pages: dict[str, str]  # generated Markdown pages (runbooks/<id>.md), unless docs/ has one
    files: dict[str, bytes | str]  # generated files: oncall.json, oncall.ics, assets/oncall/*
    banner: Callable[[str], Markup]  # page URL (site-root relative) -> the header banner HTML
    footer: Markup  # the foot of every page (about.yaml), 404 page included
    watch: list[Path]  # files a live-reloading server should watch (data/, alert rule files)
    channel: PageChannel  # the current page and its macro errors
    warnings: list[str] = field(default_factory=list)  # problems `--strict` must fail on
    info: list[str] = field(default_factory=list)  # where the data came from, for the log

    @property
    def stylesheets(self) -> list[str]:
        """Our CSS files, to link from every page."""
        return [uri for uri in self.files if uri.startswith(ASSET_PREFIX) and uri.endswith(".css")]

    @property
    def scripts(self) -> list[str]:
        """Our JS files, to link from every page (files, not inline code, so a strict CSP works)."""
        return [uri for uri in self.files if uri.startswith(ASSET_PREFIX) and uri.endswith(".js")]


@dataclass
class _Context:
    """What every section reads: the settings, the data, the time, where PagerDuty is."""

    settings: Settings
    root: Path
    now: datetime
    handbook: Handbook
    pagerduty: PagerDutySettings
    channel: PageChannel
    write_ics: CalendarWriter = write_ics  # a calendar's text (through the memo, when on)
    parts: dict[str, Any] = field(default_factory=dict)  # what earlier sections produced
    warnings: list[str] = field(default_factory=list)
    info: list[str] = field(default_factory=list)


def prepare(
    settings: Settings,
    root: Path,
    now: datetime,
    *,
    use_directory_urls: bool = True,
    site_url: str = "",
    channel: PageChannel | None = None,
) -> SiteParts:
    """Load data/, resolve the PagerDuty sections and bind every macro. Raises OncallDocsError.

    With build caches on, the fragments' compiled code is kept in the user's cache, shared by
    every project (render.environment); the project's cache holds its data and pages.
    """
    cache_dir = build_cache_dir(settings)
    use_bytecode_cache(cache_dir is not None)
    handbook = load_handbook(shown_path(settings.data_dir), cache=DataCache.file_in(cache_dir))
    memo = CalendarCache.file_in(cache_dir)
    calendars = CalendarCache.open(memo) if memo is not None else None
    ctx = _Context(
        settings=settings,
        root=root,
        now=now,
        handbook=handbook,
        pagerduty=pagerduty_settings(settings),
        channel=channel or PageChannel(),
        write_ics=calendars.writer() if calendars is not None else write_ics,
    )
    macros = _guard(
        data_macros(handbook, ctx.channel.current, use_directory_urls=use_directory_urls), ctx
    )
    oncall = _oncall_section(ctx)
    macros |= oncall.macros
    macros |= _access_section(ctx, oncall.view.snapshot)
    macros |= _handoff_section(ctx, oncall.view.snapshot)
    myshift_macros, feeds = _myshift_section(ctx, oncall.view, use_directory_urls, site_url)
    macros |= myshift_macros
    if calendars is not None:
        calendars.save()
    runbooks = site_view(  # the Alerts page and runbook headers: rule files only, no fetch
        settings.runbooks,
        root,
        handbook,
        site_url=site_url,
        use_directory_urls=use_directory_urls,
        today=now.date(),
    )
    macros |= _guard(
        {
            "alerts_table": lambda: runbooks.alerts_page(_href(ctx, use_directory_urls)),
            "runbook_header": lambda runbook_id: runbooks.runbook_header(
                runbook_id, _href(ctx, use_directory_urls)
            ),
        },
        ctx,
    )
    schedule = "schedule/" if use_directory_urls else "schedule.html"
    myshift = "my-shift/" if use_directory_urls else "my-shift.html"
    return SiteParts(
        handbook=handbook,
        macros=macros,
        variables={"oncall": PageData(handbook)},
        filters={"code": code_span},
        pages=runbook_pages(handbook),
        files={**package_assets(), **oncall.files, **feeds},
        banner=page_banner(oncall.view, schedule, myshift),
        footer=Renderer(handbook).footer(),
        watch=[settings.data_dir, *runbooks.rule_files],
        channel=ctx.channel,
        warnings=ctx.warnings,
        info=ctx.info,
    )


def _source_options(ctx: _Context, offline: Path) -> SourceOptions:
    """The settings every PagerDuty-backed source shares (snapshot, incidents, the next one)."""
    s = ctx.settings
    return SourceOptions(
        offline=shown_path(offline),
        cache_dir=s.cache_dir,
        ttl_seconds=s.snapshot_ttl,
        api_url=ctx.pagerduty.api_url,
        retry=s.retry,
    )


def _href(ctx: _Context, use_directory_urls: bool) -> Callable[[str], str]:
    """Data links (`runbooks/x.md#a`) as links relative to the page being rendered."""
    return lambda url: resolve_href(
        url, page_src=ctx.channel.current(), use_directory_urls=use_directory_urls
    )


def _guard(macros: dict[str, Macro], ctx: _Context) -> dict[str, Macro]:
    return {name: guarded(fn, ctx.channel.report) for name, fn in macros.items()}


# ---------------------------------------------------------------- sections


@dataclass(frozen=True)
class _OncallParts:
    view: OncallView
    macros: dict[str, Macro]
    files: dict[str, bytes | str]


def _oncall_section(ctx: _Context) -> _OncallParts:
    """Who is on call: fetch the snapshot, view it (table, handoffs, timeline, banner, feeds)."""
    resolution = load_snapshot(  # fetch
        _source_options(ctx, ctx.settings.offline_snapshot),
        ctx.now,
        escalation_policy_id=ctx.pagerduty.escalation_policy_id,
        labels={level.level: level.name for level in ctx.handbook.rotation.levels},
        zone=ctx.handbook.rotation.time_zone,
    )
    ctx.warnings.extend(resolution.warnings)
    snap = resolution.value  # build: the snapshot is already the domain object
    ctx.info.append(
        f"on-call snapshot: {snap.source}{' (stale)' if snap.stale else ''}, captured {snap.generated_at:%Y-%m-%d %H:%M} UTC"
    )
    view = OncallView(  # view
        snap,
        ctx.now,
        ctx.handbook.rotation.time_zone,
        slack=slack_handles(ctx.handbook.roster.engineers),
    )
    macros: dict[str, Macro] = {
        "oncall_table": view.table,
        "oncall_handoffs": view.handoffs,
        "oncall_timeline": view.timeline,
        "oncall_status": view.status,
    }
    files: dict[str, bytes | str] = {
        "oncall.json": to_json(snap),
        "oncall.ics": ctx.write_ics(team_calendar(snap)),
    }
    return _OncallParts(view, macros, files)


def _access_section(ctx: _Context, snapshot: Snapshot) -> dict[str, Macro]:
    """The "Required access" readiness matrix, from the same code as `check access` (no fetch)."""
    book, renderer = ctx.handbook, Renderer(ctx.handbook)

    def access_readiness(weeks: int = 4) -> Markup:
        window = window_for(snapshot, ctx.now, weeks)
        checked = access_context(book, snapshot, window, weeks)
        people = match_people(
            scheduled_within(checked.assignments, window.start, weeks), book.roster, checked.levels
        )
        since, until = window.describe(book.rotation.time_zone)
        rows = readiness(book.access, people, window.start.date())
        return renderer.access_readiness(rows, since=since, until=until, source=window.source)

    return _guard({"access_readiness": access_readiness}, ctx)


def _myshift_section(
    ctx: _Context, view: OncallView, use_directory_urls: bool, site_url: str
) -> tuple[dict[str, Macro], dict[str, str]]:
    """My shift: per-person shifts, due lists, readiness and calendar feeds (`oncall/<id>.ics`).

    No fetch unless `pager_setup` is on (then the people's pager setup, never fatal).
    """
    pd_users, note = (
        load_pager_setup(view.snapshot, ctx.pagerduty.api_url, ctx.settings.retry)
        if ctx.settings.pager_setup
        else (None, None)
    )
    if note:
        ctx.info.append(note)
    my = MyShift.build(  # build
        ctx.handbook, view, api_url=ctx.pagerduty.api_url, site_url=site_url, pd_users=pd_users
    )
    href = _href(ctx, use_directory_urls)

    def my_shift(part: str = "personal") -> Markup:  # view
        root = href("oncall.ics").removesuffix("oncall.ics")  # "../", or "" at the top
        return my.render(part, root=root, checklist=Renderer(ctx.handbook, href).checklist)

    return _guard({"my_shift": my_shift}, ctx), my.files(ctx.write_ics)


def _handoff_section(ctx: _Context, snapshot: Snapshot) -> dict[str, Macro]:
    """This shift's handoff draft: fetch the incidents, build the draft, view it.

    A failed /incidents fetch is a note on the page, not a failed build.
    """
    s, book = ctx.settings, ctx.handbook
    try:
        pattern = redactor(list(s.redact))
    except re.error as error:
        raise ConfigError(f"oncall: redact: {error.pattern!r}: {error}") from None
    options = _source_options(ctx, s.offline_incidents)
    try:  # fetch
        data = load_incidents(
            options, current_window(book, ctx.now), ctx.now, zone=book.rotation.time_zone
        )
    except NoIncidents as missing:
        ctx.info.append(f"handoff draft: {missing}")
        return {"handoff_draft": HandoffView(str(missing), "none").html}
    ctx.warnings.extend(f"handoff draft: {warning}" for warning in data.warnings)
    draft = make_draft(  # build
        book,
        list(data.incidents),
        window=data.window,
        now=data.captured_at if data.source == "offline" else ctx.now,
        snapshot=snapshot,
        redact_pattern=pattern,
    )
    if draft.unmapped_priorities:
        ctx.warnings.append(
            f"handoff draft: priorities not in incident-priorities.yaml, counted as unmapped: "
            f"{', '.join(draft.unmapped_priorities)}"
        )
    ctx.info.append(f"handoff draft: {data.note(ctx.now)}")
    view = HandoffView.of(  # view
        book,
        draft,
        data.note(ctx.now),
        "stale" if data.error else data.source,
        ctx.pagerduty.api_url,
    )
    return {"handoff_draft": view.html}


# ---------------------------------------------------------------- pages and files


def runbook_pages(handbook: Handbook) -> dict[str, str]:
    """A page for every data/runbooks/*.yaml: its title and the `runbook` macro."""
    return {
        f"runbooks/{runbook_id}.md": (
            f"# {page_text(book.title)}\n\n{{{{ runbook_header({runbook_id!r}) }}}}\n\n"
            f"{{{{ runbook({runbook_id!r}) }}}}\n"
        )
        for runbook_id, book in handbook.runbooks.items()
    }


def page_banner(view: OncallView, schedule: str, myshift: str) -> Callable[[str], Markup]:
    """Page URL -> the banner, whose links are relative to the page's folder.

    The links are worked out once per folder, and the view renders the banner once per
    distinct pair of links: a thousand pages at three depths cost three banners.
    """
    links: dict[str, tuple[str, str]] = {}

    def banner(page_url: str) -> Markup:
        folder = page_folder(page_url)
        if (pair := links.get(folder)) is None:
            pair = links[folder] = (
                relative_url(schedule, page_url or ".") + SCHEDULE_ANCHOR,
                relative_url(myshift, page_url or "."),
            )
        return view.banner(*pair)

    return banner


def package_assets() -> dict[str, bytes | str]:
    """Site path -> content of every file in the package's assets/ folder (CSS, JS)."""
    folder = resources.files("oncall_docs") / "assets"
    return {
        ASSET_PREFIX + entry.name: entry.read_bytes()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.is_file() and entry.name.endswith((".css", ".js"))
    }
