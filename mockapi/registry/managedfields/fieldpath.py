"""Field paths and field sets, and their `fieldsV1` encoding (sigs.k8s.io/structured-merge-diff `fieldpath`).

A path is a tuple of `PathElement`s, one of four kinds:

    f:<name>            a field of a struct, or a key of a map          .spec.replicas
    k:{"name":"c"}      the item of an associative list with these keys  [name="c"]
    v:"x"               the item of a set (a list of scalars)            [="x"]
    i:3                 the item of an atomic list, by index             [3]

A `Set` is a tree: `members` are the elements that belong to the set, `children` the elements under
which more members sit. Its `fieldsV1` form is a JSON object keyed by the serialized elements, `{}`
for a member without children and `".": {}` (written first) for an element that is both.
Elements sort as upstream compares them: fields (by name) < keys < values < indexes; values sort
numbers < strings < bools < lists < maps < null.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter
from typing import Any

import orjson

from mockapi.api.goformat import go_float_g, go_json_float
from mockapi.api.golang import go_quote
from mockapi.api.jsonio import go_json

FIELD, KEY, VALUE, INDEX = 0, 1, 2, 3

Path = tuple["PathElement", ...]


# -- values (value.Compare, value.Equals, value.ToString, JSON as jsoniter writes it) --------------


_NUMBERS = (int, float)  # tuples: `int | float` would build a union object on every call
_SCALARS = (str, int, float, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, _NUMBERS) and not isinstance(v, bool)


def value_equal(a: Any, b: Any) -> bool:
    """value.Equals: numbers compare numerically (1 == 1.0), bools are not numbers."""
    if _is_number(a) or _is_number(b):
        return _is_number(a) and _is_number(b) and a == b
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, list) or isinstance(b, list):
        if not (isinstance(a, list) and isinstance(b, list)) or len(a) != len(b):
            return False
        return all(value_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)) or a.keys() != b.keys():
            return False
        return all(value_equal(a[k], b[k]) for k in a)
    return a is None and b is None


def value_sort_key(v: Any) -> tuple[Any, ...]:
    """A key that orders values as value.Compare does."""
    if _is_number(v):
        return (0, v)
    if isinstance(v, str):
        return (1, v)
    if isinstance(v, bool):
        return (2, v)
    if isinstance(v, list):
        return (3, tuple(value_sort_key(x) for x in v))
    if isinstance(v, dict):
        return (4, tuple((k, value_sort_key(v[k])) for k in sorted(v)))
    return (5,)


def value_json(v: Any) -> str:
    """A value as jsoniter (standard-library compatible) writes it: compact, Go floats, sorted map keys."""
    if isinstance(v, float) and not isinstance(v, bool):
        return go_json_float(v)
    if isinstance(v, list):
        return "[" + ",".join(value_json(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(go_json(k).decode() + ":" + value_json(v[k]) for k in sorted(v)) + "}"
    return go_json(v).decode()


def value_string(v: Any) -> str:
    """value.ToString: `%q` strings, `%v` numbers and bools, `null`."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return go_float_g(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, list):
        return "[" + ",".join(value_string(x) for x in v) + "]"
    if isinstance(v, dict):
        return "".join(f"{k}={value_string(v[k])}" for k in v)
    return str(v)


# -- path elements -----------------------------------------------------------------------------


