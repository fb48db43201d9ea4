"""HTML for the on-call snapshot: banner, level table, next handoffs, SVG timeline, page data.

Everything is complete static HTML, in the team's time zone. Times are `<time datetime=...
data-oncall-time>` elements and the banner carries the shifts as JSON, so the browser script
can re-render times in the reader's zone and recompute "now" at view time. Autoescaped Jinja:
names from PagerDuty reach the page as text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup

from oncall_docs.oncall.model import Level, Snapshot, next_handoffs, oncall_at, to_dict
from oncall_docs.oncall.timeline import build_timeline
from oncall_docs.render.environment import render
from oncall_docs.timeutil import format_age, iso

DATA_ID = "oncall-data"
SLACK_ID = "oncall-slack"  # PagerDuty user id -> Slack handle, for oncall-now.js
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


class OncallView:
    """The snapshot as seen at `now` (build time), with times shown in `zone`."""

    def __init__(
        self,
        snapshot: Snapshot,
        now: datetime,
        zone: str,
        *,
        slack: Mapping[str, str] | None = None,
    ) -> None:
        self.snapshot, self.now, self.zone = snapshot, now, ZoneInfo(zone)
        self.slack = dict(slack or {})  # PagerDuty user id -> Slack handle, from the roster
        self.levels = oncall_at(snapshot, now)
        self._banners: dict[tuple[str, str | None], Markup] = {}  # (hrefs) -> banner HTML

    def when(self, moment: datetime | None, empty: str = "") -> Markup:
        """A `<time>` element the browser script localises; `empty` for an open bound."""
        if moment is None:
            return Markup("{}").format(empty)
        text = moment.astimezone(self.zone).strftime("%a %d %b %Y, %H:%M %Z")
        return Markup('<time datetime="{}" data-oncall-time>{}</time>').format(iso(moment), text)

    def _render(self, name: str, **context: object) -> Markup:
        return render(
            name, view=self, snap=self.snapshot, when=self.when, slack=self.slack, **context
        )

    @property
    def past_coverage(self) -> bool:
        """True when `now` is after the last shift: the snapshot no longer knows who is on call."""
        until = self.snapshot.covered_until()
        return until is not None and self.now >= until

    def status(self) -> Markup:
        """Where the data comes from and how old it is, in one phrase."""
        snap, age = self.snapshot, format_age(self.snapshot.age(self.now))
        captured = self.when(snap.generated_at)
        if snap.stale:
            sample = "; sample data, made-up people" if snap.sample else ""
            return Markup(
                "stale: PagerDuty could not be reached; showing data captured {} ({} old){}"
            ).format(captured, age, sample)
        if snap.source == "offline" and snap.sample:
            return Markup("sample data, made-up people: offline snapshot, captured {}").format(
                captured
            )
        if snap.source == "offline":
            return Markup("offline snapshot, captured {}").format(captured)
        if snap.source == "cache":
            return Markup("PagerDuty snapshot from the build cache, fetched {} ({} ago)").format(
                captured, age
            )
        return Markup("live from PagerDuty at build time, {}").format(captured)

    def handoff(self, levels: tuple[Level, ...]) -> datetime | None:
        """When the first of primary and secondary hands off."""
        ends = [
            o.end for lv in levels if lv.level in (1, 2) for o in lv.oncall if o.end is not None
        ]
        return min(ends, default=None)

    def banner(self, schedule_href: str, myshift_href: str | None = None) -> Markup:
        """The header banner: primary and secondary now, the next handoff, the data's status.

        Every page shows it and only the links differ (by the page's depth), so it is rendered
        once per distinct pair of links, not once per page.
        """
        key = (schedule_href, myshift_href)
        if (html := self._banners.get(key)) is None:
            levels = [lv for lv in self.levels if lv.level in (1, 2)]
            html = self._banners[key] = self._render(
                "oncall_banner.html",
                levels=levels,
                handoff=self.handoff(self.levels),
                href=schedule_href,
                myshift_href=myshift_href,
                data=self.data_script(),
            )
        return html

    def data_script(self) -> Markup:
        """The snapshot as JSON for the browser script, safe inside a <script> element."""
        text = json.dumps(
            to_dict(self.snapshot), separators=(",", ":"), ensure_ascii=False
        ).translate(_JSON_ESCAPES)
        safe = Markup(text)  # noqa: S704 - JSON with <, > and & escaped above
        script = Markup('<script type="application/json" id="{}">{}</script>').format(DATA_ID, safe)
        if not self.slack:
            return script
        handles = json.dumps(self.slack, separators=(",", ":")).translate(_JSON_ESCAPES)
        safe = Markup(handles)  # noqa: S704 - JSON with <, > and & escaped above
        return script + Markup('<script type="application/json" id="{}">{}</script>').format(
            SLACK_ID, safe
        )

    def table(self) -> Markup:
        """Every level: who, since, until."""
        return self._render("oncall_table.html", levels=self.levels)

    def handoffs(self, count: int = 6) -> Markup:
        """The next handoffs, earliest first."""
        labels = {lv.level: lv.label for lv in self.snapshot.levels}
        return self._render(
            "oncall_handoffs.html",
            shifts=next_handoffs(self.snapshot, self.now, count),
            labels=labels,
        )

    def timeline(self) -> Markup:
        """The next 8 weeks as an inline SVG (inline, so theme colours apply)."""
        start = (
            max(self.now, self.snapshot.generated_at)
            if not self.past_coverage
            else self.snapshot.generated_at
        )
        return self._render(
            "oncall_timeline.html", tl=build_timeline(self.snapshot, start, self.zone)
        )
