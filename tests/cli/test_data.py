"""`oncall-docs check data` and `oncall-docs schema`: exit 0 clean, 1 findings, 2 bad input."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from oncall_docs.cli import cli


def test_check_data_clean(data_dir: Path) -> None:
    """Valid data: exit 0 and a count."""
    result = CliRunner().invoke(cli, ["check", "data", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "data files are valid" in result.output


def test_check_data_bad_file_is_one_line(data_dir: Path) -> None:
    """Bad data is a finding: exit 1 and one line naming file, line and field; no traceback."""
    path = data_dir / "contacts.yaml"
    path.write_text(
        path.read_text().replace(
            "purpose: Request shift swaps}", "purpose: Request shift swaps, extra: x}"
        )
    )
    result = CliRunner().invoke(cli, ["check", "data", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"error: {path}:")
    assert "channels[1].extra: unknown field" in result.output
    assert "Traceback" not in result.output


def test_schema_check_and_write(data_dir: Path) -> None:
    """--check reports a stale schema with exit 1; writing fixes it."""
    runner = CliRunner()
    assert runner.invoke(cli, ["schema", "--data-dir", str(data_dir)]).exit_code == 0
    stale = data_dir / "schema" / "faq.schema.json"
    stale.write_text("{}")
    checked = runner.invoke(cli, ["schema", "--check", "--data-dir", str(data_dir)])
    assert checked.exit_code == 1
    assert "faq.schema.json: out of date" in checked.output
    assert runner.invoke(cli, ["schema", "--data-dir", str(data_dir)]).exit_code == 0
    assert runner.invoke(cli, ["schema", "--check", "--data-dir", str(data_dir)]).exit_code == 0


def test_mkdocs_yml_reader_tolerates_tags_and_both_plugin_forms(tmp_path: Path) -> None:
    """MkDocs-only tags read as null; the oncall settings are found in list and mapping form."""
    from oncall_docs.settings import oncall_settings, read_config

    listed = tmp_path / "a.yml"
    listed.write_text(
        "site_name: !ENV [NAME, x]\nplugins:\n  - search\n  - oncall:\n      redact: [acme]\n"
    )
    mapped = tmp_path / "b.yml"
    mapped.write_text("plugins:\n  oncall: {links: {check: false}}\nx: !!python/name:os.getcwd\n")
    assert oncall_settings(read_config(listed)) == {"redact": ["acme"]}
    assert oncall_settings(read_config(mapped)) == {"links": {"check": False}}
    assert oncall_settings({}) == {}
