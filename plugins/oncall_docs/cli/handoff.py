"""`oncall-docs handoff`: print this shift's handoff draft (Markdown or JSON) for a bot or a cron job.

Reads the `oncall` plugin's settings from mkdocs.yml (data_dir, redact, cache and offline
paths) with a loader that ignores MkDocs' `!ENV`/`!!python` tags, so the CLI and the page
print the same draft; `--redact` adds expressions to the configured ones.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from oncall_docs.cli import cli, options
from oncall_docs.cli.options import PAGERDUTY_EPILOG, WHEN, WHEN_HELP, require_handbook
from oncall_docs.handoff.draft import make_draft, redactor, to_dict
from oncall_docs.handoff.markdown import draft_markdown
from oncall_docs.handoff.source import load_incidents
from oncall_docs.handoff.window import HandoffWindow, current_window
from oncall_docs.model import load_handbook
from oncall_docs.model.cache import DataCache
from oncall_docs.oncall.source import load_snapshot
from oncall_docs.pagerduty_api.client import token_from_env
from oncall_docs.settings import build_cache_dir, pagerduty_settings, read_settings
from oncall_docs.sources import TOKEN_ENV, SourceOptions
from oncall_docs.timeutil import when_in


@cli.command(epilog=PAGERDUTY_EPILOG)
@click.option(
    "--since",
    type=WHEN,
    help=f"Start of the window: {WHEN_HELP}. Needs PAGERDUTY_API_TOKEN. "
    "Default: the current shift, the one that ends at the next handoff.",
)
@click.option(
    "--until",
    type=WHEN,
    help="End of the window (same syntax); default: the handoff that ends the shift containing --since.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@click.option(
    "--config-file",
    type=click.Path(path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="mkdocs.yml to read the oncall plugin's settings from.",
)
@click.option(
    "--redact",
    "extra_redact",
    multiple=True,
    help="Regular expression to mask (adds to mkdocs.yml's list).",
)
def handoff(
    since: date | datetime | None,
    until: date | datetime | None,
    fmt: str,
    config_file: Path,
    extra_redact: tuple[str, ...],
) -> None:
    """Print the handoff draft of the current shift (or of --since/--until).

    Counts by severity, notable and open incidents, upcoming events, people. Without
    PAGERDUTY_API_TOKEN the incidents are the offline sample week, shown on the current shift.
    """
    settings = read_settings(config_file)
    book = load_handbook(
        require_handbook(settings.data_dir, how="--config-file path/to/mkdocs.yml"),
        cache=DataCache.file_in(build_cache_dir(settings)),
    )
    try:
        pattern = redactor([*settings.redact, *extra_redact])
    except re.error as error:
        raise click.UsageError(f"redact: {error.pattern!r}: {error}") from None
    now = options.utc_now()
    window = _window(book, now, since, until)
    api_url = pagerduty_settings(settings).api_url
    data = load_incidents(
        SourceOptions(settings.offline_incidents, settings.cache_dir, api_url=api_url),
        window,
        now,
        use_cache=since is None,
        zone=book.rotation.time_zone,
    )
    snap = load_snapshot(
        SourceOptions(settings.offline_snapshot, settings.cache_dir),
        now,
        zone=book.rotation.time_zone,
    ).value
    draft = make_draft(
        book,
        list(data.incidents),
        window=data.window,
        now=data.captured_at if data.source == "offline" else now,
        snapshot=snap,
        redact_pattern=pattern,
    )
    click.echo(data.note(now), err=True)
    if fmt == "json":
        click.echo(
            json.dumps(
                {**to_dict(draft), "source": data.source, "note": data.note(now)},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        account = None if data.source == "offline" else api_url  # sample URLs lead nowhere
        click.echo(draft_markdown(draft, book.template("handoff"), api_url=account), nl=False)


def _window(
    book: Any, now: datetime, since: date | datetime | None, until: date | datetime | None
) -> HandoffWindow:
    if since is None:
        if until is not None:
            raise click.UsageError("--until needs --since")
        return current_window(book, now)
    if token_from_env() is None:
        raise click.UsageError(
            f"--since/--until ask PagerDuty: set {TOKEN_ENV} (without it the offline week is shown)"
        )
    zone = book.rotation.time_zone
    start = when_in(since, zone)
    end = when_in(until, zone) if until is not None else current_window(book, start).until
    if end <= start:
        raise click.UsageError("--until must be after --since")
    return HandoffWindow(start, end)
