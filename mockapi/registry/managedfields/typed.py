"""Schema-aware operations on JSON values (structured-merge-diff `typed`): field sets, comparison, merge,
removal of items, and validation of an applied configuration.

Values are plain JSON (dicts, lists, scalars, None for null); `MISSING` stands for "absent", which is
not the same as null. Each walk dispatches on the value and the type the way upstream's `deduceAtom`
and `handleAtom` do: a value selects the matching part of its type; null (or a value of the wrong
kind) falls back to the type's map, then scalar, then list part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockapi.api.goformat import go_float_g, go_sprint
from mockapi.api.golang import go_quote, reflect_type
from mockapi.registry.managedfields.fieldpath import FIELD, KEY, Path, PathElement, Set, path_string, value_equal
from mockapi.registry.managedfields.schema import DEDUCED, Atom, ListType, Ref


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class TypedError(Exception):
    """ValidationErrors: one `<path>: <message>` per error, several under `errors:`."""

    def __init__(self, errors: list[tuple[Path, str]]) -> None:
        self.errors = errors
        super().__init__(self.text())

    def text(self) -> str:
        lines = [f"{path_string(p)}: {m}" if p else m for p, m in self.errors]
        if len(lines) == 1:
            return lines[0]
        return "\n".join(["errors:", *("  " + line for line in lines)])


class ItemError(ValueError):
    pass


_SCALARS = (str, int, float, bool)  # a tuple: `str | int | ...` would build union objects on every call


def _scalar_value(v: Any) -> bool:
    return isinstance(v, _SCALARS)


def handler(atom: Atom, v: Any) -> str:
    """Which part of the type handles `v`: `map`, `scalar` or `list` ("" for an invalid type)."""
    if v is not MISSING and v is not None:
        if _scalar_value(v):
            if atom.scalar is not None:
                return "scalar"
        elif isinstance(v, list):
            if atom.list is not None:
                return "list"
        elif isinstance(v, dict) and atom.map is not None:
            return "map"
    if atom.map is not None:
        return "map"
    if atom.scalar is not None:
        return "scalar"
    if atom.list is not None:
        return "list"
    return ""


def _field_ref(atom: Atom, name: str) -> Ref | None:
    assert atom.map is not None
    found = atom.map.fields.get(name)
    return found if found is not None else atom.map.element


def item_element(lt: ListType, item: Any, index: int) -> PathElement:
    """listItemToPathElement: key fields (with their defaults), the value itself, or the index."""
    if lt.atomic:
        return PathElement.of_index(index)
    if lt.keys:
        if item is None:
            raise ItemError("associative list with keys may not have a null element")
        if not isinstance(item, dict):
            raise ItemError("associative list with keys may not have non-map elements")
        element = lt.element.atom
        defaults = element.map.defaults if element.map is not None else {}
        key: dict[str, Any] = {}
        for name in lt.keys:
            if name in item:
                key[name] = item[name]
            elif name in defaults:
                key[name] = defaults[name]
            else:
                raise ItemError(
                    f"associative list with keys has an element that omits key field {go_quote(name)} "
                    "(and doesn't have default value)"
                )
        return PathElement.keyed(key)
    if isinstance(item, dict):
        raise ItemError("associative list without keys has an element that's a map type")
    if isinstance(item, list):
        raise ItemError("not supported: associative list with lists as elements")
    if item is None:
        raise ItemError("associative list without keys has an element that's an explicit null")
    return PathElement.of_value(item)


# -- ToFieldSet --------------------------------------------------------------------------------


def to_field_set(value: Any, ref: Ref) -> Set:
    """Every leaf field and item `value` mentions (TypedValue.ToFieldSet); raises TypedError."""
    out, errors = Set(), list[tuple[Path, str]]()
    _to_set(value, ref, (), out, errors)
    if errors:
        raise TypedError(errors)
    return out


def _to_set(v: Any, ref: Ref, path: Path, out: Set, errors: list[tuple[Path, str]]) -> None:
    atom = ref.atom
    kind = handler(atom, v)
    if kind == "scalar":
        out.insert(path)
    elif kind == "list":
        assert atom.list is not None
        lt = atom.list
        if lt.atomic:
            out.insert(path)
            return
        if not isinstance(v, list):
            return
        for i, item in enumerate(v):
            try:
                pe = item_element(lt, item, i)
            except ItemError as exc:
                errors.append((path, f"element {i}: {exc}"))
                continue
            _to_set(item, lt.element, (*path, pe), out, errors)
            out.insert((*path, pe))
    elif kind == "map":
        assert atom.map is not None
        if atom.map.atomic:
            out.insert(path)
            return
        if not isinstance(v, dict):
            return
        for key, val in v.items():
            declared = key in atom.map.fields
            child = _field_ref(atom, key)
            child_path = (*path, PathElement.field(key))
            if child is None:
                errors.append((child_path, "field not declared in schema"))
                return
            _to_set(val, child, child_path, out, errors)
            if not declared:
                out.insert(child_path)


# -- validation of an applied configuration (AsTyped without AllowDuplicates) ---------------------


def validate(value: Any, ref: Ref) -> None:
    """The checks `ObjectToTyped` makes of an applied configuration; raises TypedError."""
    errors: list[tuple[Path, str]] = []
    _validate(value, ref, (), errors)
    if errors:
        raise TypedError(errors)


def _go_type(v: Any) -> str:
    return "<nil>" if v is None else reflect_type(v)


def _go_sharp(v: Any) -> str:
    if isinstance(v, str):
        return go_quote(v)
    if isinstance(v, float):
        return go_float_g(v)
    return go_sprint(v)


def _validate(v: Any, ref: Ref, path: Path, errors: list[tuple[Path, str]]) -> None:
    atom = ref.atom
    kind = handler(atom, v)
    if kind == "scalar":
        if v is None:
            return
        scalar = atom.scalar
        if scalar == "numeric" and (isinstance(v, bool) or not isinstance(v, int | float)):
            errors.append((path, f"expected numeric (int or float), got {_go_type(v)}"))
        elif scalar == "string" and not isinstance(v, str):
            errors.append((path, f"expected string, got &value.valueUnstructured{{Value:{_go_sharp(v)}}}"))
        elif scalar == "boolean" and not isinstance(v, bool):
            errors.append((path, f"expected boolean, got &{{{go_sprint(v)}}}"))
    elif kind == "list":
        assert atom.list is not None
        if v is None:
            return
        if not isinstance(v, list):
            errors.append((path, f"expected list, got &{{{go_sprint(v)}}}"))
            return
        lt = atom.list
        seen: set[PathElement] = set()
        for i, item in enumerate(v):
            try:
                pe = item_element(lt, item, i)
            except ItemError as exc:
                errors.append((path, f"element {i}: {exc}"))
                continue
            if pe in seen:
                errors.append((path, f"duplicate entries for key {pe}"))
                continue
            seen.add(pe)
            _validate(item, lt.element, (*path, pe), errors)
    elif kind == "map":
        assert atom.map is not None
        if v is None:
            return
        if not isinstance(v, dict):
            errors.append((path, f"expected map, got &{{{go_sprint(v)}}}"))
            return
        for key, val in v.items():
            child = _field_ref(atom, key)
            child_path = (*path, PathElement.field(key))
            if child is None:
                errors.append((child_path, "field not declared in schema"))
                return
            _validate(val, child, child_path, errors)


# -- Compare -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Comparison:
    removed: Set
    modified: Set
    added: Set

    def is_same(self) -> bool:
        return self.removed.empty() and self.modified.empty() and self.added.empty()


def compare(lhs: Any, rhs: Any, ref: Ref) -> Comparison:
    """TypedValue.Compare: fields `rhs` removed, modified and added relative to `lhs`."""
    c = Comparison(Set(), Set(), Set())
    _compare(lhs, rhs, ref, (), c)
    return c


def _index_items(lt: ListType, items: Any) -> dict[PathElement, Any]:
    out: dict[PathElement, Any] = {}
    if not isinstance(items, list):
        return out
    for i, item in enumerate(items):
        try:
            pe = item_element(lt, item, i)
        except ItemError:
            continue
        out.setdefault(pe, item)
    return out


def _compare(l: Any, r: Any, ref: Ref, path: Path, c: Comparison) -> None:  # noqa: E741
    atom = ref.atom
    if r is MISSING:
        leaf = _compare_as(handler(atom, l), atom, l, r, path, c)
    else:
        hl, hr = handler(atom, l), handler(atom, r)
        if l is not MISSING and hl != hr:
            _compare_as(hl, atom, l, r, path, c)
        leaf = _compare_as(hr, atom, l, r, path, c)
    if not leaf:
        if l is MISSING:
            c.added.insert(path)
        elif r is MISSING:
            c.removed.insert(path)


def _leaf(l: Any, r: Any, path: Path, c: Comparison) -> bool:  # noqa: E741
    if l is MISSING:
        c.added.insert(path)
    elif r is MISSING:
        c.removed.insert(path)
    elif not value_equal(l, r):
        c.modified.insert(path)
    return True


def _compare_as(kind: str, atom: Atom, l: Any, r: Any, path: Path, c: Comparison) -> bool:  # noqa: E741
    if kind == "list":
        assert atom.list is not None
        lt = atom.list
        ll = l if isinstance(l, list) else None
        rl = r if isinstance(r, list) else None
        if lt.atomic or (not ll and not rl):
            return _leaf(l, r, path, c)
        lhs, rhs = _index_items(lt, ll), _index_items(lt, rl)
        for pe in [*lhs, *(pe for pe in rhs if pe not in lhs)]:
            _compare(lhs.get(pe, MISSING), rhs.get(pe, MISSING), lt.element, (*path, pe), c)
        return False
    if kind == "map":
        assert atom.map is not None
        lm = l if isinstance(l, dict) else None
        rm = r if isinstance(r, dict) else None
        if atom.map.atomic or (not lm and not rm):
            return _leaf(l, r, path, c)
        lm, rm = lm or {}, rm or {}
        for key in [*lm, *(k for k in rm if k not in lm)]:
            child = _field_ref(atom, key) or DEDUCED
            _compare(lm.get(key, MISSING), rm.get(key, MISSING), child, (*path, PathElement.field(key)), c)
        return False
    return _leaf(l, r, path, c)


compare_node, field_ref, index_items = _compare, _field_ref, _index_items
"""The pieces of `compare` that `created` (a create's fast path) walks with."""


# -- Merge -------------------------------------------------------------------------------------


def merge(lhs: Any, rhs: Any, ref: Ref) -> Any:
    """TypedValue.Merge: `rhs` (a partial object) over `lhs`; leaves take rhs's value, lists keep
    lhs's order where rhs does not reorder."""
    return _merge(lhs, rhs, ref)


def _merge(l: Any, r: Any, ref: Ref) -> Any:  # noqa: E741
    atom = ref.atom
    if r is MISSING:
        return _merge_as(handler(atom, l), atom, l, r)
    return _merge_as(handler(atom, r), atom, l, r)


def _keep_rhs(l: Any, r: Any) -> Any:  # noqa: E741
    return r if r is not MISSING else l


def _merge_as(kind: str, atom: Atom, l: Any, r: Any) -> Any:  # noqa: E741
    if kind == "list":
        assert atom.list is not None
        lt = atom.list
        ll = l if isinstance(l, list) else None
        rl = r if isinstance(r, list) else None
        if lt.atomic or (not ll and not rl):
            return _keep_rhs(l, r)
        return _merge_items(lt, ll or [], rl or [])
    if kind == "map":
        assert atom.map is not None
        lm = l if isinstance(l, dict) else None
        rm = r if isinstance(r, dict) else None
        if atom.map.atomic or (not lm and not rm):
            return _keep_rhs(l, r)
        lm, rm = lm or {}, rm or {}
        out: dict[str, Any] = {}
        for key in [*lm, *(k for k in rm if k not in lm)]:
            child = _field_ref(atom, key) or DEDUCED
            out[key] = _merge(lm.get(key, MISSING), rm.get(key, MISSING), child)
        return out
    return _keep_rhs(l, r)


def _elements(lt: ListType, items: list[Any]) -> tuple[list[PathElement], dict[PathElement, Any]]:
    pes: list[PathElement] = []
    observed: dict[PathElement, Any] = {}
    for i, item in enumerate(items):
        try:
            pe = item_element(lt, item, i)
        except ItemError:
            continue
        observed[pe] = item
        pes.append(pe)
    return pes, observed


def _merge_items(lt: ListType, lhs: list[Any], rhs: list[Any]) -> list[Any]:
    """mergingWalker.visitListItems: keeps lhs's order, but items both sides share follow rhs's order,
    and rhs-only items land where rhs puts them."""
    rhs_pes, observed_rhs = _elements(lt, rhs)
    lhs_pes, observed_lhs = _elements(lt, lhs)
    shared = [pe for pe in rhs_pes if pe in observed_lhs]
    next_shared = shared.pop(0) if shared else None
    merged_rhs: set[PathElement] = set()
    out: list[Any] = []
    li = ri = 0
    while li < len(lhs_pes) or ri < len(rhs_pes):
        if li < len(lhs_pes) and ri < len(rhs_pes):
            pe = lhs_pes[li]
            if pe == rhs_pes[ri]:
                merged_rhs.add(pe)
                out.append(_merge(observed_lhs[pe], observed_rhs[pe], lt.element))
                li += 1
                ri += 1
                next_shared = shared.pop(0) if shared else None
                continue
            if pe in observed_rhs and next_shared is not None and next_shared != pe:
                li += 1
                continue
        if li < len(lhs_pes):
            pe = lhs_pes[li]
            if pe not in observed_rhs:
                item = lhs[li] if len(lhs_pes) == len(lhs) else observed_lhs[pe]
                out.append(_merge(item, MISSING, lt.element))
                li += 1
                continue
            if pe in merged_rhs:
                li += 1
                continue
        if ri < len(rhs_pes):
            pe = rhs_pes[ri]
            merged_rhs.add(pe)
            out.append(_merge(observed_lhs.get(pe, MISSING), observed_rhs[pe], lt.element))
            ri += 1
            if next_shared is not None and next_shared == pe:
                next_shared = shared.pop(0) if shared else None
    return out


# -- RemoveItems -------------------------------------------------------------------------------


def remove_items(value: Any, to_remove: Set, ref: Ref) -> Any:
    """TypedValue.RemoveItems: drop every field and item of `to_remove` (an emptied map or list is null)."""
    atom = ref.atom
    kind = handler(atom, value)
    if kind == "list":
        assert atom.list is not None
        lt = atom.list
        if not isinstance(value, list) or not value or lt.atomic:
            return None
        items: list[Any] = []
        for i, item in enumerate(value):
            try:
                pe = item_element(lt, item, i)
            except ItemError:
                pe = PathElement.of_index(i)
            if to_remove.has((pe,)):
                continue
            sub = to_remove.with_prefix(pe)
            items.append(remove_items(item, sub, lt.element) if not sub.empty() else item)
        return items or None
    if kind == "map":
        assert atom.map is not None
        if not isinstance(value, dict) or not value or atom.map.atomic:
            return None
        out: dict[str, Any] = {}
        for key, val in value.items():
            pe = PathElement.field(key)
            if to_remove.has((pe,)):
                continue
            sub = to_remove.with_prefix(pe)
            out[key] = remove_items(val, sub, _field_ref(atom, key) or DEDUCED) if not sub.empty() else val
        return out or None
    return value


def ensure_named_fields_are_members(s: Set, ref: Ref | None) -> Set:
    """Set.EnsureNamedFieldsAreMembers: a struct field with members below it becomes a member too."""
    atom = ref.atom if ref is not None else Atom()
    members = set(s.members)
    children: dict[PathElement, Set] = {}
    for pe, child in s.children.items():
        child_ref: Ref | None = None
        if pe.kind == FIELD and atom.map is not None:
            if pe.name in atom.map.fields:
                members.add(pe)
            child_ref = _field_ref(atom, pe.name)
        elif pe.kind == KEY and atom.list is not None:
            child_ref = atom.list.element
        children[pe] = ensure_named_fields_are_members(child, child_ref)
    return Set(members, children)
