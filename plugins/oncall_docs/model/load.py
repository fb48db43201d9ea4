"""YAML -> typed models, with errors that name file, line and field path.

PyYAML's SafeLoader is extended to keep the line of every key and item, to reject
duplicate keys (plain PyYAML silently keeps the last one), to keep dates as text so
that one schema describes what the editor sees, and to bound what aliases expand to: a few
hundred bytes of nested aliases would otherwise expand to billions of values.

libyaml's C composer (`yaml.CSafeLoader`) builds the node tree, marks included, some 20x
faster than PyYAML's pure-Python one; without libyaml the pure-Python loader does the same
work. A file libyaml rejects is read again by the pure-Python loader, so the error message
(and its line) is the one PyYAML gives, whichever loader is installed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from oncall_docs.errors import DataError
from oncall_docs.model.pitfalls import Pitfall, find_pitfalls, first_pitfall

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
MAX_VALUES = 100_000  # values one data file may expand to (every key, item and scalar counts)
_STR = "tag:yaml.org,2002:str"


class _Composer(Protocol):
    """What `_construct` needs of a loader, whichever composer (C or Python) it uses."""

    path: Path
    positions: dict[Loc, tuple[int, int]]
    values: int

    def get_single_node(self) -> yaml.Node | None: ...
    def flatten_mapping(self, node: yaml.MappingNode) -> None: ...
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any: ...
    def dispose(self) -> None: ...


class _Loader(yaml.SafeLoader):
    """SafeLoader that records positions and refuses duplicate keys."""

    def __init__(self, stream: str, path: Path) -> None:
        super().__init__(stream)
        self.path = path
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.values = 0


class _CLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml's C composer; constructing the values stays in Python."""

    def __init__(self, stream: str, path: Path) -> None:
        super().__init__(stream)
        self.path = path
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.values = 0


# libyaml's composer when PyYAML was built with it, else none (the pure-Python one does it all)
FAST_LOADER: Callable[[str, Path], _Composer] | None = (
    _CLoader if getattr(yaml, "__with_libyaml__", False) else None
)


def _construct(loader: _Composer, node: yaml.Node, loc: Loc) -> Any:
    """Build plain Python values from the node tree, recording each node's position."""
    loader.values += 1
    if loader.values > MAX_VALUES:
        raise DataError(
            loader.path,
            node.start_mark.line + 1,
            "",
            f"expands to more than {MAX_VALUES:,} values (nested aliases?); "
            "write the data out instead of repeating it through aliases",
        )
    loader.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = (
                key_node.value  # text, as almost every key is: no need for PyYAML's dispatch
                if key_node.tag == _STR and isinstance(key_node, yaml.ScalarNode)
                else loader.construct_object(key_node, deep=True)
            )
            if not isinstance(key, str | int):
                raise DataError(
                    loader.path,
                    key_node.start_mark.line + 1,
                    _dotted(loc),
                    f"keys must be text, not {type(key).__name__}",
                )
            if key in result:
                raise DataError(
                    loader.path,
                    key_node.start_mark.line + 1,
                    _dotted((*loc, key)),
                    "duplicate key (it is already set above)",
                )
            child = (*loc, key)
            loader.positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _construct(loader, value_node, child)
            loader.positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*loc, i)) for i, item in enumerate(node.value)]
    if node.tag in (_STR, "tag:yaml.org,2002:timestamp"):
        return node.value  # text as is (what PyYAML would build); dates as written too
    return loader.construct_object(node, deep=True)


def _dotted(loc: Loc) -> str:
    """Render a location as a field path: `checklists[0].items[2].id`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


class Positions:
    """Line lookup for a loaded file: the closest recorded ancestor of a field path."""

    def __init__(
        self,
        path: Path,
        positions: dict[Loc, tuple[int, int]],
        pitfalls: list[Pitfall] | None = None,
    ) -> None:
        self.path = path
        self._positions = positions
        self.pitfalls = pitfalls or []  # checked against the model by validate_file

    def at(self, loc: Loc) -> tuple[int, int]:
        """Line and column of `loc`, or of its nearest ancestor that exists in the file."""
        loc = tuple(loc)
        while loc and loc not in self._positions:
            loc = loc[:-1]
        return self._positions.get(loc, (1, 1))

    def error(self, loc: Loc, message: str) -> DataError:
        """A DataError pointing at `loc` in this file."""
        line, column = self.at(loc)
        return DataError(self.path, line, _dotted(loc), message, column)


def read_yaml(path: Path) -> tuple[Any, Positions]:
    """Parse one YAML file into plain values plus their positions; errors name the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, 0, "", f"cannot read the file: {exc}") from None
    if FAST_LOADER is not None:
        try:
            return _read(FAST_LOADER, text, path)
        except yaml.YAMLError:
            pass  # read it again below, for PyYAML's own message
    return _read(_Loader, text, path)


