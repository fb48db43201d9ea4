"""Links into PagerDuty's web app: the account's web host, and which URLs may be links."""

from __future__ import annotations

import pytest

from oncall_docs.pagerduty_api.web import web_host_suffix, web_link


@pytest.mark.parametrize(
    ("api_url", "suffix"),
    [
        pytest.param("https://api.pagerduty.com", ".pagerduty.com", id="us"),
        pytest.param("https://api.eu.pagerduty.com/", ".eu.pagerduty.com", id="eu"),
        pytest.param("https://127.0.0.1:8443", None, id="fake"),
        pytest.param("https://api.pagerduty.com.evil.example", None, id="lookalike"),
    ],
)
def test_web_host_from_api_url(api_url: str, suffix: str | None) -> None:
    """api.pagerduty.com -> *.pagerduty.com, api.eu.pagerduty.com -> *.eu.pagerduty.com, else none."""
    assert web_host_suffix(api_url) == suffix


@pytest.mark.parametrize(
    ("url", "api_url", "allowed"),
    [
        pytest.param(
            "https://bitcell.pagerduty.com/incidents/Q1", "https://api.pagerduty.com", True, id="us"
        ),
        pytest.param(
            "https://bitcell.eu.pagerduty.com/incidents/Q1",
            "https://api.eu.pagerduty.com",
            True,
            id="eu",
        ),
        pytest.param(
            "https://bitcell.pagerduty.com/incidents/Q1",
            "https://api.eu.pagerduty.com",
            False,
            id="us-on-eu",
        ),
        pytest.param(
            "http://bitcell.pagerduty.com/incidents/Q1",
            "https://api.pagerduty.com",
            False,
            id="http",
        ),
        pytest.param("https://evil.example/x", "https://api.pagerduty.com", False, id="other-host"),
        pytest.param(
            "https://pagerduty.com.evil.example/",
            "https://api.pagerduty.com",
            False,
            id="suffix-trick",
        ),
        pytest.param(
            "https://a@bitcell.pagerduty.com/", "https://api.pagerduty.com", False, id="userinfo"
        ),
        pytest.param(
            "https://bitcell.pagerduty.com/a)b", "https://api.pagerduty.com", False, id="paren"
        ),
        pytest.param("javascript:alert(1)", "https://api.pagerduty.com", False, id="javascript"),
        pytest.param(
            "https://bitcell.pagerduty.com/x", "https://127.0.0.1:1", False, id="fake-api"
        ),
    ],
)
def test_web_link(url: str, api_url: str, allowed: bool) -> None:
    """Only https:// pages on the PagerDuty web host of the API URL are links (incidents, schedules)."""
    assert web_link(url, api_url) is allowed
