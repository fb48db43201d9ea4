"""Rules from a running Prometheus's /api/v1/rules: parsed, bounded in time and size."""

from __future__ import annotations

import time

import pytest

from oncall_docs.errors import FetchError
from oncall_docs.runbooks.prometheus import ApiOptions, default_get, fetch_rules
from tests.fakes.prometheus import FakePrometheus, alerting, rules_payload


def test_reads_alerting_rules_from_the_api(prometheus: FakePrometheus) -> None:
    """Alerting rules come back with group, file, severity, summary and runbook_url."""
    prometheus.payload = rules_payload(
        {
            "name": "nodes",
            "file": "/etc/prometheus/rules/bitcell.yaml",
            "rules": [
                alerting("NodeDown", summary="{{ $labels.instance }} down", runbook_url="r/#a"),
                {"name": "job:up", "query": "avg(up)", "type": "recording", "health": "ok"},
            ],
        }
    )
    (rule,) = fetch_rules(prometheus.base, get=default_get(ApiOptions()))
    assert (rule.name, rule.group, rule.source, rule.line) == (
        "NodeDown",
        "nodes",
        "/etc/prometheus/rules/bitcell.yaml",
        None,
    )
    assert (rule.severity, rule.summary, rule.runbook_url) == (
        "P2",
        "{{ $labels.instance }} down",
        "r/#a",
    )
    assert prometheus.paths == ["/api/v1/rules?type=alert"]


@pytest.mark.parametrize(
    ("status", "payload", "match"),
    [
        pytest.param(503, {}, r"/api/v1/rules\?type=alert: HTTP 503", id="http-error"),
        pytest.param(
            200, {"status": "error", "error": "boom"}, r"HTTP 200: status 'error'", id="api-error"
        ),
        pytest.param(200, {"status": "success"}, r"unexpected answer shape", id="bad-shape"),
    ],
)
def test_api_failures_are_one_line(
    prometheus: FakePrometheus, status: int, payload: object, match: str
) -> None:
    """A failing API is one FetchError naming the endpoint and the status."""
    prometheus.status, prometheus.payload = status, payload
    with pytest.raises(FetchError, match=match):
        fetch_rules(prometheus.base, get=default_get(ApiOptions()))


@pytest.mark.parametrize(
    ("mode", "options", "match"),
    [
        pytest.param(
            "drip", ApiOptions(timeout=5, deadline=0.5), "did not finish in time", id="deadline"
        ),
        pytest.param(
            "huge", ApiOptions(max_bytes=100_000), "larger than 100000 bytes", id="size-cap"
        ),
    ],
)
def test_endless_answers_are_cut_off(
    prometheus: FakePrometheus, mode: str, options: ApiOptions, match: str
) -> None:
    """A dripping or endless body stops at the deadline or the size cap, not never."""
    prometheus.mode = mode
    started = time.monotonic()
    with pytest.raises(FetchError, match=match):
        fetch_rules(prometheus.base, get=default_get(options))
    assert time.monotonic() - started < 5


def test_unreachable_prometheus_names_the_endpoint() -> None:
    """Nothing listening: one line with the endpoint and no response."""
    with pytest.raises(FetchError, match=r"127\.0\.0\.1:9/api/v1/rules\?type=alert: no response"):
        fetch_rules("http://127.0.0.1:9", get=default_get(ApiOptions(timeout=2, deadline=2)))


def test_credentials_in_the_url_never_reach_the_message() -> None:
    """`user:password@` in --prometheus-url is dropped from errors."""
    with pytest.raises(FetchError) as caught:
        fetch_rules(
            "http://ops:s3cret@127.0.0.1:9", get=default_get(ApiOptions(timeout=2, deadline=2))
        )
    assert "s3cret" not in str(caught.value)
    assert "http://127.0.0.1:9/api/v1/rules" in str(caught.value)
