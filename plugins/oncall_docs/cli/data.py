"""`oncall-docs schema` and `oncall-docs check data`: the data files and their JSON Schemas."""

from __future__ import annotations

from pathlib import Path

import click

from oncall_docs.cli import check, cli
from oncall_docs.cli.options import require_handbook
from oncall_docs.errors import DataError
from oncall_docs.findings import codes
from oncall_docs.findings.report import FORMATS, Finding, exit_status, render
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
    require_handbook(data_dir)
    if check_only:
        stale = stale_schemas(data_dir)
        for name in stale:
            click.echo(f"{data_dir / 'schema' / name}: out of date (run `oncall-docs schema`)")
        if not stale:
            click.echo(f"{data_dir / 'schema'}: every schema is up to date")
        raise SystemExit(1 if stale else 0)
    for path in write_schemas(data_dir):
        click.echo(f"wrote {path}")


@check.command("data")
@DATA_DIR
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
def check_data(data_dir: Path, fmt: str) -> None:
    """Validate every data file; the first problem names its file, line and field (exit 1)."""
    require_handbook(data_dir)
    try:
        book = load_handbook(data_dir)
    except DataError as error:
        finding = Finding.of(
            codes.DATA_INVALID,
            "file",
            str(error.path),
            f"{error.field}: {error.detail}" if error.field else error.detail,
            file=str(error.path),
            line=error.line or None,
        )
        if fmt == "text":
            click.echo(f"error: {error}", err=True)
        else:
            click.echo(render([finding], fmt, suite="oncall-docs check data"), nl=False)
        raise SystemExit(exit_status([finding])) from None
    if fmt == "text":
        click.echo(f"{data_dir}: {len(book.positions)} data files are valid")
    else:
        checked = sorted(str(p.path) for p in book.positions.values())
        click.echo(render([], fmt, suite="oncall-docs check data", checked=checked), nl=False)
