"""`oncall-docs schema` and `oncall-docs check data`: the data files and their JSON Schemas."""

from __future__ import annotations

from pathlib import Path

import click

from oncall_docs.cli import check, cli
from oncall_docs.model import load_handbook
from oncall_docs.model.schema import stale_schemas, write_schemas

DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(path_type=Path),
    default=Path("data"),
    show_default=True,
    help="Folder that holds the YAML data files.",
)


@cli.command()
@DATA_DIR
@click.option(
    "--check", "check_only", is_flag=True, help="Only report schemas that are out of date (exit 1)."
)
def schema(data_dir: Path, check_only: bool) -> None:
    """Write the JSON Schemas of the data files into DATA_DIR/schema/."""
    if check_only:
        stale = stale_schemas(data_dir)
        for name in stale:
            click.echo(f"{data_dir / 'schema' / name}: out of date (run `oncall-docs schema`)")
        raise SystemExit(1 if stale else 0)
    for path in write_schemas(data_dir):
        click.echo(f"wrote {path}")


@check.command("data")
@DATA_DIR
def check_data(data_dir: Path) -> None:
    """Validate every data file; the first problem names its file, line and field."""
    book = load_handbook(data_dir)
    click.echo(f"{data_dir}: {len(book.positions)} data files are valid")
