"""YAML -> typed models, with errors that name file, line and field path.

PyYAML's SafeLoader is extended to keep the line of every key and item, to reject
duplicate keys (plain PyYAML silently keeps the last one), to keep dates as text so
that one schema describes what the editor sees, and to bound what aliases expand to: a few
hundred bytes of nested aliases would otherwise expand to billions of values.

libyaml's C composer (`yaml.CSafeLoader`) builds the node tree, marks included, some 20x
faster than PyYAML's pure-Python one; without libyaml the pure-Python loader does the same
work. A file libyaml rejects is read again by the pure-Python loader, so the error message
(and its line) is the one PyYAML gives, whichever loader is installed.

A data file that loads cleanly is walked once (`_lean_values`): values only, no positions,
and a note of whatever the exact checks must look at (a plain value on a line with a `#`,
a flow list of prose, two list items with one id). Anything out of the ordinary (a key that
is not text, a duplicate key, a merge key, too many values) goes to `_construct`, the exact
walk that records every position and raises the error. Positions are read again from the
file when a line is first asked for: errors are rare, and most files never need one.
With a `DataCache`, a file whose bytes loaded cleanly before is not parsed at all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from oncall_docs.errors import DataError
from oncall_docs.model.pitfalls import SPACE, Pitfall, comment_lines, find_pitfalls, first_pitfall

if TYPE_CHECKING:
    from oncall_docs.model.cache import DataCache

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")
MAX_VALUES = 100_000  # values one data file may expand to (every key, item and scalar counts)
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# first character -> [(tag, regexp)]: SafeLoader's own table (it has no wildcard resolvers)
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = (
    yaml.SafeLoader.yaml_implicit_resolvers
)


class _Composer(Protocol):
    """What `_construct` needs of a loader, whichever composer (C or Python) it uses."""

    path: Path
    positions: dict[Loc, tuple[int, int]]
    values: int

    def get_single_node(self) -> yaml.Node | None: ...
    def check_node(self) -> bool: ...
    def get_node(self) -> yaml.Node | None: ...
    def flatten_mapping(self, node: yaml.MappingNode) -> None: ...
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any: ...
    def dispose(self) -> None: ...


class _FastResolve:
    """Plain scalars resolved without the general resolver's checks (the composer calls it per node).

    The same implicit resolvers as SafeLoader's, in the same order; no path resolvers (SafeLoader
    has none), so collections keep their default tags.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node: the first implicit resolver that matches a plain scalar, else text."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        if kind is yaml.SequenceNode:
            return str(yaml.SafeLoader.DEFAULT_SEQUENCE_TAG)
        return str(yaml.SafeLoader.DEFAULT_MAPPING_TAG)


class _Loader(_FastResolve, yaml.SafeLoader):
    """SafeLoader that records positions and refuses duplicate keys."""

    def __init__(self, stream: str, path: Path) -> None:
        super().__init__(stream)
        self.path = path
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.values = 0


class _CLoader(_FastResolve, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
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
                else _tagged(loader, key_node, loc)
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
    return _tagged(loader, node, loc)


def _tagged(loader: _Composer, node: yaml.Node, loc: Loc) -> Any:
    """PyYAML's value for a node (a number, true/false, null, or a value of an explicit tag).

    An explicit tag on a value it does not fit (`!!int x`, `!!bool maybe`) makes PyYAML's
    constructor raise a bare ValueError or KeyError; it becomes a DataError naming the line.
    """
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, KeyError, TypeError, OverflowError):
        tag = str(node.tag).removeprefix("tag:yaml.org,2002:")
        raise DataError(
            loader.path,
            node.start_mark.line + 1,
            _dotted(loc),
            f"{node.value!r} is not a valid !!{tag} value (drop the tag or fix the value)",
            node.start_mark.column + 1,
        ) from None


class _Irregular(Exception):
    """Left to `_construct`, which reports it exactly: a key that is not text, a merge key, a bomb."""


@dataclass
class _Notes:
    """What the lean walk saw that an exact check must look at; all False for most files."""

    pitfalls: bool = False  # a plain value on a line with a `#`, or a flow list of prose
    # two mapping items of one list with one `id`: model ids are text as written (a pattern,
    # no change; a test checks), so a model list has a duplicate only where its raw list has
    ids: bool = False
    # read by the lean walk: keys are text, so JSON gives the values back as they are (the
    # cache still skips what JSON cannot hold at all: bytes, NaN)
    cacheable: bool = True


