"""Shared fixtures for the runbooks check: two runbooks, a tiny built site, rule files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from oncall_docs.linkcheck.check import Site
from oncall_docs.linkcheck.site import site_from_pages
from oncall_docs.model.types import Runbook
from tests.fakes.loopback import serving
from tests.fakes.prometheus import FakePrometheus

NODES = Runbook.model_validate(
    {
        "id": "nodes",
        "title": "Nodes",
        "summary": "Node trouble.",
        "owner": "Platform team",
        "reviewed": "2026-11-01",
        "alerts": ["NodesGeneral"],
        "sections": [{"id": "restart", "title": "Restart", "alerts": ["NodeDown"]}],
        "incidents": [
            {
                "id": "chain-stopped",
                "title": "Chain stopped",
                "severity": "P1",
                "symptoms": ["s"],
                "diagnosis": [{"description": "d"}],
                "mitigation": ["m"],
                "escalate_when": ["e"],
                "alerts": ["ChainStopped"],
            }
        ],
    }
)
DEPLOY = Runbook.model_validate(
    {"id": "deploy", "title": "Deploy", "summary": "Deploys.", "owner": "Platform team"}
)
RUNBOOKS = {"nodes": NODES, "deploy": DEPLOY}
NODES_HTML = (
    '<h2 id="restart">Restart</h2><code id="alert-nodedown">NodeDown</code>'
    '<li id="alert-nodesgeneral"></li><h3 id="chain-stopped"></h3>'
    '<code id="alert-chainstopped">ChainStopped</code>'
)


def make_site(use_directory_urls: bool = True) -> Site:
    """The built site of the two runbooks, an index and a severity page, in either URL style."""
    if use_directory_urls:
        pages = {
            "index.html": "<h1 id=home></h1>",
            "severity/index.html": "<h1 id=p1></h1>",
            "runbooks/nodes/index.html": NODES_HTML,
            "runbooks/deploy/index.html": "<h2 id=steps></h2>",
        }
    else:
        pages = {
            "index.html": "<h1 id=home></h1>",
            "severity.html": "<h1 id=p1></h1>",
            "runbooks/nodes.html": NODES_HTML,
            "runbooks/deploy.html": "<h2 id=steps></h2>",
        }
    return site_from_pages(pages, set())


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a rule file under tmp_path and return its path."""

    def write_file(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write_file


@pytest.fixture(scope="session")
def prometheus_server() -> Iterator[FakePrometheus]:
    """The fake Prometheus rules API on 127.0.0.1, one per session."""
    server = FakePrometheus()  # already bound and listening, so no readiness wait
    with serving(server):
        yield server


@pytest.fixture
def prometheus(prometheus_server: FakePrometheus) -> FakePrometheus:
    """The session's fake Prometheus, reset to an empty rule set."""
    prometheus_server.reset()
    return prometheus_server
