"""`oncall-docs check runbooks [SITE_DIR]`: every alert has a runbook, every runbook is current."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import click

from oncall_docs.cli import check
from oncall_docs.cli.data import DATA_DIR
from oncall_docs.cli.options import QUIET, require_handbook, shown
from oncall_docs.findings import codes
from oncall_docs.findings.report import FORMATS, exit_status, render
from oncall_docs.linkcheck.scheduler import ExternalOptions
from oncall_docs.linkcheck.site import scan_site
from oncall_docs.model import load_handbook
from oncall_docs.runbooks.coverage import suggest as suggest_urls
from oncall_docs.runbooks.run import (
    Check,
    Sources,
    load_rules,
    resolve_sources,
    run_check,
    warn_only,
)
from oncall_docs.runbooks.settings import read_site_config


@check.command("runbooks")
@click.argument("site_dir", type=click.Path(path_type=Path), default=Path("site"), required=False)
@DATA_DIR
@click.option(
    "--rules",
    multiple=True,
    metavar="PATH_OR_GLOB",
    help="Prometheus rule files (repeatable) [default: runbooks.rules].",
)
@click.option(
    "--prometheus-url",
    metavar="URL",
    help="Read the rules from a running Prometheus's /api/v1/rules.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where runbook_url links point [default: runbooks.base_url, site_url].",
)
@click.option(
    "--config-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="mkdocs.yml to read `oncall: runbooks:` from [default: ./mkdocs.yml if any].",
)
@click.option("--external", is_flag=True, help="Fetch runbook URLs outside the site too.")
@click.option(
    "--suggest", is_flag=True, help="Print the right runbook_url of every alert as JSON, and exit."
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--warn-only",
    "warn",
    multiple=True,
    type=click.Choice(codes.slugs("runbooks")),
    metavar="CODE",
    help="Report this code as a warning that does not fail the check (repeatable).",
)
@QUIET
def check_runbooks(site_dir: Path, data_dir: Path, rules: tuple[str, ...], prometheus_url: str | None, base_url: str | None, config_file: Path | None, external: bool, suggest: bool, fmt: str, warn: tuple[str, ...], quiet: bool) -> None:  # fmt: skip
    """Check the alerting rules' runbook_url links against the runbooks and the site in SITE_DIR."""
    require_handbook(data_dir)
    default_config = Path("mkdocs.yml") if Path("mkdocs.yml").is_file() else None
    cfg = read_site_config(config_file or default_config)
    src, base, api = resolve_sources(Sources(rules, prometheus_url, base_url), cfg)
    book = load_handbook(data_dir)
    alert_rules, _ = load_rules(src.rules, cfg.root, src.prometheus_url or "", api=api)
    if suggest:
        click.echo(json.dumps(suggest_urls(alert_rules, book.runbooks, base), indent=2))
        return
    today = datetime.now(timezone.utc).date()
    job = Check(book, alert_rules, scan_site(site_dir), base, today, cfg.settings.review_every)
    options = (
        ExternalOptions(timeout=cfg.settings.timeout, check_anchors=True) if external else None
    )
    found = warn_only(run_check(job, external=options), warn)
    checked = sorted({r.name for r in alert_rules} | set(book.runbooks))
    counts = {"alerts": len(alert_rules), "runbooks": len(book.runbooks)}
    shown_found = shown(found, quiet)
    click.echo(render(shown_found, fmt, suite="runbooks", checked=checked, **counts), nl=False)
    raise SystemExit(exit_status(found, warn_only=warn))
