"""The registry of finding codes: every code a check emits is a constant here.

Checks emit `Code` constants, never string literals; `--warn-only` offers exactly the codes of
its check; the README's code tables are tested against this file. Slugs are stable: CI
configurations match on them, so change one only on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

SeverityName = Literal["error", "warning", "info"]


class Severity:
    """The three severities; `info` never fails a check."""

    ERROR: Final = "error"
    WARNING: Final = "warning"
    INFO: Final = "info"


@dataclass(frozen=True)
class Code:
    """One stable finding code: its slug, its default severity and what it means."""

    slug: str
    severity: SeverityName
    description: str

    def __str__(self) -> str:
        return self.slug


# Links: internal (the built site).
BROKEN_LINK = Code(
    "broken-link", Severity.ERROR, "the target page does not exist or answers an error"
)
MISSING_FILE = Code(
    "missing-file", Severity.ERROR, "an asset (image, script, stylesheet) is not in the site"
)
MISSING_ANCHOR = Code(
    "missing-anchor", Severity.ERROR, "no element with the fragment's id in the target page"
)
ESCAPES_SITE = Code("escapes-site", Severity.ERROR, "a relative link climbs out of the site root")
BAD_SCHEME = Code("bad-scheme", Severity.ERROR, "a scheme other than http, https and mailto")
BAD_MAILTO = Code(
    "bad-mailto", Severity.ERROR, "a mailto link without a valid address (syntax only)"
)
# Links: external URLs.
REDIRECT_LOOP = Code(
    "redirect-loop", Severity.ERROR, "redirects lead back to a URL already visited"
)
TOO_MANY_REDIRECTS = Code("too-many-redirects", Severity.ERROR, "more than 10 redirects")
BAD_REDIRECT = Code(
    "bad-redirect", Severity.ERROR, "a redirect to another scheme than http or https"
)
REDIRECT_TO_PRIVATE = Code(
    "redirect-to-private",
    Severity.ERROR,
    "a public URL redirects to a loopback, link-local or private address (not followed)",
)
TIMEOUT = Code("timeout", Severity.ERROR, "no answer within the request's or the run's time limit")
CONNECTION_ERROR = Code(
    "connection-error", Severity.ERROR, "no HTTP answer: refused, reset or unresolvable"
)
TLS_ERROR = Code(
    "tls-error", Severity.ERROR, "the TLS certificate or handshake failed verification"
)
RATE_LIMITED = Code("rate-limited", Severity.ERROR, "HTTP 429 beyond the wait we allow")
REDIRECTED = Code(
    "redirected", Severity.WARNING, "moved permanently (only with `report_redirects`)"
)
SKIPPED = Code("skipped", Severity.INFO, "ignored by a rule, never broken")

LINKS: Final = (
    BROKEN_LINK,
    MISSING_FILE,
    MISSING_ANCHOR,
    ESCAPES_SITE,
    BAD_SCHEME,
    BAD_MAILTO,
    REDIRECT_LOOP,
    TOO_MANY_REDIRECTS,
    BAD_REDIRECT,
    REDIRECT_TO_PRIVATE,
    TIMEOUT,
    CONNECTION_ERROR,
    TLS_ERROR,
    RATE_LIMITED,
    REDIRECTED,
    SKIPPED,
)

# Access.
UNKNOWN_SYSTEM = Code(
    "unknown-system", Severity.ERROR, "a grant names a system that `access.yaml` does not list"
)
NOT_IN_ROSTER = Code(
    "not-in-roster", Severity.ERROR, "someone scheduled (overrides included) is not in the roster"
)
MISSING_ACCESS = Code(
    "missing-access", Severity.ERROR, "someone scheduled lacks a system their level requires"
)
EXPIRED_ACCESS = Code("expired-access", Severity.ERROR, "a required grant has expired")
EXPIRES_DURING_SHIFT = Code(
    "expires-during-shift",
    Severity.ERROR,
    "a required grant ends before their scheduled shift does",
)
NO_PHONE = Code("no-phone-contact", Severity.ERROR, "no phone or SMS contact method in PagerDuty")
NO_HIGH_URGENCY_RULE = Code(
    "no-high-urgency-rule", Severity.ERROR, "no notification rule for high-urgency incidents"
)
PAGERDUTY_USER_MISSING = Code(
    "pagerduty-user-missing", Severity.ERROR, "a scheduled user could not be read from PagerDuty"
)

ACCESS: Final = (
    UNKNOWN_SYSTEM,
    NOT_IN_ROSTER,
    MISSING_ACCESS,
    EXPIRED_ACCESS,
    EXPIRES_DURING_SHIFT,
    NO_PHONE,
    NO_HIGH_URGENCY_RULE,
    PAGERDUTY_USER_MISSING,
)

# Runbooks: alerting rules x runbooks x the built site, and runbook reviews.
NO_RUNBOOK_URL = Code(
    "no-runbook-url", Severity.ERROR, "an alerting rule has no `runbook_url` annotation"
)
RUNBOOK_PAGE_MISSING = Code(
    "runbook-page-missing",
    Severity.ERROR,
    "the `runbook_url`'s page is not in the built site (with `--external`: an outside URL fails)",
)
RUNBOOK_ANCHOR_MISSING = Code(
    "runbook-anchor-missing", Severity.ERROR, "the `runbook_url`'s `#fragment` is not on its page"
)
ALERT_NOT_COVERED = Code(
    "alert-not-covered",
    Severity.ERROR,
    "the URL resolves, but that runbook (or that part of it) does not list the alert",
)
RUNBOOK_ORPHAN = Code(
    "runbook-orphan", Severity.ERROR, "a runbook lists an alert that no rule defines"
)
REVIEW_OVERDUE = Code(
    "review-overdue",
    Severity.ERROR,
    "the last review is older than `review_every` days, or there is none",
)
NO_OWNER = Code("no-owner", Severity.ERROR, "a runbook names no owner")
RUNBOOK_EXTERNAL = Code(
    "runbook-external",
    Severity.INFO,
    "the `runbook_url` is outside the site (fetched with `--external`)",
)

RUNBOOKS: Final = (
    NO_RUNBOOK_URL,
    RUNBOOK_PAGE_MISSING,
    RUNBOOK_ANCHOR_MISSING,
    ALERT_NOT_COVERED,
    RUNBOOK_ORPHAN,
    REVIEW_OVERDUE,
    NO_OWNER,
    RUNBOOK_EXTERNAL,
)

# Data.
DATA_INVALID = Code(
    "data-invalid",
    Severity.ERROR,
    "a data file does not load: YAML, a field, a reference, or a quoting pitfall",
)

DATA: Final = (DATA_INVALID,)

# Each check command's codes.
BY_CHECK: Final[dict[str, tuple[Code, ...]]] = {
    "links": LINKS,
    "access": ACCESS,
    "runbooks": RUNBOOKS,
    "data": DATA,
}


def _index(groups: dict[str, tuple[Code, ...]]) -> dict[str, Code]:
    """Slug -> Code over every check; a slug means one thing in every check."""
    found: dict[str, Code] = {}
    for codes in groups.values():
        for code in codes:
            if found.get(code.slug, code) != code:
                raise ValueError(f"finding code {code.slug!r} is registered twice, differently")
            found[code.slug] = code
    return found


REGISTRY: Final = _index(BY_CHECK)


def lookup(slug: str) -> Code:
    """The registered code of `slug`; KeyError when no check emits it."""
    return REGISTRY[slug]


def slugs(check: str) -> tuple[str, ...]:
    """The slugs of one check's codes, in registry order (for `--warn-only` choices)."""
    return tuple(code.slug for code in BY_CHECK[check])
