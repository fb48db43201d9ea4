"""MkDocs glue: the `oncall` plugin. Hooks of a few lines that hand work to site.prepare().

Like MkDocs' search plugin (hooks feed SearchIndex) and autorefs (`on_env` calls `fix_refs`):
`on_config` builds the SiteParts once; the other hooks hand its pieces to MkDocs. The pages'
macros are expanded by render.pages in `on_page_markdown`, or by mkdocs-macros when
mkdocs.yml lists the `macros` plugin (then it gets our macros, variables and filters).
Core errors become one-line PluginErrors.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from oncall_docs.errors import OncallDocsError
from oncall_docs.linkcheck.memo import LinkMemo
from oncall_docs.linkcheck.run import Report, run_check
from oncall_docs.linkcheck.site import page_source, scan_site
from oncall_docs.mkdocs_plugin.config import LinkSettingsOption, OncallConfig
from oncall_docs.render.bytecode import cache_folder
from oncall_docs.render.pages import PageRenderer, lines_above
from oncall_docs.render.searchtext import separate_cells
from oncall_docs.settings import Settings, build_cache_dir, shown_path
from oncall_docs.site import PageChannel, SiteParts, prepare
from oncall_docs.text import one_line

if TYPE_CHECKING:  # `mkdocs build` never loads the dev server (watchdog, http.server): 20 ms
    from mkdocs.livereload import LiveReloadServer

__all__ = ["LinkSettingsOption", "OncallConfig", "OncallPlugin"]

log = get_plugin_logger(__name__)


def settings_of(plugin_config: OncallConfig, config: MkDocsConfig) -> Settings:
    """The plugin's validated config as the core's Settings (paths under mkdocs.yml's folder)."""
    root = Path(config.config_file_path or ".").resolve().parent
    return Settings.from_mapping(dict(plugin_config), root)


class OncallPlugin(BasePlugin[OncallConfig]):  # type: ignore[no-untyped-call]
    """Adds the data-driven parts of the on-call handbook to a MkDocs site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.parts: SiteParts | None = None
        self.settings: Settings | None = None
        self.serving = False
        self.page_sources: dict[str, str] = {}
        self.renderer: PageRenderer | None = None  # None: mkdocs-macros renders the pages
        self.watch: tuple[Path, ...] = ()  # data/ and the alert rule files, for `mkdocs serve`

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """External links are never checked under `mkdocs serve`: every save would hit the network."""
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Prepare the site once; pages render with its macros here, or in mkdocs-macros if listed."""
        self.parts = self.renderer = None  # `mkdocs serve` reuses the plugin: nothing from before
        self.watch = ()
        if not self.config.enabled:
            return None
        macros_plugin = config.plugins.get("macros")
        try:
            self.settings = s = settings_of(self.config, config)
            jinja = cache_folder(build_cache_dir(s))  # the pages'; fragments: site.prepare
            self.parts = parts = prepare(
                s,
                s.root,
                datetime.now(timezone.utc),
                use_directory_urls=config.use_directory_urls,
                site_url=config.site_url or "",
                channel=PageChannel(strict=macros_plugin is None),  # strict: the error has a line
            )
        except OncallDocsError as error:
            raise PluginError(str(error)) from None
        self.watch = tuple(parts.watch)
        for line in parts.warnings:
            log.warning(line)
        for line in parts.info:
            log.info(line)
        if macros_plugin is None:
            self.renderer = PageRenderer(
                macros=parts.macros,
                variables={"config": config, **parts.variables},  # `config`, as mkdocs-macros
                filters=parts.filters,
                extra=config.extra,
                include_dir=Path(config.docs_dir),
                cache_folder=jinja / "pages" if jinja else None,
            )
        else:
            macros_plugin.register_macros(parts.macros)
            macros_plugin.register_variables(parts.variables)
            macros_plugin.register_filters(parts.filters)
        for uri in parts.stylesheets + parts.scripts:
            target = config.extra_css if uri.endswith(".css") else config.extra_javascript
            if uri not in [str(item) for item in target]:
                target.append(uri)
        return config

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild when a data file changes, not only when a page does (a bad file fails with one line)."""
        for path in self.watch:  # data/ and the alert rule files
            server.watch(str(path))
        return server

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated files, and a page per runbook unless docs/ has one."""
        if self.parts is None:
            return files
        for uri, content in self.parts.files.items():
            files.append(File.generated(config, uri, content=content))
        for uri, markdown in self.parts.pages.items():
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=markdown))
        return files

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        """Tell the macros which page is being built, so data links resolve relative to it."""
        if self.parts is not None:
            self.parts.channel.begin(page.file.src_uri)
        return page

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Expand the page's macros (unless mkdocs-macros does); a bad page fails in one line."""
        source = shown_path(Path(config.docs_dir) / page.file.src_uri).as_posix()
        if self.renderer is not None:
            try:
                return self.renderer.render(
                    page.file.src_uri,
                    markdown,
                    meta=page.meta,
                    page=page,
                    shown=source,
                    lines_before=lambda: lines_above(page.file.content_string, markdown),
                )
            except OncallDocsError as error:
                raise PluginError(str(error)) from None
        if self.parts is not None and self.parts.channel.errors:
            raise PluginError(f"{source}: {self.parts.channel.errors[0]}")
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Keep table cells apart for the search index, which reads the page as plain text."""
        return separate_cells(html)

    def on_page_context(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """Give the theme's banner partial (overrides/partials/oncall-banner.html) its HTML."""
        if self.parts is not None:
            context["oncall_banner"] = self.parts.banner(page.url)
        return context

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Give the theme's footer partial (overrides/partials/oncall-footer.html) its HTML, 404 page included."""
        if self.parts is not None:
            env.globals["oncall_footer"] = self.parts.footer
        return env

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Remember which Markdown file each built page comes from, for link findings."""
        if page.file.abs_src_path:
            source = page_source(config.docs_dir, page.file.src_uri)
            self.page_sources[page.file.dest_uri] = source
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Check the built site's links; each finding is a warning naming the Markdown source.

        Every page is written by now: the handbook and the page renderer are let go first, so the
        link check runs without them and the process does not carry them to its exit (with
        1,000 runbooks, 150,000 objects that the cycle collector would walk again at exit).
        """
        self.parts = self.renderer = None
        if not self.config.enabled or not self.config.links.check:
            return
        started = time.monotonic()
        try:
            report = self._check_links(config)
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

    def _check_links(self, config: MkDocsConfig) -> Report:
        """The link check over the built site (external URLs too when enabled, never when serving).

        Pages built as before come from the link memo when the build caches are on.
        """
        settings = self.config.links
        external = settings.external and not self.serving
        root = Path(config.config_file_path or ".").resolve().parent
        cache_dir = build_cache_dir(self.settings) if self.settings else None
        return run_check(
            scan_site(
                Path(config.site_dir), parallel=not self.serving, memo=LinkMemo.file_in(cache_dir)
            ),
            rules=settings.rules(),
            sources=self.page_sources,
            external=settings.options() if external else None,
            cache=settings.cache(root, time.time()) if external else None,
            report_redirects=settings.report_redirects,
        )