def _read(
    loader_class: Callable[[str, Path], _Composer], text: str, path: Path
) -> tuple[Any, Positions]:
    """Compose `text` with `loader_class`, then build values, positions and pitfalls."""
    loader: _Composer | None = None
    # libyaml's errors are not translated: read_yaml reads the file again for PyYAML's message.
    errors: AbstractContextManager[None] = (
        _as_data_error(path, text) if loader_class is _Loader else nullcontext()
    )
    try:
        with errors:
            loader = loader_class(text, path)
            node = loader.get_single_node()
            value = _construct(loader, node, ()) if node is not None else None
            pitfalls = find_pitfalls(node, text) if node is not None else []
    finally:
        if loader is not None:
            loader.dispose()
    return value, Positions(path, loader.positions, pitfalls)


@contextmanager
def _as_data_error(path: Path, text: str) -> Iterator[None]:
    """PyYAML's errors as one DataError naming the file and line."""
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise DataError(path, line, "", f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        raise DataError(
            path, line, "", f"invalid YAML: character #x{exc.character:04x}: {exc.reason}"
        ) from None
    except yaml.YAMLError as exc:
        raise DataError(path, 0, "", f"invalid YAML: {exc}") from None


def read_yaml_documents(path: Path) -> list[tuple[Any, Positions]]:
    """Every document of a multi-document YAML file, each with its own positions."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, 0, "", f"cannot read the file: {exc}") from None
    loader = _Loader(text, path)
    documents: list[tuple[Any, Positions]] = []
    try:
        with _as_data_error(path, text):
            while loader.check_node():
                loader.positions = {}
                node = loader.get_node()
                value = _construct(loader, node, ()) if node is not None else None
                documents.append((value, Positions(path, loader.positions)))
    finally:
        loader.dispose()
    return documents


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    return tuple(
        p for p in loc if not (isinstance(p, str) and p.startswith(("function-", "tagged-union")))
    )


def _first_error(exc: ValidationError) -> tuple[Loc, str]:
    """The most useful error of a pydantic failure.

    A typo'd key shows up as an unknown field *and* a missing one; the unknown field is the
    cause, so it wins, with the missing name as a suggestion.
    """
    errors = exc.errors(include_url=False)
    missing = [_clean_loc(e["loc"]) for e in errors if e["type"] == "missing"]
    extra = [e for e in errors if e["type"] == "extra_forbidden"]
    err = extra[0] if extra else errors[0]
    loc = _clean_loc(err["loc"])
    if err["type"] == "extra_forbidden":
        siblings = [str(m[-1]) for m in missing if m[:-1] == loc[:-1]]
        close = difflib.get_close_matches(str(loc[-1]), siblings, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else " (check its spelling)"
        return loc, f"unknown field {loc[-1]!r}{hint}"
    if err["type"] == "missing":
        return loc, "required field is missing"
    return loc, str(err["msg"]).removeprefix("Value error, ")


def validate_file(path: Path, model: type[M]) -> tuple[M, Positions]:
    """Load `path` and validate it as `model`; the first problem becomes a DataError."""
    raw, positions = read_yaml(path)
    if raw is None:
        raise DataError(path, 1, "", "the file is empty")
    check_pitfalls(positions, model)
    try:
        parsed = model.model_validate(raw)
    except ValidationError as exc:
        loc, message = _first_error(exc)
        raise positions.error(loc, message) from None
    check_unique_ids(parsed, positions)
    return parsed, positions


def check_pitfalls(positions: Positions, model: type[BaseModel]) -> None:
    """Text that YAML cut at a ` #` or split at commas is an error, not a silently shorter page."""
    found = first_pitfall(positions.pitfalls, model)
    if found is not None:
        pit, message = found
        raise DataError(positions.path, pit.line, _dotted(pit.loc), message, pit.column)


_BRANCHES = (BaseModel, list, dict)  # what can hold a list; text, numbers and dates cannot


def _walk(value: Any, loc: Loc) -> Iterator[tuple[list[Any], Loc]]:
    """Every list inside a model tree, with its location."""
    if isinstance(value, BaseModel):
        children: Any = ((name, getattr(value, name)) for name in type(value).model_fields)
    elif isinstance(value, list):
        yield value, loc
        children = enumerate(value)
    elif isinstance(value, dict):
        children = value.items()
    else:
        return
    for key, item in children:
        if isinstance(item, _BRANCHES):  # a leaf is skipped here, without a call
            yield from _walk(item, (*loc, key))


def check_unique_ids(model: BaseModel, positions: Positions) -> None:
    """Ids are what ticks, anchors and links hang on: two items with one id would share them."""
    for items, loc in _walk(model, ()):
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            ident = getattr(item, "id", None)
            if not isinstance(ident, str):
                continue
            if ident in seen:
                first_line = positions.at((*loc, seen[ident]))[0]
                raise positions.error(
                    (*loc, i, "id"), f"duplicate id {ident!r} (first used on line {first_line})"
                )
            seen[ident] = i
