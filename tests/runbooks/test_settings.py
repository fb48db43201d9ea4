"""The `runbooks:` settings and which rule sources and base URL a run uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall_docs.errors import ConfigError, DataError
from oncall_docs.model.load import validate_file
from oncall_docs.model.types import Runbook
from oncall_docs.runbooks.run import Sources, resolve_sources
from oncall_docs.runbooks.settings import RunbookSettings, SiteConfig


@pytest.mark.parametrize(
    ("data", "match"),
    [
        pytest.param({"rule": ["x"]}, r"runbooks: unknown setting 'rule'", id="typo"),
        pytest.param({"review_every": 0}, r"review_every: expected a number > 0", id="zero"),
        pytest.param({"rules": [1]}, r"rules: expected a path or a list", id="not-paths"),
        pytest.param({"base_url": 5}, r"base_url: expected text", id="not-text"),
    ],
)
def test_bad_settings_name_themselves(data: dict[str, object], match: str) -> None:
    """A wrong key or value is one ConfigError naming the setting."""
    with pytest.raises(ConfigError, match=match):
        RunbookSettings.from_mapping(data)


def test_one_rules_path_reads_as_a_list() -> None:
    """`rules: path` is the same as `rules: [path]`."""
    assert RunbookSettings.from_mapping({"rules": "a.yaml"}).rules == ("a.yaml",)


CFG = SiteConfig(
    RunbookSettings(rules=("r/*.yaml",), prometheus_url="http://p:9090", base_url=""),
    "https://site.example/",
    True,
    Path(),
)


@pytest.mark.parametrize(
    ("cli", "rules", "url", "base"),
    [
        pytest.param(
            Sources(), ("r/*.yaml",), "http://p:9090", "https://site.example/", id="settings"
        ),
        pytest.param(
            Sources(rules=("x.yaml",)), ("x.yaml",), "", "https://site.example/", id="cli-rules"
        ),
        pytest.param(
            Sources(prometheus_url="http://q"),
            (),
            "http://q",
            "https://site.example/",
            id="cli-api",
        ),
        pytest.param(Sources(base_url=""), ("r/*.yaml",), "http://p:9090", "", id="cli-base-empty"),
    ],
)
def test_command_line_over_settings(
    cli: Sources, rules: tuple[str, ...], url: str, base: str
) -> None:
    """Rule sources on the command line replace the configured ones; --base-url beats site_url."""
    src, site_base, _ = resolve_sources(cli, CFG)
    assert (src.rules, src.prometheus_url, site_base.url) == (rules, url, base)


def test_alert_listed_twice_in_a_runbook_is_a_data_error(tmp_path: Path) -> None:
    """Two parts listing one alert would give the page two elements with one anchor."""
    path = tmp_path / "r.yaml"
    path.write_text(
        "id: r\ntitle: R\nsummary: S\nalerts: [NodeDown]\n"
        "sections:\n  - {id: a, title: A, alerts: [NodeDown]}\n"
    )
    with pytest.raises(DataError, match=r"r\.yaml:1: .*alert 'NodeDown' is listed twice"):
        validate_file(path, Runbook)


def test_alert_names_are_validated(tmp_path: Path) -> None:
    """An alert name with a space is rejected with its field path."""
    path = tmp_path / "r.yaml"
    path.write_text("id: r\ntitle: R\nsummary: S\nalerts: [Node Down]\n")
    with pytest.raises(DataError, match=r"r\.yaml:4: alerts\[0\]"):
        validate_file(path, Runbook)
