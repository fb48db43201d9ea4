"""Fixtures for the My shift tests: the project's data, with a roster person who has no shift."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall_docs.model import Handbook, load_handbook
from tests.conftest import copy_project
from tests.myshift.scenario import add_gus


@pytest.fixture(scope="session")
def book(tmp_path_factory: pytest.TempPathFactory) -> Handbook:
    """The project's handbook, with Gus (in the roster, never scheduled) added."""
    project = copy_project(tmp_path_factory.mktemp("myshift") / "project")
    add_gus(project)
    return load_handbook(Path(project / "data"))
