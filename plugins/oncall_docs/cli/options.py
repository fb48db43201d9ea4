"""Options shared by several commands: the one date syntax, and where the handbook is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import click

from oncall_docs.errors import ConfigError
from oncall_docs.findings.report import Finding
from oncall_docs.timeutil import WHEN_SYNTAX, read_when

PAGERDUTY_EPILOG = (
    "With PAGERDUTY_API_TOKEN set (a read-only REST API key, from the environment only), "
    "it reads PagerDuty; without it, the offline data."
)

if TYPE_CHECKING:  # generic from click 8.2; a plain class in 8.1
    _Base = click.ParamType[date | datetime, object]
else:
    _Base = click.ParamType


class When(_Base):
    """A date, or a time with or without an offset (`timeutil.read_when`).

    The value is a date or a (possibly naive) datetime; the command reads it in the
    rotation's time zone with `timeutil.when_in` once the handbook is loaded.
    """

    name = "WHEN"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> date | datetime:
        """Parse, or fail as a usage error that says which syntax is accepted."""
        if isinstance(value, date):
            return value
        try:
            return read_when(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


WHEN = When()
WHEN_HELP = f"{WHEN_SYNTAX}; without an offset, in the rotation's time zone"


def utc_now() -> datetime:
    """The commands' clock (tests replace it to run at a chosen moment)."""
    return datetime.now(timezone.utc)


class NotAHandbook(ConfigError):
    """Run outside a handbook: the one line says how to point the command at one (exit 2)."""


def require_handbook(data_dir: Path, *, how: str = "--data-dir DIR") -> Path:
    """`data_dir` when it is a folder; else NotAHandbook naming the option that points at one."""
    if not data_dir.is_dir():
        raise NotAHandbook(
            f"{data_dir}: no data folder here; run inside a handbook (the folder of its "
            f"mkdocs.yml) or point at one with {how}"
        )
    return data_dir


QUIET = click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Hide info lines: info findings (such as skipped URLs) and the header line.",
)


def shown(findings: Sequence[Finding], quiet: bool) -> list[Finding]:
    """The findings a report prints: all, or with --quiet those that are not `info`."""
    return [f for f in findings if not (quiet and f.severity == "info")]
