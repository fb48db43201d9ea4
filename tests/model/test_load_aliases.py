"""YAML aliases in data files: expansion is bounded, so an alias bomb is one error line."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest

from oncall_docs.model.load import read_yaml

LEVELS = "abcdefghi"
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]\n" for prev, name in pairwise(LEVELS)
)  # 342 bytes that expand to 9 ** 9 (387 million) strings
CLI = [sys.executable, "-c", "from oncall_docs.cli import main; main()"]
MEMORY = 1 << 30  # the CLI runs with 1 GiB of address space: without the bound it dies, not us


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def test_alias_bomb_is_refused_in_one_line(data_dir: Path) -> None:
    """`check data` on a file of nested aliases exits 1 (a finding) quickly with one line naming the file."""
    (data_dir / "faq.yaml").write_text(BOMB, encoding="utf-8")
    started = time.monotonic()
    proc = subprocess.run(
        [*CLI, "check", "data", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_limit_memory,
    )
    assert time.monotonic() - started < 60
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "faq.yaml:" in lines[0]
    assert "expands to more than" in lines[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param(
            "base: &b {k: 1}\nother: *b\n", {"base": {"k": 1}, "other": {"k": 1}}, id="alias"
        ),
        pytest.param(
            "base: &b {k: 1}\nother: {<<: *b, j: 2}\n",
            {"base": {"k": 1}, "other": {"k": 1, "j": 2}},
            id="merge-key",
        ),
    ],
)
def test_ordinary_aliases_still_load(tmp_path: Path, text: str, value: object) -> None:
    """The bound is on expansion, not on aliases: a shared block or a merge key still loads."""
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_yaml(path)[0] == value
