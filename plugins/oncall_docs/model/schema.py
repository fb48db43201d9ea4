"""JSON Schemas of the data files, generated from the models so editors can complete fields."""

from __future__ import annotations

import json
from pathlib import Path

from oncall_docs.model.handbook import _FILES, file_stem
from oncall_docs.model.types import Runbook, Strict

SCHEMA_DIR = "schema"


def schemas() -> dict[str, dict[str, object]]:
    """File name (without .yaml) -> JSON Schema; runbooks share one schema."""
    models: dict[str, type[Strict]] = {file_stem(a): m for a, m in _FILES.items()}
    models["runbook"] = Runbook
    out = {}
    for stem, model in models.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{stem}.schema.json"
        out[stem] = schema
    return out


def render_schemas() -> dict[str, str]:
    """Schema file name -> its text, exactly as written to data/schema/."""
    return {
        f"{stem}.schema.json": json.dumps(s, indent=2, sort_keys=True) + "\n"
        for stem, s in schemas().items()
    }


def write_schemas(data_dir: Path) -> list[Path]:
    """Write every schema into data_dir/schema/ and return the paths written."""
    target = Path(data_dir) / SCHEMA_DIR
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = target / name
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written


def stale_schemas(data_dir: Path) -> list[str]:
    """Schema files that differ from the models (missing or out of date)."""
    target = Path(data_dir) / SCHEMA_DIR
    return [
        name
        for name, text in render_schemas().items()
        if not (target / name).exists() or (target / name).read_text(encoding="utf-8") != text
    ]
