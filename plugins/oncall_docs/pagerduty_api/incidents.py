"""[I/O] GET /incidents: every page of the incidents created in a range, and of those open now.

`since`/`until` filter on creation, so the caller reaches back before its window to find an
incident that started earlier and was resolved inside it. Open incidents come from a
second listing (`statuses[]`, `date_range=all`) however old. Priority and service names
arrive as reference summaries, so no `include[]` is needed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from oncall_docs.pagerduty_api.client import OncallClient
from oncall_docs.timeutil import iso

OPEN_STATUSES = ("triggered", "acknowledged")


def incident_queries(since: datetime, until: datetime) -> list[dict[str, Any]]:
    """The query parameters of the two GET /incidents listings."""
    return [
        {"since": iso(since), "until": iso(until), "time_zone": "UTC"},
        {"statuses[]": list(OPEN_STATUSES), "date_range": "all", "time_zone": "UTC"},
    ]


def list_incidents(client: OncallClient, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Incidents created in [since, until) plus every open one (duplicates are fine)."""
    found: list[dict[str, Any]] = []
    for params in incident_queries(since, until):
        found.extend(client.iter_all("/incidents", params=params))
    for item in found:
        if not isinstance(item, dict) or "id" not in item:
            raise client.fail(
                "GET /incidents", 200, "unexpected response content (an incident without an id)"
            )
    return found