def _lean_values(
    construct: Callable[..., Any], root: yaml.Node, hashes: set[int]
) -> tuple[Any, _Notes]:
    """The values `_construct` builds, without positions, in one walk that also screens for the checks.

    Counts values as `_construct` does (every node but the keys), so the bound is the same.
    `hashes` are the lines holding a `#` (`comment_lines`). Raises _Irregular for anything
    out of the ordinary; the exact walk then gives the value or the error.
    """
    notes = _Notes()
    count = 1
    scalar_node, mapping_node = yaml.ScalarNode, yaml.MappingNode

    def scalar(node: Any) -> Any:
        tag = node.tag
        if tag == _STR:
            if hashes and not node.style and node.end_mark.line in hashes:
                notes.pitfalls = True
            return node.value
        if tag == _TIMESTAMP:
            return node.value  # dates as written, as `_construct` keeps them
        return construct(node, deep=True)

    def walk(node: Any) -> Any:
        nonlocal count
        children = node.value
        count += len(children)
        if count > MAX_VALUES:
            raise _Irregular
        if type(node) is mapping_node:
            result: dict[str, Any] = {}
            for key_node, value_node in children:
                if key_node.tag != _STR or type(key_node) is not scalar_node:
                    raise _Irregular  # a merge key, a number, a mapping as a key
                key = key_node.value
                if key in result:
                    raise _Irregular  # a duplicate key
                result[key] = (
                    scalar(value_node) if type(value_node) is scalar_node else walk(value_node)
                )
            return result
        items = [scalar(item) if type(item) is scalar_node else walk(item) for item in children]
        if node.flow_style and any(
            type(item) is scalar_node
            and item.tag == _STR
            and not item.style
            and SPACE.search(item.value)
            for item in children
        ):
            notes.pitfalls = True
        ids = [item["id"] for item in items if type(item) is dict and "id" in item]
        if len(ids) > 1:
            try:
                notes.ids = notes.ids or len(set(ids)) < len(ids)
            except TypeError:  # an id that is a list or a mapping: the exact check decides
                notes.ids = True
        return items

    value = scalar(root) if type(root) is scalar_node else walk(root)
    return value, notes


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
    """Line lookup for a loaded file: the closest recorded ancestor of a field path.

    Without `positions`, they are read from the file by `reader` the first time a line is
    asked for (an error, a finding), and kept.
    """

    def __init__(
        self,
        path: Path,
        positions: dict[Loc, tuple[int, int]] | None = None,
        pitfalls: list[Pitfall] | None = None,
        *,
        reader: Callable[[], dict[Loc, tuple[int, int]]] | None = None,
    ) -> None:
        self.path = path
        self._known = positions
        self._reader = reader
        self.pitfalls = pitfalls or []  # checked against the model by validate_file

    @property
    def _positions(self) -> dict[Loc, tuple[int, int]]:
        if self._known is None:
            self._known = self._reader() if self._reader is not None else {}
        return self._known

    def at(self, loc: Loc) -> tuple[int, int]:
        """Line and column of `loc`, or of its nearest ancestor that exists in the file."""
        positions = self._positions
        loc = tuple(loc)
        while loc and loc not in positions:
            loc = loc[:-1]
        return positions.get(loc, (1, 1))

    def error(self, loc: Loc, message: str) -> DataError:
        """A DataError pointing at `loc` in this file."""
        line, column = self.at(loc)
        return DataError(self.path, line, _dotted(loc), message, column)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataError(path, 0, "", f"cannot read the file: {exc}") from None


