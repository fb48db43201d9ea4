"""Names and schedule pages from PagerDuty are bounded before they reach any page, feed or cache."""

from __future__ import annotations

import pytest

from oncall_docs.oncall.model import MAX_NAME, MAX_URL, Ref
from oncall_docs.oncall.parse import from_dict
from oncall_docs.oncall.refs import ref, schedule_ref


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


@pytest.mark.parametrize(
    ("html_url", "kept"),
    [
        pytest.param("https://bitcell.pagerduty.com/schedules/P1", True, id="ordinary"),
        pytest.param("https://bitcell.pagerduty.com/" + "x" * MAX_URL, False, id="too-long"),
        pytest.param(["https://bitcell.pagerduty.com/schedules/P1"], False, id="not-a-string"),
        pytest.param("javascript:alert(1)", False, id="javascript"),
        pytest.param("http://bitcell.pagerduty.com/schedules/P1", False, id="http"),
        pytest.param("https://bitcell.pagerduty.com/x\ny", False, id="newline"),
    ],
)
def test_schedule_page_is_kept_only_when_it_is_a_bounded_string(
    html_url: object, kept: bool
) -> None:
    """A schedule's `html_url` is kept when https, of at most MAX_URL characters; a user's never."""
    obj = {"id": "P1", "type": "schedule_reference", "summary": "Primary", "html_url": html_url}
    built = schedule_ref(obj)
    assert built is not None
    assert built.url == (html_url if kept else "")
    assert ref(obj) == Ref("P1", "Primary")  # users and policies go through ref(): no page


def test_snapshot_file_with_a_non_string_url_reads_as_no_page() -> None:
    """oncall.json (cache, offline file) with a damaged `url` loses the link, not the snapshot."""
    shift = {"level": 1, "start": "2026-11-30T14:00:00Z", "end": "2026-12-07T14:00:00Z"}
    data = {
        "generated_at": "2026-11-30T12:00:00Z",
        "escalation_policy": {"id": "PBCPOL1", "name": "BitCell"},
        "levels": [],
        "shifts": [
            {
                **shift,
                "schedule": {"id": "P1", "name": "Primary", "url": {"evil": 1}},
                "user": {"id": "PALICE1", "name": "Alice"},
            }
        ],
    }
    (read,) = from_dict(data).shifts
    assert read.schedule == Ref("P1", "Primary")
