"""`oncall-docs snapshot`: fetch who is on call from PagerDuty and write the offline snapshot."""

from __future__ import annotations

from pathlib import Path

import click

from oncall_docs.cli import cli
from oncall_docs.errors import FetchError
from oncall_docs.oncall.source import OFFLINE_SNAPSHOT, fetcher_from_env
from oncall_docs.oncall.store import write_snapshot
from oncall_docs.pagerduty_api.client import RetryPolicy
from oncall_docs.settings import pagerduty_settings
from oncall_docs.sources import TOKEN_ENV, SourceOptions, refusal


@cli.command()
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=Path(OFFLINE_SNAPSHOT),
    show_default=True,
    help="Where to write the snapshot (checked in as the offline default).",
)
@click.option(
    "--escalation-policy",
    default="",
    help="Policy id (wins over PAGERDUTY_ESCALATION_POLICY_ID).",
)
@click.option("--api-url", default="", help="API base URL (wins over PAGERDUTY_API_URL).")
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds per request.")
@click.option(
    "--deadline", type=float, default=60.0, show_default=True, help="Seconds for the whole fetch."
)
def snapshot(
    output: Path, escalation_policy: str, api_url: str, timeout: float, deadline: float
) -> None:
    """Fetch the escalation policy's on-call levels and 8 weeks of shifts into OUTPUT.

    Needs PAGERDUTY_API_TOKEN (a read-only REST API key, from the environment only).
    """
    target = pagerduty_settings(api_url=api_url, escalation_policy_id=escalation_policy)
    options = SourceOptions(
        offline=output,
        cache_dir=output.parent,
        api_url=target.api_url,
        retry=RetryPolicy(timeout=timeout, deadline=deadline),
    )
    fetcher = fetcher_from_env(options, target.escalation_policy_id)
    if fetcher is None:
        raise click.UsageError(f"set {TOKEN_ENV} (a read-only REST API key) to fetch a snapshot")
    try:
        snap = fetcher()
    except FetchError as error:
        raise (refusal(error) or error) from None
    write_snapshot(output, snap.with_source("offline"))
    for line in snap.warnings:  # e.g. a shift-based schedule with gaps
        click.echo(f"warning: {line}", err=True)
    click.echo(
        f"wrote {output}: {len(snap.levels)} levels, {len(snap.shifts)} shifts, captured "
        f"{snap.generated_at:%Y-%m-%d %H:%M} UTC ({fetcher.request_count} requests)"
    )
