"""Display names from PagerDuty are bounded before they reach any page, feed or cache."""

from __future__ import annotations

import pytest

from oncall_docs.oncall.build import ref
from oncall_docs.oncall.model import MAX_NAME, Ref


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        pytest.param("Dana Whitfield", "Dana Whitfield", id="ordinary"),
        pytest.param("x" * MAX_NAME, "x" * MAX_NAME, id="at-the-limit"),
        pytest.param("y" * 200_000, "y" * (MAX_NAME - 1) + "…", id="hostile-200k"),
    ],
)
def test_long_names_are_cut_with_an_ellipsis(name: str, shown: str) -> None:
    """A 200,000-character name becomes MAX_NAME characters; ordinary names are untouched."""
    assert Ref("PUSER01", name).name == shown
    built = ref({"id": "PUSER01", "type": "user_reference", "summary": name})
    assert built is not None
    assert built.name == shown
