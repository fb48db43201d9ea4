"""Reading Prometheus rule files: both formats, multi-document files, lines, bad files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from oncall_docs.errors import DataError
from oncall_docs.runbooks.rules import expand, read_rule_file

PLAIN = """\
groups:
  - name: nodes
    rules:
      - record: job:up:avg
        expr: avg(up)
      - alert: NodeDown
        expr: up == 0
        labels: {severity: P2}
        annotations:
          summary: "Node {{ $labels.instance }} is down"
          runbook_url: runbooks/nodes/#alert-nodedown
"""
OPERATOR = """\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: bitcell}
spec:
  groups:
    - name: chain
      rules:
        - alert: ChainStopped
          expr: increase(height[5m]) == 0
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(PLAIN, [("NodeDown", 6, "P2")], id="plain-groups"),
        pytest.param(OPERATOR, [("ChainStopped", 8, None)], id="prometheus-rule-cr"),
        pytest.param(
            PLAIN + "---\n" + OPERATOR,
            [("NodeDown", 6, "P2"), ("ChainStopped", 20, None)],
            id="multi-document-mixed",
        ),
        pytest.param("---\n" + PLAIN + "---\n", [("NodeDown", 7, "P2")], id="empty-documents"),
    ],
)
def test_reads_alerting_rules_with_their_lines(
    write: Callable[[str, str], Path], text: str, expected: list[tuple[str, int, str | None]]
) -> None:
    """Alerting rules (not recording rules) come back with the line of their `- alert:` item."""
    rules = read_rule_file(write("r.yaml", text))
    assert [(r.name, r.line, r.severity) for r in rules] == expected


def test_templates_in_annotations_are_kept_as_written(write: Callable[[str, str], Path]) -> None:
    """`{{ $labels.instance }}` stays text; the runbook_url and summary are read."""
    (rule,) = read_rule_file(write("r.yaml", PLAIN))
    assert rule.summary == "Node {{ $labels.instance }} is down"
    assert rule.runbook_url == "runbooks/nodes/#alert-nodedown"
    assert rule.group == "nodes"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        pytest.param("groups: [\n", r"r\.yaml:2: invalid YAML", id="bad-yaml"),
        pytest.param("- a\n- b\n", r"r\.yaml:1: .*expected a mapping", id="not-a-mapping"),
        pytest.param("foo: 1\n", r"r\.yaml:1: .*expected `groups:`", id="no-groups"),
        pytest.param("groups: {a: 1}\n", r"r\.yaml:1: groups: expected a list", id="groups-map"),
        pytest.param(
            "groups:\n  - rules: []\n", r"r\.yaml:2: groups\[0\]: a rule group needs", id="no-name"
        ),
        pytest.param(
            "groups:\n  - name: g\n    rules:\n      - expr: up\n",
            r"r\.yaml:4: groups\[0\]\.rules\[0\]\.alert: .*`alert:`",
            id="neither-alert-nor-record",
        ),
        pytest.param(
            "groups:\n  - name: g\n    rules:\n      - alert: A\n",
            r"r\.yaml:4: .*alert 'A' has no `expr`",
            id="no-expr",
        ),
        pytest.param(
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n"
            "        annotations:\n          summary: {{ $labels.x }}\n",
            r"r\.yaml:7: .*annotations\.summary: quote values",
            id="unquoted-template",
        ),
        pytest.param(
            "kind: PrometheusRule\nspec: {}\n",
            r"r\.yaml:2: spec: .*spec\.groups",
            id="cr-no-groups",
        ),
        pytest.param(
            "groups:\n  - name: g\n    name: h\n", r"r\.yaml:3: .*duplicate key", id="duplicate-key"
        ),
    ],
)
def test_bad_rule_file_is_one_line_naming_file_and_line(
    write: Callable[[str, str], Path], text: str, match: str
) -> None:
    """A bad file raises one DataError that names the file, the line and what is wrong."""
    with pytest.raises(DataError, match=match) as caught:
        read_rule_file(write("r.yaml", text))
    assert "\n" not in str(caught.value)


def test_expand_globs_and_reports_patterns_matching_nothing(
    write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    """Globs expand relative to the root, each file once; a pattern matching nothing is an error."""
    write("rules/a.rules.yaml", PLAIN)
    write("rules/b.rules.yaml", OPERATOR)
    found = expand(["rules/*.yaml", "rules/a.rules.yaml"], tmp_path)
    assert [p.name for p in found] == ["a.rules.yaml", "b.rules.yaml"]
    with pytest.raises(DataError, match=r"nothing/\*\.yaml: no rule file matches"):
        expand(["nothing/*.yaml"], tmp_path)
