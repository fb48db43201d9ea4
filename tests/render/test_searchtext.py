"""Whitespace between table cells and after line breaks, for text readers such as the search index."""

from __future__ import annotations

import pytest

from oncall_docs.render.searchtext import separate_cells


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param(
            "<tr><th>Channel</th><th>Purpose</th></tr>",
            "<tr><th>Channel</th>\n<th>Purpose</th></tr>",
            id="header-cells",
        ),
        pytest.param(
            '<td><code>#a</code></td><td data-label="x">b</td>',
            '<td><code>#a</code></td>\n<td data-label="x">b</td>',
            id="data-cells-with-attributes",
        ),
        pytest.param("Dana<br><span>Primary</span>", "Dana<br>\n<span>Primary</span>", id="br"),
        pytest.param("a<br />b", "a<br />\nb", id="self-closing-br"),
        pytest.param(
            "<td>a</td>\n<td>b</td>a<br>\nb", "<td>a</td>\n<td>b</td>a<br>\nb", id="already-apart"
        ),
        pytest.param("</td><tbody>", "</td><tbody>", id="not-a-cell"),
    ],
)
def test_separate_cells(html: str, expected: str) -> None:
    """Adjacent cells and a line break followed by text get a newline; anything else is unchanged."""
    assert separate_cells(html) == expected
