"""The `oncall-docs` command: checks for CI and data chores, callable without `mkdocs build`.

Exit status: 0 clean, 1 findings, 2 usage or configuration error. Each sub-command module
registers itself on `cli` or `check`; this file only wires them together.
"""

from __future__ import annotations

import sys

import click

from oncall_docs import __version__
from oncall_docs.errors import OncallDocsError
from oncall_docs.findings.report import USAGE


class _Group(click.Group):
    """Turns our errors into one line on stderr and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OncallDocsError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(USAGE)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="oncall-docs")
def cli() -> None:
    """On-call handbook tools: data checks, link checks, access checks, snapshots."""


@cli.group(cls=_Group)
def check() -> None:
    """CI checks with stable finding codes."""


def main() -> None:
    """Console entry point."""
    sys.exit(cli.main(standalone_mode=True))


# Sub-command modules register themselves on import; add one name per module.
from oncall_docs.cli import (  # noqa: E402,F401
    access,
    data,
    generate,
    handoff,
    links,
    offline,
    runbooks,
    snapshot,
)
