"""[I/O, read-only] Prometheus rule files -> alerting rules with the file and line of each.

Reads the plain `rule_files:` format (`groups:`), the PrometheusRule custom resource
(`spec.groups`) and multi-document YAML holding any mix of them. Annotations are kept as
written, Go templates such as `{{ $labels.instance }}` included. A bad file is one
DataError naming its file, line and field.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncall_docs.errors import DataError
from oncall_docs.model.load import Loc, Positions, read_yaml_documents


@dataclass(frozen=True)
class AlertRule:
    """One alerting rule: its name, where it is defined, and what the Alerts page shows."""

    name: str
    group: str
    source: str  # the rule file as given, or the URL of the Prometheus that serves it
    line: int | None
    severity: str | None = None
    summary: str | None = None
    runbook_url: str | None = None


def expand(patterns: Iterable[str], root: Path) -> list[Path]:
    """Files matching each path or glob (relative to `root`); a pattern matching nothing is an error."""
    found: list[Path] = []
    for pattern in patterns:
        full = pattern if Path(pattern).is_absolute() else str(root / pattern)
        matches = sorted(_shown(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())
        if not matches:
            raise DataError(pattern, 0, "", "no rule file matches this path or pattern")
        found.extend(m for m in matches if m not in found)
    return found


def _shown(path: str) -> Path:
    """A path as the user would type it: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return Path(relative) if not relative.startswith("..") else Path(path)


def read_rule_files(paths: Iterable[Path]) -> list[AlertRule]:
    """Every alerting rule of every file, in file order. Recording rules are skipped."""
    rules: list[AlertRule] = []
    for path in paths:
        rules.extend(read_rule_file(path))
    return rules


def read_rule_file(path: Path) -> list[AlertRule]:
    """The alerting rules of one file (every document of it)."""
    rules: list[AlertRule] = []
    try:
        documents = read_yaml_documents(path)
    except DataError as error:
        if "keys must be text, not dict" not in error.detail:
            raise
        raise DataError(
            error.path, error.line, error.field, "quote values with `{{ ... }}` templates"
        ) from None
    for value, where in documents:
        if value is not None:
            rules.extend(_document(value, where, path.as_posix()))
    return rules


def _document(value: Any, where: Positions, name: str) -> list[AlertRule]:
    """One YAML document: a `groups:` mapping or a PrometheusRule resource."""
    if not isinstance(value, dict):
        raise where.error((), "expected a mapping with `groups:` or a PrometheusRule")
    if value.get("kind") == "PrometheusRule" or ("spec" in value and "groups" not in value):
        spec = value.get("spec")
        if not isinstance(spec, dict) or "groups" not in spec:
            raise where.error(("spec",), "a PrometheusRule needs `spec.groups`")
        return _groups(spec["groups"], ("spec", "groups"), where, name)
    if "groups" not in value:
        raise where.error((), "expected `groups:` (Prometheus rule file) or a PrometheusRule")
    return _groups(value["groups"], ("groups",), where, name)


def _groups(groups: Any, loc: Loc, where: Positions, name: str) -> list[AlertRule]:
    if not isinstance(groups, list):
        raise where.error(loc, "expected a list of rule groups")
    rules: list[AlertRule] = []
    for g, group in enumerate(groups):
        here = (*loc, g)
        if not isinstance(group, dict) or not isinstance(group.get("name"), str):
            raise where.error(here, "a rule group needs a `name`")
        items = group.get("rules", [])
        if not isinstance(items, list):
            raise where.error((*here, "rules"), "expected a list of rules")
        for r, rule in enumerate(items):
            parsed = _rule(rule, (*here, "rules", r), where, group["name"], name)
            if parsed is not None:
                rules.append(parsed)
    return rules


def _rule(rule: Any, loc: Loc, where: Positions, group: str, name: str) -> AlertRule | None:
    if not isinstance(rule, dict):
        raise where.error(loc, "expected a rule (a mapping with `alert:` or `record:`)")
    if "record" in rule and "alert" not in rule:
        return None
    alert = rule.get("alert")
    if not isinstance(alert, str) or not alert.strip():
        raise where.error((*loc, "alert"), "a rule needs `alert:` (a name) or `record:`")
    if "expr" not in rule:
        raise where.error((*loc, "expr"), f"alert {alert!r} has no `expr`")
    labels = _strings(rule.get("labels"), (*loc, "labels"), where)
    notes = _strings(rule.get("annotations"), (*loc, "annotations"), where)
    return AlertRule(
        name=alert.strip(),
        group=group,
        source=name,
        line=where.at(loc)[0],
        severity=labels.get("severity"),
        summary=notes.get("summary") or notes.get("description"),
        runbook_url=(notes.get("runbook_url") or "").strip() or None,
    )


def _strings(value: Any, loc: Loc, where: Positions) -> dict[str, str]:
    """Labels or annotations: a mapping of names to text (numbers read as text)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise where.error(loc, "expected a mapping of names to text")
    out: dict[str, str] = {}
    for key, item in value.items():
        if isinstance(item, (dict, list)):
            raise where.error((*loc, key), "expected text (quote values that start with `{{`)")
        out[str(key)] = "" if item is None else str(item)
    return out
