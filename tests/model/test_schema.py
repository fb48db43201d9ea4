"""JSON Schemas in data/schema/ match the models, and every data file points editors at its schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from oncall_docs.model.load import read_yaml
from oncall_docs.model.schema import render_schemas, stale_schemas

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
DATA_FILES = sorted(DATA.glob("*.yaml")) + sorted((DATA / "runbooks").glob("*.yaml"))


def schema_name(path: Path) -> str:
    """Runbooks share one schema; other files have their own."""
    return "runbook.schema.json" if path.parent.name == "runbooks" else f"{path.stem}.schema.json"


def test_checked_in_schemas_match_the_models() -> None:
    """A model change without `oncall-docs schema` fails here (the schemas drifted)."""
    assert stale_schemas(DATA) == []


def test_schema_drift_is_detected(tmp_path: Path) -> None:
    """stale_schemas notices an edited schema file and a missing one."""
    (tmp_path / "schema").mkdir()
    for name, text in render_schemas().items():
        (tmp_path / "schema" / name).write_text(text, encoding="utf-8")
    (tmp_path / "schema" / "faq.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "schema" / "links.schema.json").unlink()
    assert sorted(stale_schemas(tmp_path)) == ["faq.schema.json", "links.schema.json"]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_data_file_declares_and_satisfies_its_schema(path: Path) -> None:
    """The first line is the yaml-language-server hint, and the file validates against that schema."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "../schema/" if path.parent.name == "runbooks" else "schema/"
    assert first == f"# yaml-language-server: $schema={prefix}{schema_name(path)}"
    schema = json.loads((DATA / "schema" / schema_name(path)).read_text(encoding="utf-8"))
    value, _ = read_yaml(path)
    jsonschema.validate(value, schema)


def test_schema_rejects_unknown_keys() -> None:
    """Editors flag typo'd keys, as the build does."""
    schema = json.loads((DATA / "schema" / "faq.schema.json").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        jsonschema.validate({"questions": [{"id": "a", "question": "q", "answr": "x"}]}, schema)
