"""`oncall-docs check links [SITE_DIR]`: links and anchors of a built site, for CI."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from oncall_docs.cli import check
from oncall_docs.cli.options import QUIET, NotAHandbook, shown
from oncall_docs.findings.report import FORMATS, exit_status, render
from oncall_docs.linkcheck.run import run_check
from oncall_docs.linkcheck.settings import LinkSettings, guess_sources
from oncall_docs.linkcheck.site import scan_site
from oncall_docs.settings import read_settings


def _settings(config_file: Path | None) -> tuple[LinkSettings, Path | None, Path]:
    """Settings from mkdocs.yml (when there is one), its docs_dir and the project folder."""
    if config_file is None and Path("mkdocs.yml").is_file():
        config_file = Path("mkdocs.yml")
    if config_file is None:
        return LinkSettings(), None, Path()
    settings = read_settings(config_file)
    docs_dir = settings.docs_dir.relative_to(settings.root)
    return settings.links, config_file.parent / docs_dir, config_file.parent


def _progress(enabled: bool) -> Callable[[int, int], None] | None:
    """A one-line progress bar on stderr when it is a terminal, else nothing."""
    if not enabled or not sys.stderr.isatty():
        return None
    return lambda done, total: click.echo(
        f"\rexternal URLs: {done}/{total}", err=True, nl=done == total
    )


@check.command("links")
@click.argument("site_dir", type=click.Path(path_type=Path), default=Path("site"), required=False)
@click.option(
    "--external", is_flag=True, help="Check external URLs too (cached, see links.cache_ttl)."
)
@click.option(
    "--ignore",
    "ignores",
    multiple=True,
    metavar="REGEX",
    help="Skip URLs matching REGEX (repeatable; added to mkdocs.yml's links.ignore).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--config-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="mkdocs.yml to read `oncall: links:` settings from [default: ./mkdocs.yml if any].",
)
@click.option(
    "--anchors", is_flag=True, help="With --external: check #fragments of external pages."
)
@click.option("--no-cache", is_flag=True, help="Ignore and do not update the external-URL cache.")
@click.option("--timeout", type=float, help="Seconds per request [default: links.timeout, 10].")
@click.option("--total-timeout", type=float, help="Seconds for all external checks [default: 300].")
@QUIET
def check_links(
    site_dir: Path,
    external: bool,
    ignores: tuple[str, ...],
    fmt: str,
    config_file: Path | None,
    anchors: bool,
    no_cache: bool,
    timeout: float | None,
    total_timeout: float | None,
    quiet: bool,
) -> None:
    """Check every link and anchor of the built site in SITE_DIR (default: site/)."""
    if not site_dir.is_dir() and config_file is None and not Path("mkdocs.yml").is_file():
        raise NotAHandbook(
            f"{site_dir}: no built site and no mkdocs.yml here; run inside a handbook after "
            "`mkdocs build`, or pass SITE_DIR (and --config-file path/to/mkdocs.yml)"
        )
    settings, docs_dir, root = _settings(config_file)
    overrides = {
        "check_anchors": anchors or settings.check_anchors,
        "timeout": timeout or settings.timeout,
        "total_timeout": total_timeout or settings.total_timeout,
    }
    settings = LinkSettings(**{**settings.__dict__, **overrides})
    site = scan_site(site_dir)
    sources = (
        guess_sources(site.pages, docs_dir, docs_dir.relative_to(root).as_posix())
        if docs_dir
        else {}
    )
    cache = None if no_cache else settings.cache(root, time.time())
    report = run_check(
        site,
        rules=settings.rules(ignores),
        sources=sources,
        external=settings.options() if external else None,
        cache=cache,
        progress=_progress(external),
        report_redirects=settings.report_redirects,
    )
    click.echo(
        render(
            shown(report.findings, quiet),
            fmt,
            suite="links",
            checked=report.pages,
            **report.counts(),
        ),
        nl=False,
    )
    raise SystemExit(exit_status(report.findings))
