"""`oncall-docs pack`: the offline copy's dated zip, as `make offline` calls it."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from oncall_docs.cli import cli


def test_pack_writes_todays_zip(tmp_path: Path) -> None:
    """The zip is named by today's date and the message says what to open."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>Handbook</h1>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["pack", str(site), "--output-dir", str(tmp_path / "out")])
    name = f"oncall-handbook-{date.today().isoformat()}"
    assert result.exit_code == 0, result.output
    assert f"open {name}/index.html" in result.output
    with zipfile.ZipFile(tmp_path / "out" / f"{name}.zip") as zf:
        assert zf.namelist() == [f"{name}/index.html"]


def test_pack_of_a_failed_build_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """No index.html: one error line naming the folder, exit 2, no zip."""
    result = CliRunner().invoke(cli, ["pack", str(tmp_path), "--output-dir", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {tmp_path}: not a built site (no index.html); build it first"
    ]
