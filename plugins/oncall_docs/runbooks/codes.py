"""The finding codes of `oncall-docs check runbooks`: stable slugs that CI matches on.

Kept as (slug, severity, description) so they can move into the findings registry as is.
"""

from __future__ import annotations

from typing import Literal

NO_RUNBOOK_URL = "no-runbook-url"
PAGE_MISSING = "runbook-page-missing"
ANCHOR_MISSING = "runbook-anchor-missing"
NOT_COVERED = "alert-not-covered"
ORPHAN = "runbook-orphan"
REVIEW_OVERDUE = "review-overdue"
NO_OWNER = "no-owner"
EXTERNAL = "runbook-external"

CODES: tuple[tuple[str, Literal["error", "warning", "info"], str], ...] = (
    (NO_RUNBOOK_URL, "error", "an alerting rule has no runbook_url annotation"),
    (PAGE_MISSING, "error", "a runbook_url's page is not in the built site"),
    (ANCHOR_MISSING, "error", "a runbook_url's #fragment is not an anchor of its page"),
    (NOT_COVERED, "error", "a runbook_url resolves, but that runbook does not list the alert"),
    (ORPHAN, "error", "a runbook lists an alert that no rule defines"),
    (REVIEW_OVERDUE, "error", "a runbook's last review is older than its review interval"),
    (NO_OWNER, "error", "a runbook names no owner"),
    (EXTERNAL, "info", "a runbook_url outside the site (checked with --external)"),
)
SLUGS = tuple(slug for slug, _, _ in CODES)
SEVERITY = {slug: severity for slug, severity, _ in CODES}