def _decode(data: bytes, path: Path) -> str:
    """The text `path.read_text(encoding="utf-8")` gives (universal newlines), and its error."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(path, 0, "", f"cannot read the file: {exc}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _read_text(path: Path) -> str:
    return _decode(_read_bytes(path), path)


def read_yaml(path: Path) -> tuple[Any, Positions]:
    """Parse one YAML file into plain values plus their positions; errors name the line."""
    value, positions, _ = _parse(_read_text(path), path)
    return value, positions


def _parse(text: str, path: Path) -> tuple[Any, Positions, _Notes]:
    """Values, positions and notes of `text`."""
    return _libyaml_first(_read, text, path)


def _libyaml_first(
    read: Callable[[Callable[[str, Path], _Composer], str, Path], R], text: str, path: Path
) -> R:
    """`read` on libyaml if there, else (or for its errors) on PyYAML, whose messages we give."""
    if FAST_LOADER is not None:
        try:
            return read(FAST_LOADER, text, path)
        except yaml.YAMLError:
            pass  # read it again below, for PyYAML's own message
    return read(_Loader, text, path)


def _read(
    loader_class: Callable[[str, Path], _Composer], text: str, path: Path
) -> tuple[Any, Positions, _Notes]:
    """Compose `text` with `loader_class`, then build values and pitfalls (positions on demand).

    Whatever the lean walk leaves (an odd key, a bomb, a value PyYAML cannot build: any
    exception) is read again from the start by the exact walk, on a fresh loader, which gives
    the value or raises the error exactly as it did before there was a lean walk.
    """
    with _composer(loader_class, text, path) as loader:
        node = loader.get_single_node()
        if node is None:
            return None, Positions(path, {}), _Notes()
        try:
            value, notes = _lean_values(loader.construct_object, node, comment_lines(text))
        except Exception:  # whatever it was, the exact walk says it as it did before
            lean = False
        else:
            lean = True
            pitfalls = find_pitfalls(node, text) if notes.pitfalls else []
    if not lean:
        return _read_exactly(loader_class, text, path)
    reader = partial(_positions_of, loader_class, path)
    return value, Positions(path, pitfalls=pitfalls, reader=reader), notes


def _read_exactly(
    loader_class: Callable[[str, Path], _Composer], text: str, path: Path
) -> tuple[Any, Positions, _Notes]:
    """The exact walk: every position recorded, every check made, the first problem raised."""
    with _composer(loader_class, text, path) as loader:
        node = loader.get_single_node()
        value = _construct(loader, node, ()) if node is not None else None
        pitfalls = find_pitfalls(node, text) if node is not None else []
    return value, Positions(path, loader.positions, pitfalls), _Notes(True, True, cacheable=False)


def _positions_of(
    loader_class: Callable[[str, Path], _Composer], path: Path
) -> dict[Loc, tuple[int, int]]:
    """Every position in `path` as it reads now (asked for when an error or finding needs a line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    loader = loader_class(text, path)
    try:
        node = loader.get_single_node()
        if node is not None:
            _construct(loader, node, ())
    except (yaml.YAMLError, DataError):
        pass  # changed since it was loaded: the positions recorded so far are the best guess
    finally:
        loader.dispose()
    return loader.positions


@contextmanager
def _composer(
    loader_class: Callable[[str, Path], _Composer], text: str, path: Path
) -> Iterator[_Composer]:
    """A loader on `text`, disposed afterwards; PyYAML's errors become DataErrors.

    libyaml's errors are not translated: the caller reads the file again with PyYAML, for
    PyYAML's message.
    """
    errors: AbstractContextManager[None] = (
        _as_data_error(path, text) if loader_class is _Loader else nullcontext()
    )
    loader: _Composer | None = None
    try:
        with errors:
            loader = loader_class(text, path)
            yield loader
    finally:
        if loader is not None:
            loader.dispose()


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
    return _libyaml_first(_documents, _read_text(path), path)


def _documents(
    loader_class: Callable[[str, Path], _Composer], text: str, path: Path
) -> list[tuple[Any, Positions]]:
    """Each document's values and positions (every rule's line is asked for, so all of them)."""
    documents: list[tuple[Any, Positions]] = []
    with _composer(loader_class, text, path) as loader:
        while loader.check_node():
            loader.positions = {}
            node = loader.get_node()
            value = _construct(loader, node, ()) if node is not None else None
            documents.append((value, Positions(path, loader.positions)))
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


def validate_file(
    path: Path, model: type[M], cache: DataCache | None = None
) -> tuple[M, Positions]:
    """Load `path` and validate it as `model`; the first problem becomes a DataError.

    With `cache`, a file whose bytes loaded cleanly as `model` before is validated from the
    cached values (no parsing, no pitfall or id check: they passed), and a file that loads
    cleanly now is added.
    """
    data = _read_bytes(path)
    key = cache.key(data, model) if cache is not None else ""
    cached = cache.get(key) if cache is not None else None
    if cached is not None:
        try:
            parsed = model.model_validate_json(cached)
        except ValidationError:
            pass  # the cache says otherwise than the file: parse it, which names the problem
        else:
            reader = partial(_positions_of, FAST_LOADER or _Loader, path)
            return parsed, Positions(path, reader=reader)
    raw, positions, notes = _parse(_decode(data, path), path)
    if raw is None:
        raise DataError(path, 1, "", "the file is empty")
    check_pitfalls(positions, model)
    parsed = _validated(raw, model, positions)
    if notes.ids:
        check_unique_ids(parsed, positions)
    if cache is not None and notes.cacheable:
        cache.put(key, raw)
    return parsed, positions


def _validated(raw: Any, model: type[M], positions: Positions) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        loc, message = _first_error(exc)
        raise positions.error(loc, message) from None


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