class PathElement:
    """One step of a path; equal elements have equal `token`s (their fieldsV1 serialization)."""

    __slots__ = ("index", "key", "kind", "name", "sort_key", "token", "value")

    def __init__(
        self,
        kind: int,
        *,
        name: str = "",
        key: tuple[tuple[str, Any], ...] = (),
        value: Any = None,
        index: int = 0,
    ) -> None:
        self.kind = kind
        self.name = name
        self.key = key
        self.value = value
        self.index = index
        if kind == FIELD:
            self.token = "f:" + name
            self.sort_key: tuple[Any, ...] = (0, name)
        elif kind == KEY:
            self.token = "k:{" + ",".join(go_json(n).decode() + ":" + value_json(v) for n, v in key) + "}"
            self.sort_key = (1, tuple((n, value_sort_key(v)) for n, v in key))
        elif kind == VALUE:
            self.token = "v:" + value_json(value)
            self.sort_key = (2, value_sort_key(value))
        else:
            self.token = f"i:{index}"
            self.sort_key = (3, index)

    @staticmethod
    def field(name: str) -> PathElement:
        found = _FIELDS.get(name)
        if found is None:
            found = _FIELDS[name] = PathElement(FIELD, name=name)
        return found

    @staticmethod
    def keyed(fields: dict[str, Any]) -> PathElement:
        """An associative list item's key; the fields are sorted by name, as KeyByFields sorts them."""
        key = tuple(sorted(fields.items()))
        if not all(_is_scalar(v) for _n, v in key):
            return PathElement(KEY, key=key)
        memo = (key, tuple(type(v) for _n, v in key))
        found = _KEYS.get(memo)
        if found is None:
            if len(_KEYS) > _MEMO_LIMIT:
                _KEYS.clear()
            found = _KEYS[memo] = PathElement(KEY, key=key)
        return found

    @staticmethod
    def of_value(value: Any) -> PathElement:
        return PathElement(VALUE, value=value)

    @staticmethod
    def of_index(index: int) -> PathElement:
        return PathElement(INDEX, index=index)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PathElement) and self.token == other.token

    def __hash__(self) -> int:
        return hash(self.token)

    def __lt__(self, other: PathElement) -> bool:
        return self.sort_key < other.sort_key

    def __repr__(self) -> str:
        return f"PathElement({self.token})"

    def __str__(self) -> str:
        """PathElement.String(): `.name`, `[k=v,...]`, `[=v]`, `[i]` (how conflicts name fields)."""
        if self.kind == FIELD:
            return "." + self.name
        if self.kind == KEY:
            return "[" + ",".join(f"{n}={value_string(v)}" for n, v in self.key) + "]"
        if self.kind == VALUE:
            return f"[={value_string(self.value)}]"
        return f"[{self.index}]"


_ORDER = attrgetter("sort_key")
"""Sorts elements as `PathElement.__lt__` does, comparing the keys in C rather than calling it per pair."""

_FIELDS: dict[str, PathElement] = {}
_KEYS: dict[Any, PathElement] = {}
_MEMO_LIMIT = 10_000


def _is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, _SCALARS)


def path_string(path: Path) -> str:
    return "".join(str(pe) for pe in path)


class BadPathElement(ValueError):
    pass


class UnknownPathElement(ValueError):
    pass


def parse_element(token: str) -> PathElement:
    """DeserializePathElement."""
    if len(token) < 2 or token[1] != ":":
        raise UnknownPathElement(token)
    kind, body = token[0], token[2:]
    if kind == "f":
        return PathElement.field(body)
    if kind == "i":
        try:
            return PathElement.of_index(int(body))
        except ValueError:
            raise BadPathElement(token) from None
    if kind in ("k", "v"):
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise BadPathElement(token) from None
        if kind == "v":
            return PathElement.of_value(value)
        if not isinstance(value, dict):
            raise BadPathElement(token)
        return PathElement.keyed(value)
    raise UnknownPathElement(token)


# -- sets --------------------------------------------------------------------------------------


