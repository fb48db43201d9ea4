"""MkDocs glue: the `oncall` plugin. Loads data/, registers the macros, adds generated pages.

Every hook is a few lines that call the core; core errors become one-line PluginErrors.
"""

from __future__ import annotations

import os
import re
import time
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from oncall_docs.errors import OncallDocsError
from oncall_docs.handoff.draft import redactor
from oncall_docs.handoff.source import (
    OFFLINE_INCIDENTS,
    NoIncidents,
    load_incidents,
)
from oncall_docs.handoff.view import HandoffView, current_window, make_draft
from oncall_docs.linkcheck.run import run_check
from oncall_docs.linkcheck.settings import LinkSettings
from oncall_docs.linkcheck.site import scan_site
from oncall_docs.mkdocs_plugin.macros import build_access_macros, build_macros, build_oncall_macros
from oncall_docs.model import Handbook, load_handbook
from oncall_docs.oncall.model import to_json
from oncall_docs.oncall.source import OFFLINE_SNAPSHOT, load_snapshot
from oncall_docs.oncall.view import OncallView
from oncall_docs.pagerduty_api.client import DEFAULT_API_URL, MAX_RESPONSE_BYTES, RetryPolicy
from oncall_docs.render.fragments import Renderer, markdown_text
from oncall_docs.render.searchtext import separate_cells
from oncall_docs.sources import SourceOptions
from oncall_docs.text import one_line

log = get_plugin_logger(__name__)
ASSET_PREFIX = "assets/oncall/"


def package_assets() -> dict[str, bytes]:
    """Site path -> content of every file in the package's assets/ folder (CSS, JS)."""
    folder = resources.files("oncall_docs") / "assets"
    return {
        ASSET_PREFIX + entry.name: entry.read_bytes()
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.is_file() and entry.name.endswith((".css", ".js"))
    }


