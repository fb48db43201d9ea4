"""[I/O] GET /schedules/{id} with a window: the final schedule (layers plus overrides) as rendered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from oncall_docs.pagerduty_api.client import OncallClient
from oncall_docs.timeutil import iso


def fetch_schedule(
    client: OncallClient, schedule_id: str, window: tuple[datetime, datetime]
) -> dict[str, Any]:
    """One layer-based schedule rendered over `window` (since, until), whole entries (`overflow`)."""
    since, until = window
    params = {"since": iso(since), "until": iso(until), "time_zone": "UTC", "overflow": "true"}
    schedule = client.get(f"/schedules/{schedule_id}", params=params)
    if not isinstance(schedule, dict):
        raise client.fail(f"GET /schedules/{schedule_id}", 200, "unexpected response content")
    return schedule