class Set:
    """A set of paths, as a tree (fieldpath.Set). Operations return new sets and never keep empty nodes."""

    __slots__ = ("children", "members")

    def __init__(self, members: set[PathElement] | None = None, children: dict[PathElement, Set] | None = None):
        self.members: set[PathElement] = members if members is not None else set()
        self.children: dict[PathElement, Set] = children if children is not None else {}

    @staticmethod
    def of(*paths: Path) -> Set:
        s = Set()
        for p in paths:
            s.insert(p)
        return s

    def copy(self) -> Set:
        return Set(set(self.members), {pe: c.copy() for pe, c in self.children.items()})

    def insert(self, path: Path) -> None:
        if not path:
            return
        node = self
        for pe in path[:-1]:
            child = node.children.get(pe)
            if child is None:
                child = node.children[pe] = Set()
            node = child
        node.members.add(path[-1])

    def has(self, path: Path) -> bool:
        if not path:
            return False
        node: Set | None = self
        for pe in path[:-1]:
            assert node is not None
            node = node.children.get(pe)
            if node is None:
                return False
        assert node is not None
        return path[-1] in node.members

    def empty(self) -> bool:
        return not self.members and all(c.empty() for c in self.children.values())

    def with_prefix(self, pe: PathElement) -> Set:
        """The paths under `pe`, without it."""
        child = self.children.get(pe)
        return child if child is not None else Set()

    def union(self, other: Set) -> Set:
        children = {pe: c.copy() for pe, c in self.children.items()}
        for pe, c in other.children.items():
            mine = children.get(pe)
            children[pe] = mine.union(c) if mine is not None else c.copy()
        return Set(self.members | other.members, children)

    def intersection(self, other: Set) -> Set:
        children: dict[PathElement, Set] = {}
        for pe, c in self.children.items():
            theirs = other.children.get(pe)
            if theirs is not None:
                both = c.intersection(theirs)
                if not both.empty():
                    children[pe] = both
        return Set(self.members & other.members, children)

    def difference(self, other: Set) -> Set:
        """Members of self not in other; a member of other does not remove what lies under it."""
        children: dict[PathElement, Set] = {}
        for pe, c in self.children.items():
            theirs = other.children.get(pe)
            if theirs is None:
                children[pe] = c.copy()
            else:
                rest = c.difference(theirs)
                if not rest.empty():
                    children[pe] = rest
        return Set(self.members - other.members, children)

    def recursive_difference(self, other: Set) -> Set:
        """Like difference, but a member of other also removes everything under it."""
        children: dict[PathElement, Set] = {}
        for pe, c in self.children.items():
            if pe in other.members:
                continue
            theirs = other.children.get(pe)
            if theirs is None:
                children[pe] = c.copy()
            else:
                rest = c.recursive_difference(theirs)
                if not rest.empty():
                    children[pe] = rest
        return Set(self.members - other.members, children)

    def equals(self, other: Set) -> bool:
        if self.members != other.members:
            return False
        mine = {pe: c for pe, c in self.children.items() if not c.empty()}
        theirs = {pe: c for pe, c in other.children.items() if not c.empty()}
        return mine.keys() == theirs.keys() and all(c.equals(theirs[pe]) for pe, c in mine.items())

    def iterate(self, prefix: Path = ()) -> Iterator[Path]:
        """Every member, members of a node before its children, both in element order (Set.Iterate)."""
        for pe in sorted(self.members, key=_ORDER):
            yield (*prefix, pe)
        for pe in sorted(self.children, key=_ORDER):
            yield from self.children[pe].iterate((*prefix, pe))

    def paths(self) -> list[str]:
        return [path_string(p) for p in self.iterate()]

    def __repr__(self) -> str:
        return f"Set({self.paths()})"

    # -- fieldsV1 ------------------------------------------------------------------------------

    def to_fields(self) -> dict[str, Any]:
        """The fieldsV1 object (emitContentsV1): elements in order, `.` first where a member has children."""
        return self._emit()

    def _emit(self) -> dict[str, Any]:
        """This node's elements in order; {} when nothing is a member here or below (an empty node, which
        is left out). Each child is emitted once, rather than asked first whether it is empty."""
        out: dict[str, Any] = {}
        members = self.members
        for pe in sorted(members | self.children.keys(), key=_ORDER):
            child = self.children.get(pe)
            below = child._emit() if child is not None else {}
            if pe in members:
                out[pe.token] = {".": {}, **below} if below else {}
            elif below:
                out[pe.token] = below
        return out

    @staticmethod
    def from_fields(fields: Any) -> Set:
        """FieldsToSet (readIterV1); raises BadPathElement for a malformed element or a non-object."""
        if not isinstance(fields, dict):
            raise BadPathElement("expected an object")
        found, _member = _read(fields)
        return found if found is not None else Set()


def _read(node: dict[str, Any]) -> tuple[Set | None, bool]:
    children: Set | None = None
    is_member = False
    for token, sub in node.items():
        if token == ".":
            is_member = True
            continue
        try:
            pe = parse_element(token)
        except UnknownPathElement:
            continue
        if not isinstance(sub, dict):
            raise BadPathElement(token)
        grandchildren, child_is_member = _read(sub)
        if children is None:
            children = Set()
        if child_is_member:
            children.members.add(pe)
        if grandchildren is not None:
            children.children[pe] = grandchildren
    if children is None:
        is_member = True
    return children, is_member
