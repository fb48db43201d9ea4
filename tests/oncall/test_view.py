"""The on-call HTML: names from PagerDuty escaped everywhere, gaps and the end of the data said plainly."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from oncall_docs.oncall.model import Level, OnCall, Ref, Shift, Snapshot
from oncall_docs.oncall.view import OncallView

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
EVIL = '</script><img src=x onerror="alert(1)">&'


def snapshot(*, primary: str = "Alice Chen", gap: bool = False) -> Snapshot:
    """Two weekly shifts on primary (or none now, for a gap) and one leader always on call."""
    sched = Ref("PPRI", "Primary <b>rota</b>")
    start = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    shifts = [
        Shift(
            1, sched, Ref("PA", primary), start + timedelta(weeks=k), start + timedelta(weeks=k + 1)
        )
        for k in range(1 if gap else 0, 2)
    ]
    levels = (
        Level(1, "Primary", ()),
        Level(2, "Secondary", ()),
        Level(3, "Leadership", (OnCall(Ref("PL", "Priya Raman"), None, None, None),)),
    )
    return Snapshot(NOW, "pagerduty", False, Ref("PBCPOL1", "BitCell"), levels, tuple(shifts))


@pytest.mark.parametrize("part", ["banner", "table", "handoffs", "timeline"])
def test_names_are_escaped(part: str) -> None:
    """A hostile user name is text in the banner, table, handoffs and SVG, never markup."""
    view = OncallView(snapshot(primary=EVIL), NOW, "America/New_York")
    html = str(view.banner("schedule/") if part == "banner" else getattr(view, part)())
    assert "<img" not in html
    assert "<b>rota" not in html
    assert "&lt;img" in html or "\\u003cimg" in html


def test_embedded_data_cannot_close_its_script() -> None:
    """The JSON for the browser escapes <, > and &, so a name cannot end the <script> element."""
    script = str(OncallView(snapshot(primary=EVIL), NOW, "UTC").data_script())
    assert script.count("</script>") == 1
    assert script.endswith("</script>")
    assert "\\u003c/script\\u003e" in script


def test_gap_is_named_in_banner_and_table() -> None:
    """Nobody scheduled at a level: the banner and the table say so instead of going blank."""
    view = OncallView(snapshot(gap=True), NOW, "America/New_York")
    assert "nobody scheduled" in view.banner("schedule/")
    assert "a gap in the schedule" in view.table()


def test_past_the_data_the_banner_names_nobody() -> None:
    """Built after the last shift: the banner says who is on call is unknown."""
    view = OncallView(snapshot(), NOW + timedelta(weeks=3), "America/New_York")
    banner = str(view.banner("schedule/"))
    assert "Who is on call is unknown" in banner
    assert 'data-oncall-level="1"' not in banner


@pytest.mark.parametrize(
    ("source", "stale", "text"),
    [
        ("offline", False, "offline snapshot, captured"),
        ("cache", False, "from the build cache"),
        ("pagerduty", False, "live from PagerDuty"),
        ("cache", True, "stale: PagerDuty could not be reached"),
    ],
)
def test_status_says_where_the_data_comes_from(source: str, stale: bool, text: str) -> None:
    """Offline, cached, live and stale each read differently, with the capture time."""
    snap = snapshot().with_source(source, stale=stale)  # type: ignore[arg-type]
    status = str(OncallView(snap, NOW + timedelta(hours=2), "America/New_York").status())
    assert text in status
    assert 'datetime="2026-11-25T15:00:00Z"' in status
