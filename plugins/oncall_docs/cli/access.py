"""`oncall-docs check access`: is everyone scheduled on call ready? Exit 0 clean, 1 findings, 2 usage."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from oncall_docs.access.check import PagerDutyUser, check_access
from oncall_docs.access.window import access_context, window_dict, window_for
from oncall_docs.cli import check, options
from oncall_docs.cli.data import DATA_DIR
from oncall_docs.cli.options import (
    PAGERDUTY_EPILOG,
    QUIET,
    WHEN,
    WHEN_HELP,
    require_handbook,
    shown,
)
from oncall_docs.findings import codes
from oncall_docs.findings.report import FORMATS, exit_status, render
from oncall_docs.model import Handbook, load_handbook
from oncall_docs.oncall.model import Snapshot
from oncall_docs.oncall.source import OFFLINE_SNAPSHOT, read_offline
from oncall_docs.timeutil import when_in


@check.command("access", epilog=PAGERDUTY_EPILOG)
@DATA_DIR
@click.option(
    "--snapshot",
    "snapshot_path",
    type=click.Path(path_type=Path),
    default=Path(OFFLINE_SNAPSHOT),
    show_default=True,
    help="The offline snapshot, used when PAGERDUTY_API_TOKEN is not set.",
)
@click.option(
    "--weeks",
    type=click.IntRange(1, 12),
    default=4,
    show_default=True,
    help="Check everyone scheduled in this many weeks.",
)
@click.option(
    "--at",
    "at",
    type=WHEN,
    default=None,
    help=f"Check from this moment: {WHEN_HELP} [default: now].",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--warn-only",
    multiple=True,
    type=click.Choice(codes.slugs("access")),
    metavar="CODE",
    help="Report this code as a warning that does not fail the check (repeatable).",
)
@QUIET
def check_access_command(
    data_dir: Path,
    snapshot_path: Path,
    weeks: int,
    at: date | datetime | None,
    fmt: str,
    warn_only: tuple[str, ...],
    quiet: bool,
) -> None:
    """Check the roster and PagerDuty against the access everyone on call needs.

    With PAGERDUTY_API_TOKEN: PagerDuty's schedule and each scheduled person's pager setup;
    without it: the --snapshot file. Either way from now (or --at) for --weeks.
    """
    book = load_handbook(require_handbook(data_dir))
    start = None if at is None else when_in(at, book.rotation.time_zone)
    now = options.utc_now()
    snapshot, pd_users = _gather(book, snapshot_path, data_dir, now)
    window = window_for(snapshot, now, weeks, start)
    findings = check_access(
        access_context(book, snapshot, window, weeks, pd_users), warn_only=warn_only
    )
    if fmt == "text":
        since, until = window.describe(book.rotation.time_zone)
        if not quiet:
            click.echo(f"Access check: engineers scheduled {since} to {until} ({window.source})")
        covered = snapshot.covered_until()
        if covered is not None and covered < window.end:
            click.echo(
                f"note: the snapshot's shifts end {covered:%Y-%m-%d}; later shifts are not checked"
            )
    checked = sorted({e.name for e in book.roster.engineers} | {f.subject for f in findings})
    extra = {"window": window_dict(window)} if fmt == "json" else {}
    click.echo(
        render(
            shown(findings, quiet), fmt, suite="oncall-docs check access", checked=checked, **extra
        ),
        nl=False,
    )
    raise SystemExit(exit_status(findings, warn_only=warn_only))


def _gather(
    book: Handbook, snapshot_path: Path, data_dir: Path, now: datetime
) -> tuple[Snapshot, dict[str, PagerDutyUser] | None]:
    """Offline: the snapshot file. With a token: PagerDuty's schedule and users (see cli/access_pd.py)."""
    from oncall_docs.cli.access_pd import gather_from_pagerduty

    live = gather_from_pagerduty(book, snapshot_path, data_dir)
    if live is not None:
        return live
    return read_offline(snapshot_path, now, book.rotation.time_zone), None
