"""`oncall-docs pack`: the offline copy's dated zip (`make offline` builds the site first)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from oncall_docs.cli import cli
from oncall_docs.offline import pack


@cli.command("pack")
@click.argument("site_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"))
@click.option(
    "--output-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Where the zip is written.",
)
def pack_command(site_dir: Path, output_dir: Path) -> None:
    """Pack SITE_DIR (built with OFFLINE=true) as oncall-handbook-YYYY-MM-DD.zip."""
    target = pack(site_dir, output_dir, date.today())
    click.echo(f"{target}: unzip it and open {target.stem}/index.html")
