"""An explicit YAML tag on a value it does not fit is a DataError naming the line, not a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oncall_docs.errors import DataError
from oncall_docs.model import load


@pytest.mark.parametrize(
    "loader",
    [
        pytest.param(load.FAST_LOADER, id="libyaml", marks=pytest.mark.skipif(load.FAST_LOADER is None, reason="no libyaml")),
        pytest.param(None, id="pure-python"),
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("!!int x", "x: 'x' is not a valid !!int value", id="int"),
        pytest.param("!!int 0x", "x: '0x' is not a valid !!int value", id="int-prefix-only"),
        pytest.param("!!float abc", "x: 'abc' is not a valid !!float value", id="float"),
        pytest.param("!!bool maybe", "x: 'maybe' is not a valid !!bool value", id="bool"),
        pytest.param("[1, !!int y]", "x[1]: 'y' is not a valid !!int value", id="in-a-list"),
    ],
)
def test_misfit_tag_names_line_and_field(
    loader: Any, value: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`!!int x` and kin fail with file:line: field (they raised a bare ValueError or KeyError)."""
    monkeypatch.setattr(load, "FAST_LOADER", loader)
    path = tmp_path / "rotation.yaml"
    path.write_text(f"team: Platform\nx: {value}\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load.read_yaml(path)
    assert str(caught.value).startswith(f"{path}:2: ")
    assert message in str(caught.value)


def test_fitting_tag_still_reads(tmp_path: Path) -> None:
    """A tag that fits its value is read as before (`!!int "7"` is the number 7)."""
    path = tmp_path / "tagged.yaml"
    path.write_text('n: !!int "7"\nf: !!float "2.5"\n', encoding="utf-8")
    assert load.read_yaml(path)[0] == {"n": 7, "f": 2.5}
