"""The fake PagerDuty answers what the real API would: its bodies validate against the official spec.

Reads ../shared/pagerduty/openapi-oncall-subset-tolerant.json (never committed here) and skips,
saying why, where that file is absent.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator

from tests.conftest import SHARED
from tests.fakes.pagerduty import ACCEPT, FakePagerDuty, Fault
from tests.fakes.pagerduty_account import incident
from tests.fakes.pd_fixtures import NOW, TOKEN

SPEC_PATH = SHARED / "pagerduty" / "openapi-oncall-subset-tolerant.json"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """The tolerant subset of PagerDuty's OpenAPI document."""
    if not SPEC_PATH.is_file():
        pytest.skip(
            f"{SPEC_PATH} is absent: the PagerDuty spec lives beside the checkout, not in it"
        )
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def get(server: FakePagerDuty, ca_file: Path, path: str) -> tuple[int, Any]:
    """GET from the fake like a client would; returns status and decoded body."""
    req = urllib.request.Request(  # noqa: S310 - https to the fake on 127.0.0.1
        server.url + path, headers={"Authorization": f"Token token={TOKEN}", "Accept": ACCEPT}
    )
    ctx = ssl.create_default_context(cafile=str(ca_file))
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def validate(spec: dict[str, Any], template: str, status: int, body: Any) -> None:
    """Validate `body` against the spec's response schema for GET `template` and `status`."""
    responses = spec["paths"][template]["get"]["responses"]
    response = responses.get(str(status))
    assert response is not None, f"the spec documents no {status} for GET {template}"
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    schema = {**response["content"]["application/json"]["schema"], "components": spec["components"]}
    OAS30Validator(schema).validate(body)


@pytest.mark.parametrize(
    ("path", "template"),
    [
        pytest.param("/escalation_policies/PBCPOL1", "/escalation_policies/{id}", id="policy"),
        pytest.param("/oncalls?escalation_policy_ids[]=PBCPOL1", "/oncalls", id="oncalls"),
        pytest.param(
            "/oncalls?escalation_policy_ids[]=PBCPOL1&include[]=users&time_zone=UTC",
            "/oncalls",
            id="oncalls-include-users",
        ),
        pytest.param(
            "/schedules/PPRIMRY?since=2026-11-25T15:00:00Z&until=2027-01-20T15:00:00Z&overflow=true",
            "/schedules/{id}",
            id="schedule-with-override",
        ),
        pytest.param("/users?limit=100", "/users", id="users"),
        pytest.param(
            "/users/PALICE1/contact_methods", "/users/{id}/contact_methods", id="contact-methods"
        ),
        pytest.param(
            "/users/PALICE1/notification_rules?urgency=high",
            "/users/{id}/notification_rules",
            id="notification-rules",
        ),
    ],
)
def test_fake_success_bodies_follow_the_spec(
    spec: dict[str, Any], fake_pd: FakePagerDuty, pd_ca: tuple[Any, Path], path: str, template: str
) -> None:
    """Every 200 body the client reads is one the real API could send."""
    status, body = get(fake_pd, pd_ca[1], path)
    assert status == 200
    validate(spec, template, status, body)


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        pytest.param(
            Fault("/oncalls", 429, headers={"ratelimit-reset": "1"}), 429, id="rate-limited"
        ),
        pytest.param(None, 401, id="unauthorized"),
    ],
)
def test_fake_error_bodies_follow_the_spec(
    spec: dict[str, Any],
    fake_pd: FakePagerDuty,
    pd_ca: tuple[Any, Path],
    fault: Fault | None,
    status: int,
) -> None:
    """429 and 401 bodies have PagerDuty's error shape."""
    if fault:
        fake_pd.faults.append(fault)
    else:
        fake_pd.token = "another-token"  # noqa: S105 - a wrong token, on purpose
    try:
        got, body = get(fake_pd, pd_ca[1], "/oncalls")
    finally:
        fake_pd.token = TOKEN
    assert got == status
    validate(spec, "/oncalls", status, body)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            "/incidents?since=2026-11-16T14:00:00Z&until=2026-11-30T14:00:00Z&time_zone=UTC&limit=100",
            id="window",
        ),
        pytest.param(
            "/incidents?statuses[]=triggered&statuses[]=acknowledged&date_range=all&limit=100",
            id="open",
        ),
    ],
)
def test_fake_incidents_follow_the_spec(
    spec: dict[str, Any], fake_pd: FakePagerDuty, pd_ca: tuple[Any, Path], path: str
) -> None:
    """GET /incidents bodies, with and without a priority, open and resolved, validate against the spec."""
    fake_pd.account.incidents = [
        incident(
            1,
            "resolved with priority",
            NOW - timedelta(days=2),
            NOW - timedelta(days=1),
            priority="P2",
        ),
        incident(
            2,
            "open without priority",
            NOW - timedelta(hours=3),
            status="acknowledged",
            urgency="low",
        ),
    ]
    status, body = get(fake_pd, pd_ca[1], path)
    assert status == 200
    assert body["incidents"]
    validate(spec, "/incidents", status, body)
