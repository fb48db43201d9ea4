"""MkDocs glue: the typed settings under `plugins: - oncall:` (validated when mkdocs.yml loads)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from oncall_docs.errors import OncallDocsError
from oncall_docs.linkcheck.settings import LinkSettings
from oncall_docs.pagerduty_api.client import DEFAULT_API_URL, MAX_RESPONSE_BYTES
from oncall_docs.settings import OFFLINE_INCIDENTS, OFFLINE_SNAPSHOT


class LinkSettingsOption(base.BaseConfigOption[LinkSettings]):
    """`links:` validated when mkdocs.yml is loaded, so a typo fails before any page is built."""

    def __init__(self) -> None:
        super().__init__()
        self.default: dict[str, object] = {}

    def run_validation(self, value: object) -> LinkSettings:
        """A mapping -> LinkSettings; a wrong key or type names itself."""
        if value is not None and not isinstance(value, dict):
            raise base.ValidationError("links: expected a mapping of settings")
        try:
            settings = LinkSettings.from_mapping(value)
            settings.rules()  # compile the patterns now, so a bad one names itself early
            return settings
        except OncallDocsError as error:
            raise base.ValidationError(str(error)) from None


class OncallConfig(base.Config):  # type: ignore[no-untyped-call]
    """Settings under `plugins: - oncall:` in mkdocs.yml. The PagerDuty token is never one of them.

    The same keys as oncall_docs.settings.Settings, which the plugin builds from this config.
    """

    enabled = c.Type(bool, default=True)
    data_dir = c.Type(str, default="data")
    links = LinkSettingsOption()  # link check: see linkcheck/settings.py and the README
    # On-call snapshot (README "Who is on call"). Paths are relative to mkdocs.yml; the token
    # comes from PAGERDUTY_API_TOKEN only; PAGERDUTY_API_URL and _ESCALATION_POLICY_ID win
    # over the two values here (oncall_docs.settings.pagerduty_settings).
    offline_snapshot = c.Type(str, default=OFFLINE_SNAPSHOT)
    cache_dir = c.Type(str, default=".cache/oncall")
    snapshot_ttl = c.Type(int, default=900)  # seconds
    pagerduty_api_url = c.Type(str, default=DEFAULT_API_URL)
    escalation_policy_id = c.Type(str, default="")
    fetch_timeout = c.Type((int, float), default=10)  # seconds per request
    fetch_deadline = c.Type((int, float), default=60)  # seconds for the whole fetch
    fetch_attempts = c.Type(int, default=4)  # tries per request (429, 5xx, network errors)
    fetch_max_bytes = c.Type(int, default=MAX_RESPONSE_BYTES)  # decoded size cap of each response
    # Handoff draft (README "The Monday handoff draft"): regular expressions masked in incident
    # titles and service names, and the offline week of incidents used without a token.
    redact = c.ListOfItems(c.Type(str), default=[])
    offline_incidents = c.Type(str, default=OFFLINE_INCIDENTS)
    # Alerts page and runbook reviews (README "Alerts and runbooks"): rules, review_every, base_url.
    runbooks = c.Type(dict, default={})
    # My shift (README "My shift"): read scheduled people's pager setup with the token
    # (1 + 2 requests per person on every build), so the page can say whether it is set up.
    pager_setup = c.Type(bool, default=False)
    # Compiled Jinja templates (fragments and pages) kept in <cache_dir>/jinja/ across builds
    # (README "Macros"); the environment variable ONCALL_BUILD_CACHE=0 turns it off too.
    build_cache = c.Type(bool, default=True)
