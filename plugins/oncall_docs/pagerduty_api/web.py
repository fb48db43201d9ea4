"""Links into PagerDuty's web app: which URLs from the API a page may link to. Pure.

The API gives each object's page as `html_url`, on the account's own host
(`https://<subdomain>.pagerduty.com/...`, or `.eu.pagerduty.com` for the EU service). The site
links to such a page only when it is https:// on the web host of the API it came from, with
no user, port or characters that could end a Markdown link; anything else is shown as text.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def web_host_suffix(api_url: str) -> str | None:
    """The web host of the account behind an API URL: api.pagerduty.com -> `.pagerduty.com`.

    api.eu.pagerduty.com -> `.eu.pagerduty.com`; any other API host has no known web host.
    """
    host = (urlsplit(api_url).hostname or "").lower()
    if not host.startswith("api.") or not host.endswith("pagerduty.com"):
        return None
    return "." + host.removeprefix("api.")


def web_link(url: str, api_url: str) -> bool:
    """True for an https:// URL on the PagerDuty web host of `api_url` (with no user or port)."""
    suffix = web_host_suffix(api_url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    host = parts.hostname or ""
    return (
        suffix is not None
        and parts.scheme == "https"
        and host.endswith(suffix)
        and "@" not in parts.netloc
        and port is None
        and not any(ch.isspace() or ch in "()<>[]`" or ord(ch) < 32 for ch in url)
    )
