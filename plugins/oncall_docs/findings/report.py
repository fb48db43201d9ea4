"""Findings of the CI checks and their report formats (text, JSON, GitHub annotations, JUnit).

Codes are stable slugs that CI configurations match on; change them only on purpose.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

Severity = Literal["error", "warning", "info"]
FORMATS = ("text", "json", "github", "junit")


@dataclass(frozen=True)
class Finding:
    """One problem found by a check.

    `subject_kind` says what `subject` is: a built `page`, a `user` or a `system`.
    `file`/`line` point at the source to annotate (a Markdown or YAML file), where known.
    """

    code: str
    severity: Severity
    subject_kind: Literal["page", "user", "system"]
    subject: str
    message: str
    url: str | None = None
    file: str | None = None
    line: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """The JSON form of DESIGN.md: code, severity, page|user|system, url?, message."""
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity,
            self.subject_kind: self.subject,
        }
        if self.url is not None:
            out["url"] = self.url
        if self.file is not None:
            out["source"] = self.file
        if self.line is not None:
            out["line"] = self.line
        out.update(self.extra)
        out["message"] = self.message
        return out


def exit_status(findings: Iterable[Finding]) -> int:
    """0 when nothing but info findings remain, 1 otherwise (2 is for usage errors, raised elsewhere)."""
    return 1 if any(f.severity != "info" for f in findings) else 0


def summary(findings: Sequence[Finding]) -> dict[str, object]:
    """Counts by severity and by code, for the JSON report and the text footer."""
    by_code: dict[str, int] = {}
    for finding in findings:
        by_code[finding.code] = by_code.get(finding.code, 0) + 1
    return {
        "total": len(findings),
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" for f in findings),
        "info": sum(f.severity == "info" for f in findings),
        "by_code": dict(sorted(by_code.items())),
    }


def format_text(findings: Sequence[Finding], *, checked: str = "") -> str:
    """Grouped by subject (page or person), one indented line a finding, then a summary line."""
    lines: list[str] = []
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(f"{finding.subject_kind} {finding.subject}", []).append(finding)
    for heading in sorted(groups):
        lines.append(heading)
        for f in groups[heading]:
            url = f" {f.url}" if f.url else ""
            lines.append(f"  {f.severity}: [{f.code}]{url}: {f.message}")
    counts = summary(findings)
    tail = f" ({checked})" if checked else ""
    lines.append(
        f"{counts['errors']} error(s), {counts['warnings']} warning(s), {counts['info']} info{tail}"
    )
    return "\n".join(lines) + "\n"


def format_json(findings: Sequence[Finding], **extra_summary: object) -> str:
    """`{"findings": [...], "summary": {...}}` as DESIGN.md specifies."""
    doc = {
        "findings": [f.to_dict() for f in findings],
        "summary": {**summary(findings), **extra_summary},
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands, annotating the source file and line where known."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for f in findings:
        props = [f"title={_github_escape(f.code, prop=True)}"]
        if f.file:
            props.insert(0, f"file={_github_escape(f.file, prop=True)}")
            if f.line:
                props.insert(1, f"line={f.line}")
        subject = f"{f.subject_kind} {f.subject}"
        url = f" {f.url}" if f.url else ""
        message = _github_escape(f"{subject}{url}: {f.message}")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{message}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_junit(findings: Sequence[Finding], *, suite: str, checked: Sequence[str] = ()) -> str:
    """A JUnit XML report: one test case per subject, failing with its findings.

    `checked` names every subject that was checked, so clean ones show as passing cases.
    """
    groups: dict[str, list[Finding]] = {name: [] for name in checked}
    for f in findings:
        groups.setdefault(f.subject, []).append(f)
    failures = sum(1 for items in groups.values() if any(f.severity != "info" for f in items))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites><testsuite name={quoteattr(suite)} tests="{len(groups)}" '
        f'failures="{failures}">',
    ]
    for name in sorted(groups):
        items = groups[name]
        out.append(f"<testcase classname={quoteattr(suite)} name={quoteattr(name)}>")
        bad = [f for f in items if f.severity != "info"]
        if bad:
            text = "\n".join(f"[{f.code}] {f.url or ''} {f.message}".strip() for f in bad)
            out.append(
                f"<failure type={quoteattr(bad[0].code)} message={quoteattr(bad[0].message)}>"
                f"{xml_escape(text)}</failure>"
            )
        skipped = [f for f in items if f.severity == "info"]
        if skipped and not bad:
            out.append(
                f"<system-out>{xml_escape(chr(10).join(f.message for f in skipped))}</system-out>"
            )
        out.append("</testcase>")
    out.append("</testsuite></testsuites>")
    return "\n".join(out) + "\n"


def render(
    findings: Sequence[Finding],
    fmt: str,
    *,
    suite: str,
    checked: Sequence[str] = (),
    **extra_summary: object,
) -> str:
    """Dispatch to one of FORMATS; `extra_summary` (e.g. pages=24) goes to JSON and the text footer."""
    if fmt == "json":
        return format_json(findings, **extra_summary)
    if fmt == "github":
        return format_github(findings)
    if fmt == "junit":
        return format_junit(findings, suite=suite, checked=checked)
    footer = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in extra_summary.items())
    return format_text(findings, checked=footer)