def shown_path(path: Path) -> Path:
    """A path as the user typed it: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return Path(relative) if not relative.startswith("..") else path


class LinkSettingsOption(c.BaseConfigOption[LinkSettings]):
    """`links:` validated when mkdocs.yml is loaded, so a typo fails before any page is built."""

    def __init__(self) -> None:
        super().__init__()
        self.default = {}

    def run_validation(self, value: object) -> LinkSettings:
        """A mapping -> LinkSettings; a wrong key or type names itself."""
        if value is not None and not isinstance(value, dict):
            raise base.ValidationError("links: expected a mapping of settings")
        try:
            settings = LinkSettings.from_mapping(value)
            settings.rules()  # compile the patterns now, so a bad one names itself early
            return settings
        except OncallDocsError as error:
            raise base.ValidationError(str(error)) from None


class OncallConfig(base.Config):
    """Settings under `plugins: - oncall:` in mkdocs.yml. The PagerDuty token is never one of them."""

    enabled = c.Type(bool, default=True)
    data_dir = c.Type(str, default="data")
    links = LinkSettingsOption()  # link check: see linkcheck/settings.py and the README
    # On-call snapshot (README "Who is on call"). Paths are relative to mkdocs.yml; the token
    # comes from PAGERDUTY_API_TOKEN only, and the env vars override url and policy.
    offline_snapshot = c.Type(str, default=OFFLINE_SNAPSHOT)
    cache_dir = c.Type(str, default=".cache/oncall")
    snapshot_ttl = c.Type(int, default=900)  # seconds
    pagerduty_api_url = c.Type(str, default=DEFAULT_API_URL)
    escalation_policy_id = c.Type(str, default="")
    fetch_timeout = c.Type((int, float), default=10)  # seconds per request
    fetch_deadline = c.Type((int, float), default=60)  # seconds for the whole fetch
    fetch_attempts = c.Type(int, default=4)  # tries per request (429, 5xx, network errors)
    fetch_max_bytes = c.Type(int, default=MAX_RESPONSE_BYTES)  # decoded size cap of each response
    # Handoff draft (README "The Monday handoff draft"): regular expressions masked in incident
    # titles and service names, and the offline week of incidents used without a token.
    redact = c.ListOfItems(c.Type(str), default=[])
    offline_incidents = c.Type(str, default=OFFLINE_INCIDENTS)


class OncallPlugin(BasePlugin[OncallConfig]):
    """Adds the data-driven parts of the on-call handbook to a MkDocs site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.handbook: Handbook | None = None
        self.current_page = ""
        self.macro_errors: list[str] = []
        self.serving = False
        self.page_sources: dict[str, str] = {}
        self.oncall: OncallView | None = None

    def data_path(self, config: MkDocsConfig) -> Path:
        """data_dir, relative to mkdocs.yml (shown relative to the working directory in errors)."""
        return shown_path(
            Path(config.config_file_path or ".").resolve().parent / self.config.data_dir
        )

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Load and validate data/, then hand the macros to mkdocs-macros."""
        if not self.config.enabled:
            return None
        try:
            self.handbook = load_handbook(self.data_path(config))
        except OncallDocsError as error:
            raise PluginError(str(error)) from None
        macros_plugin = config.plugins.get("macros")
        if macros_plugin is None:
            raise PluginError(
                "oncall: add the `macros` plugin to mkdocs.yml (plugins: [search, macros, oncall])"
            )
        macros = build_macros(
            self.handbook,
            lambda: self.current_page,
            use_directory_urls=config.use_directory_urls,
            on_error=self.macro_errors.append,
        )
        macros_plugin.register_macros(macros)  # type: ignore[attr-defined]
        macros_plugin.register_variables({"oncall": self.handbook})  # type: ignore[attr-defined]
        self.oncall = self._load_oncall(config, self.handbook)
        macros_plugin.register_macros(build_oncall_macros(self.oncall))  # type: ignore[attr-defined]
        macros_plugin.register_macros(  # type: ignore[attr-defined]
            build_access_macros(
                self.handbook, self.oncall.snapshot, self.oncall.now, self.macro_errors.append
            )
        )
        macros_plugin.register_macros(
            {"handoff_draft": self._load_handoff(config, self.handbook).html}
        )  # type: ignore[attr-defined]
        self._add_asset_links(config)
        return config

    def _load_handoff(self, config: MkDocsConfig, handbook: Handbook) -> HandoffView:
        """This shift's handoff draft; a failed /incidents fetch is a note on the page, not a failed build."""
        root, cfg = Path(config.config_file_path or ".").resolve().parent, self.config
        try:
            pattern = redactor(cfg.redact)
        except re.error as error:
            raise PluginError(f"oncall: redact: {error.pattern!r}: {error}") from None
        options = self._source_options(root, shown_path(root / cfg.offline_incidents))
        now = self.oncall.now if self.oncall else datetime.now(timezone.utc)
        try:
            data = load_incidents(options, current_window(handbook, now), now)
        except NoIncidents as missing:
            log.info(f"handoff draft: {missing}")
            return HandoffView(str(missing), "none")
        except OncallDocsError as error:
            raise PluginError(str(error)) from None
        for warning in data.warnings:
            log.warning(f"handoff draft: {warning}")
        as_of = data.captured_at if data.source == "offline" else now
        draft = make_draft(
            handbook,
            list(data.incidents),
            window=data.window,
            now=as_of,
            snapshot=self.oncall.snapshot if self.oncall else None,
            redact_pattern=pattern,
        )
        if draft.unmapped_priorities:
            log.warning(
                f"handoff draft: priorities not in incident-priorities.yaml, counted as unmapped: "
                f"{', '.join(draft.unmapped_priorities)}"
            )
        log.info(f"handoff draft: {data.note(now)}")
        return HandoffView.of(
            handbook, draft, data.note(now), "stale" if data.error else data.source
        )

    def _load_oncall(self, config: MkDocsConfig, handbook: Handbook) -> OncallView:
        """The on-call snapshot for this build: offline, cached, fetched, or stale (one warning)."""
        root = Path(config.config_file_path or ".").resolve().parent
        cfg = self.config
        options = self._source_options(root, shown_path(root / cfg.offline_snapshot))
        try:
            resolution = load_snapshot(
                options,
                escalation_policy_id=cfg.escalation_policy_id,
                labels={level.level: level.name for level in handbook.rotation.levels},
            )
        except OncallDocsError as error:
            raise PluginError(str(error)) from None
        for warning in resolution.warnings:
            log.warning(warning)
        snap = resolution.value
        log.info(
            f"on-call snapshot: {snap.source}{' (stale)' if snap.stale else ''}, captured {snap.generated_at:%Y-%m-%d %H:%M} UTC"
        )
        return OncallView(snap, datetime.now(timezone.utc), handbook.rotation.time_zone)

    def _source_options(self, root: Path, offline: Path) -> SourceOptions:
        """The settings every PagerDuty-backed source shares (snapshot, incidents)."""
        cfg = self.config
        return SourceOptions(
            offline=offline,
            cache_dir=root / cfg.cache_dir,
            ttl_seconds=cfg.snapshot_ttl,
            api_url=cfg.pagerduty_api_url,
            retry=RetryPolicy(
                attempts=cfg.fetch_attempts,
                timeout=cfg.fetch_timeout,
                deadline=cfg.fetch_deadline,
                max_response_bytes=cfg.fetch_max_bytes,
            ),
        )

    def _add_asset_links(self, config: MkDocsConfig) -> None:
        """Link our CSS and JS from every page (files, not inline code, so a strict CSP works)."""
        for uri in package_assets():
            target = config.extra_css if uri.endswith(".css") else config.extra_javascript
            if uri not in [str(item) for item in target]:
                target.append(uri)

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when a data file changes, not only when a page does.

        A bad file fails the rebuild with our one-line error; MkDocs then holds page requests
        until the next good build, so the browser recovers as soon as the file is fixed.
        """
        if self.config.enabled:
            server.watch(str(self.data_path(config)))
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add our assets, and give every data/runbooks/*.yaml a page unless docs/ has one."""
        if not self.config.enabled or self.handbook is None:
            return files
        for uri, asset in package_assets().items():
            files.append(File.generated(config, uri, content=asset))
        for runbook_id, book in self.handbook.runbooks.items():
            uri = f"runbooks/{runbook_id}.md"
            if files.get_file_from_path(uri) is None:
                page = f"# {markdown_text(book.title)}\n\n{{{{ runbook({runbook_id!r}) }}}}\n"
                files.append(File.generated(config, uri, content=page))
        if self.oncall is not None:
            from oncall_docs.oncall.ics import to_ics  # icalendar only when writing one

            snap = self.oncall.snapshot
            files.append(File.generated(config, "oncall.json", content=to_json(snap)))
            files.append(File.generated(config, "oncall.ics", content=to_ics(snap)))
        return files

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """Give the theme's banner partial (overrides/partials/oncall-banner.html) its HTML."""
        if self.oncall is not None:
            href = get_relative_url(
                "schedule/" if config.use_directory_urls else "schedule.html", page.url or "."
            )
            context["oncall_banner"] = self.oncall.banner(href + "#who-is-on-call")
        return context

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Give the theme's footer partial (overrides/partials/oncall-footer.html) its HTML, 404 page included."""
        if self.handbook is not None:
            env.globals["oncall_footer"] = Renderer(self.handbook).footer()
        return env

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        """Remember the page being built, so data links resolve relative to it."""
        self.current_page = page.file.src_uri
        self.macro_errors.clear()
        return page

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Fail the build on a macro called with a wrong argument, naming the page."""
        if self.macro_errors:
            source = shown_path(Path(config.docs_dir) / page.file.src_uri)
            raise PluginError(f"{source}: {self.macro_errors[0]}")
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Keep table cells apart for the search index, which reads the page as plain text."""
        return separate_cells(html)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """External links are never checked under `mkdocs serve`: every save would hit the network."""
        self.serving = command == "serve"

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Remember which Markdown file each built page comes from, for link findings."""
        if page.file.abs_src_path:
            source = shown_path(Path(config.docs_dir) / page.file.src_uri).as_posix()
            self.page_sources[page.file.dest_uri] = source
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Check the built site's links; each finding is a warning naming the Markdown source."""
        if not self.config.enabled:
            return
        try:
            settings = self.config.links
            if not settings.check:
                return
            external = settings.external and not self.serving
            root = Path(config.config_file_path or ".").resolve().parent
            cache = settings.cache(root, time.time()) if external else None
            started = time.monotonic()
            report = run_check(
                scan_site(Path(config.site_dir), parallel=not self.serving),
                rules=settings.rules(),
                sources=self.page_sources,
                external=settings.options() if external else None,
                cache=cache,
                report_redirects=settings.report_redirects,
            )
        except OncallDocsError as error:
            raise PluginError(str(error)) from None
        for f in report.findings:
            where = f"{f.file} (page {f.subject})" if f.file else f"page {f.subject}"
            (log.debug if f.severity == "info" else log.warning)(
                one_line(f"{where}: {f.url}: [{f.code}] {f.message}")  # one log line, always
            )
        skipped = sum(f.severity == "info" for f in report.findings)
        log.info(
            f"link check: {len(report.pages)} pages, {len(report.findings) - skipped} problem(s), "
            f"{skipped} link(s) skipped by rules, in {time.monotonic() - started:.2f} s"
        )
