"""[I/O] The incidents of a handoff window from PagerDuty: every page of GET /incidents.

Uses `OncallClient` (the official client with our bounded retries, per-call timeout and one
deadline), so `pagerduty_api` stays the only importer of the official client. Two queries:
incidents created from one shift before the window to its end (`since`/`until` filter on
creation, so an incident that started before the window and was resolved inside it is still
found), and every incident open now (`statuses[]`, `date_range=all`) however old. Priority
and service names come as reference summaries, so no `include[]` is needed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from oncall_docs.errors import ConfigError, FetchError
from oncall_docs.handoff.draft import OPEN_STATUSES
from oncall_docs.handoff.window import HandoffWindow
from oncall_docs.oncall.model import iso
from oncall_docs.pagerduty_api.client import (
    ClientError,
    OncallClient,
    PagerDutySettings,
    RetryPolicy,
)

LOOKBACK = timedelta(days=7)


def incident_queries(window: HandoffWindow, lookback: timedelta = LOOKBACK) -> list[dict[str, Any]]:
    """The query parameters of the two GET /incidents listings."""
    return [
        {"since": iso(window.since - lookback), "until": iso(window.until), "time_zone": "UTC"},
        {"statuses[]": list(OPEN_STATUSES), "date_range": "all", "time_zone": "UTC"},
    ]


class IncidentsFetcher:
    """Lists the incidents a handoff draft needs; FetchError naming `GET /incidents` on failure."""

    def __init__(
        self,
        token: str,
        settings: PagerDutySettings,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not settings.api_url.startswith("https://"):
            raise ConfigError(
                f"PAGERDUTY_API_URL must start with https:// (got {settings.api_url!r})"
            )
        self._token, self.settings = token, settings
        self.policy, self.sleep = policy or RetryPolicy(), sleep
        self.request_count = 0

    def __repr__(self) -> str:
        return f"IncidentsFetcher(api_url={self.settings.api_url!r}, token=***)"

    def __call__(self, window: HandoffWindow) -> list[dict[str, Any]]:
        """Every incident of both listings, as PagerDuty sent them (duplicates are fine)."""
        client = OncallClient(self._token, self.settings.api_url, self.policy, sleep=self.sleep)
        try:
            found: list[dict[str, Any]] = []
            for params in incident_queries(window):
                found.extend(client.iter_all("/incidents", params=params))
            for item in found:
                if not isinstance(item, dict) or "id" not in item:
                    raise FetchError(
                        "GET /incidents",
                        200,
                        "unexpected response content (an incident without an id)",
                    )
            return found
        except ClientError:  # a body that is not the JSON PagerDuty sends
            raise FetchError("GET /incidents", None, "malformed response body") from None
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise FetchError(
                "GET /incidents", 200, f"unexpected response content ({type(error).__name__})"
            ) from None
        finally:
            self.request_count += client.request_count
            client.close()
