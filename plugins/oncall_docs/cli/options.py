"""Options shared by several commands: the one date syntax, and where the handbook is."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

import click

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
