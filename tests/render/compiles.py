"""The compile counter the render tests share: what Jinja compiled, where no cached code fit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
import pytest


class Compiles:
    """Counts the compiles of one environment (what Jinja does when no cached code fits)."""

    def __init__(self, env: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str | None] = []
        compile_source: Callable[..., Any] = env.compile

        def counted(source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
            self.names.append(name)
            return compile_source(source, name, *args, **kwargs)

        monkeypatch.setattr(env, "compile", counted)
