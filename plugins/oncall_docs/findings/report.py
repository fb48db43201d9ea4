"""Findings of the CI checks, their reports (text, JSON, GitHub, JUnit), and one exit policy.

Codes come from the registry (`findings/codes.py`). Every value a report prints passes through
`one_line`, so no format carries a control character or a line break it did not put there.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from oncall_docs.findings.codes import Code, SeverityName
from oncall_docs.text import one_line

Severity = SeverityName
FORMATS = ("text", "json", "github", "junit")
CLEAN: Final = 0  # exit status: nothing fails the check
FINDINGS: Final = 1  # exit status: at least one finding fails it
SubjectKind = Literal["page", "user", "system", "alert", "runbook", "file"]
USAGE: Final = 2  # exit status: a usage or configuration error (bad option, setting or data)


@dataclass(frozen=True)
class Finding:
    """One problem found by a check.

    `subject_kind` says what `subject` is: a built `page`, a `user`, a `system`, an `alert`
    (of the Prometheus rules), a `runbook` or a data `file`.
    `file`/`line` point at the source to annotate (a Markdown or YAML file), where known.
    An external URL's finding names its first page as `subject` and all of them in `pages`.
    """

    code: str
    severity: Severity
    subject_kind: SubjectKind
    subject: str
    message: str
    url: str | None = None
    file: str | None = None
    line: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
    pages: tuple[str, ...] = ()  # every page of a finding about one URL used on several

    @classmethod
    def of(
        cls,
        code: Code,
        subject_kind: SubjectKind,
        subject: str,
        message: str,
        *,
        url: str | None = None,
        file: str | None = None,
        line: int | None = None,
        extra: dict[str, str] | None = None,
    ) -> Finding:
        """A finding of a registered code, at the code's severity."""
        return cls(
            code.slug, code.severity, subject_kind, subject, message, url, file, line, extra or {}
        )

    def printable(self) -> Finding:
        """The same finding with every text value on one line, free of control characters."""
        return replace(
            self,
            code=one_line(self.code),
            subject=one_line(self.subject),
            message=one_line(self.message),
            url=None if self.url is None else one_line(self.url),
            file=None if self.file is None else one_line(self.file),
            extra={one_line(k): one_line(v) for k, v in self.extra.items()},
            pages=tuple(one_line(p) for p in self.pages),
        )

    @property
    def also_on(self) -> str:
        """` (also on: b, c)` for a finding about several pages, else empty."""
        rest = [p for p in self.pages if p != self.subject]
        return f" (also on: {', '.join(rest)})" if rest else ""

    def to_dict(self) -> dict[str, object]:
        """The JSON form of DESIGN.md: code, severity, page|user|system|alert|runbook, url?, message."""
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity,
            self.subject_kind: self.subject,
        }
        if self.url is not None:
            out["url"] = self.url
        if self.pages:
            out["pages"] = list(self.pages)
        if self.file is not None:
            out["source"] = self.file
        if self.line is not None:
            out["line"] = self.line
        out.update(self.extra)
        out["message"] = self.message
        return out


def exit_status(findings: Iterable[Finding], *, warn_only: Collection[str] = ()) -> int:
    """The exit policy of every check command: FINDINGS (1) when a finding fails, else CLEAN (0).

    Errors and warnings fail; `info` never does, nor a warning whose code the user lowered with
    `--warn-only`. USAGE (2) is for usage and configuration errors, which the CLI raises.
    """
    fails = any(
        f.severity == "error" or (f.severity == "warning" and f.code not in warn_only)
        for f in findings
    )
    return FINDINGS if fails else CLEAN


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


def _printable(findings: Iterable[Finding]) -> list[Finding]:
    return [f.printable() for f in findings]


def format_text(findings: Sequence[Finding], *, checked: str = "") -> str:
    """Grouped by subject (page or person), one indented line a finding, then a summary line."""
    findings = _printable(findings)
    lines: list[str] = []
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(f"{finding.subject_kind} {finding.subject}", []).append(finding)
    for heading in sorted(groups):
        lines.append(heading)
        for f in groups[heading]:
            url = f" {f.url}" if f.url else ""
            lines.append(f"  {f.severity}: [{f.code}]{url}: {f.message}{f.also_on}")
    counts = summary(findings)
    tail = f" ({checked})" if checked else ""
    lines.append(
        f"{counts['errors']} error(s), {counts['warnings']} warning(s), {counts['info']} info{tail}"
    )
    return "\n".join(lines) + "\n"


def format_json(findings: Sequence[Finding], **extra_summary: object) -> str:
    """`{"findings": [...], "summary": {...}}` as DESIGN.md specifies."""
    findings = _printable(findings)
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
    findings = _printable(findings)
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
        message = _github_escape(f"{subject}{url}: {f.message}{f.also_on}")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{message}")
    return "\n".join(lines) + ("\n" if lines else "")


def format_junit(findings: Sequence[Finding], *, suite: str, checked: Sequence[str] = ()) -> str:
    """A JUnit XML report: one test case per subject, failing with its findings.

    `checked` names every subject that was checked, so clean ones show as passing cases.
    """
    # Imported here: xml.sax.saxutils pulls in urllib.request, http.client and ssl, which a
    # build (it imports this module for Finding) never needs.
    from xml.sax.saxutils import escape as xml_escape
    from xml.sax.saxutils import quoteattr

    findings = _printable(findings)
    suite = one_line(suite)
    checked = [one_line(name) for name in checked]
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
            text = "\n".join(
                f"[{f.code}] {f.url or ''} {f.message}{f.also_on}".strip() for f in bad
            )
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
    """Dispatch to one of FORMATS; `extra_summary` (e.g. pages=24) goes to JSON and the text footer.

    Every format makes each value printable first (`one_line`).
    """
    if fmt == "json":
        return format_json(findings, **extra_summary)
    if fmt == "github":
        return format_github(findings)
    if fmt == "junit":
        return format_junit(findings, suite=suite, checked=checked)
    footer = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in extra_summary.items())
    return format_text(findings, checked=footer)
