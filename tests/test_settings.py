"""The one reader of the `oncall:` settings: typed values, paths under mkdocs.yml, precedence."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from oncall_docs.errors import ConfigError
from oncall_docs.settings import Settings, pagerduty_settings, read_settings
from tests.conftest import ROOT
from tests.fakes.pagerduty import FakePagerDuty
from tests.fakes.pd_fixtures import TOKEN

YML = Settings.from_mapping(
    {"pagerduty_api_url": "https://yml.example", "escalation_policy_id": "PYML"}, Path("/p")
)


def test_project_mkdocs_yml_is_read_with_paths_under_its_folder() -> None:
    """The shipped mkdocs.yml: data_dir, redact and the link ignore rule, paths absolute."""
    settings = read_settings(ROOT / "mkdocs.yml")
    assert settings.root == ROOT
    assert settings.data_dir == ROOT / "data"
    assert settings.offline_snapshot == ROOT / "data" / "oncall-snapshot.json"
    assert settings.cache_dir == ROOT / ".cache" / "oncall"
    assert settings.redact == (r"\bAcme Exchange\b",)
    assert settings.links.rules().ignored("http://localhost:3000/d/x")


def test_missing_file_gives_defaults_under_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No mkdocs.yml: every default, relative to the current folder."""
    monkeypatch.chdir(tmp_path)
    settings = read_settings(tmp_path / "mkdocs.yml")
    assert settings.data_dir == tmp_path.resolve() / "data"
    assert settings.snapshot_ttl == 900
    assert settings.fetch_attempts == 4


@pytest.mark.parametrize(
    ("values", "match"),
    [
        pytest.param({"snapshot_ttl": "soon"}, "snapshot_ttl: wrong type str", id="ttl-text"),
        pytest.param({"enabled": "yes"}, "enabled: wrong type str", id="enabled-text"),
        pytest.param({"fetch_attempts": True}, "fetch_attempts: wrong type bool", id="bool-int"),
        pytest.param({"redact": "Acme"}, "redact: wrong type str", id="redact-string"),
        pytest.param({"data_dri": "data"}, "unknown setting 'data_dri'", id="typo"),
        pytest.param({"links": {"chek": True}}, "links: unknown setting 'chek'", id="links-typo"),
    ],
)
def test_wrong_values_name_their_key(values: dict[str, object], match: str) -> None:
    """A wrong type or an unknown key is one ConfigError naming it."""
    with pytest.raises(ConfigError, match=match):
        Settings.from_mapping(values, Path("/p"))


def test_the_token_is_never_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """No field holds a token, and the token in the environment shows up nowhere in Settings."""
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", "secret-token-123")
    settings = read_settings(ROOT / "mkdocs.yml")
    assert not any("token" in f.name for f in dataclasses.fields(Settings))
    assert "secret-token-123" not in repr(settings)
    assert "secret-token-123" not in repr(pagerduty_settings(settings))


@pytest.mark.parametrize(
    ("flag", "env", "settings", "expected"),
    [
        pytest.param(
            "https://flag.example",
            "https://env.example",
            YML,
            "https://flag.example",
            id="flag-wins",
        ),
        pytest.param(None, "https://env.example", YML, "https://env.example", id="env-over-yml"),
        pytest.param(None, None, YML, "https://yml.example", id="yml"),
        pytest.param(None, None, None, "https://api.pagerduty.com", id="default"),
        pytest.param("", "https://env.example/", None, "https://env.example", id="empty-flag"),
    ],
)
def test_api_url_precedence(
    flag: str | None, env: str | None, settings: Settings | None, expected: str
) -> None:
    """A CLI flag wins over PAGERDUTY_API_URL, which wins over mkdocs.yml, then the default."""
    environ = {"PAGERDUTY_API_URL": env} if env else {}
    assert pagerduty_settings(settings, api_url=flag, environ=environ).api_url == expected


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [
        pytest.param("PFLAG", "PENV", "PFLAG", id="flag-wins"),
        pytest.param(None, "PENV", "PENV", id="env-over-yml"),
        pytest.param(None, None, "PYML", id="yml"),
    ],
)
def test_escalation_policy_precedence(flag: str | None, env: str | None, expected: str) -> None:
    """The same order for the escalation policy id."""
    environ = {"PAGERDUTY_ESCALATION_POLICY_ID": env} if env else {}
    got = pagerduty_settings(YML, escalation_policy_id=flag, environ=environ)
    assert got.escalation_policy_id == expected


def test_snapshot_flags_win_over_the_environment(fake_pd: FakePagerDuty, tmp_path: Path) -> None:
    """`oncall-docs snapshot --api-url/--escalation-policy` beat the environment (it used to be the reverse)."""
    env = {
        "PAGERDUTY_API_TOKEN": TOKEN,
        "PAGERDUTY_API_URL": "https://127.0.0.1:9/nowhere",
        "PAGERDUTY_ESCALATION_POLICY_ID": "PNOSUCH",
    }
    out = tmp_path / "snap.json"
    args = ["snapshot", "--output", str(out), "--api-url", fake_pd.url]
    result = CliRunner().invoke(cli, [*args, "--escalation-policy", "PBCPOL1"], env=env)
    assert result.exit_code == 0, result.output
    assert out.is_file()
