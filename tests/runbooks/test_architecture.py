"""The runbooks codes are registered (tests/test_architecture.py checks the package's imports)."""

from __future__ import annotations


def test_runbooks_codes_are_registered() -> None:
    """`check runbooks` emits from the registry: the eight codes of the issue, one of them info."""
    from oncall_docs.findings.codes import BY_CHECK

    group = BY_CHECK["runbooks"]
    assert {c.slug for c in group} == {
        "no-runbook-url",
        "runbook-page-missing",
        "runbook-anchor-missing",
        "alert-not-covered",
        "runbook-orphan",
        "review-overdue",
        "no-owner",
        "runbook-external",
    }
    assert [c.slug for c in group if c.severity == "info"] == ["runbook-external"]
