"""page_source names a page's Markdown file as shown_path did, working out its folder once."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall_docs.linkcheck.site import _shown_folder, page_source
from oncall_docs.settings import shown_path

SRC_URIS = ["index.md", "runbooks/rb-0001.md", "a/b/c.md", "..odd.md", "a//b.md", "./x.md"]


@pytest.mark.parametrize("docs", ["proj/docs", "proj", ".", "elsewhere/docs", "proj/../proj/docs"])
@pytest.mark.parametrize("src_uri", SRC_URIS)
def test_page_source_is_shown_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, docs: str, src_uri: str
) -> None:
    """Inside, at or outside the working directory, the name is the one shown_path gives."""
    (tmp_path / "proj").mkdir()
    monkeypatch.chdir(tmp_path / "proj")
    docs_dir = str((tmp_path / docs).absolute())
    assert page_source(docs_dir, src_uri) == shown_path(Path(docs_dir) / src_uri).as_posix()


def test_the_folder_is_worked_out_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A thousand pages of one docs folder cost one relative-path computation."""
    monkeypatch.chdir(tmp_path)
    docs_dir = str(tmp_path / "docs")
    _shown_folder.cache_clear()
    names = [page_source(docs_dir, f"runbooks/rb-{i:04d}.md") for i in range(1000)]
    assert names[7] == "docs/runbooks/rb-0007.md"
    assert _shown_folder.cache_info().misses == 1
