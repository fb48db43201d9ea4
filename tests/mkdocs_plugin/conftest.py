"""Fixtures for the plugin glue tests: the My shift tests' handbook."""

from __future__ import annotations

from tests.myshift.conftest import book

__all__ = ["book"]
