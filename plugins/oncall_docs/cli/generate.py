"""`oncall-docs generate OUT_DIR`: the handbook as plain Markdown and static files, any engine."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from oncall_docs.cli import cli
from oncall_docs.errors import ConfigError
from oncall_docs.generate import load_config, read_tree, tree, write_tree
from oncall_docs.settings import read_settings
from oncall_docs.site import prepare


@cli.command("generate")
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--config-file",
    "-f",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The site's mkdocs.yml (its folder holds docs/, data/ and the theme overrides).",
)
@click.option("--strict", is_flag=True, help="Exit 1 when the build would warn (stale data).")
def generate_command(out_dir: Path, config_file: Path, strict: bool) -> None:
    """Write OUT_DIR: mkdocs.yml and docs/ with every macro expanded, for any engine."""
    try:
        config = load_config(config_file.read_text(encoding="utf-8"), str(config_file))
    except OSError as error:
        raise ConfigError(f"{config_file}: cannot read: {error.strerror}") from None
    settings = read_settings(config_file)
    parts = prepare(
        settings,
        settings.root,
        datetime.now(timezone.utc),
        use_directory_urls=bool(config.get("use_directory_urls", True)),
        site_url=str(config.get("site_url") or ""),
    )
    for line in parts.info:
        click.echo(line, err=True)
    for line in parts.warnings:
        click.echo(f"warning: {line}", err=True)
    docs = read_tree(settings.root / str(config.get("docs_dir") or "docs"))
    custom_dir = (config.get("theme") or {}).get("custom_dir")
    files = tree(
        parts,
        config,
        pages={uri: data.decode("utf-8") for uri, data in docs.items() if uri.endswith(".md")},
        statics={uri: data for uri, data in docs.items() if not uri.endswith(".md")},
        theme=read_tree(settings.root / custom_dir) if isinstance(custom_dir, str) else {},
    )
    write_tree(out_dir, files)
    pages = sum(name.startswith("docs/") and name.endswith(".md") for name in files)
    click.echo(
        f"{out_dir}: {pages} pages; build it with `mkdocs build -f {out_dir / 'mkdocs.yml'}`"
    )
    if strict and parts.warnings:
        raise SystemExit(1)
