"""The fields a create sets, built from the new object in one walk (the fast path of `track_update`).

An ordinary write owns what `typed.compare(live, new)` finds modified or added, less what it finds
removed; for a create `live` is the kind's empty object. That holds only the zero values of the fields
its Go type always writes (`metadata.creationTimestamp: null`, a Deployment's `spec.strategy: {}`, ...),
so nearly all of the new object is absent from it, and an absent subtree compares as wholly added: each
of its nodes is a member. `created_set` walks the new object alongside the empty one, adds each subtree
the empty object lacks straight into the result's tree (no path tuples rebuilt, no inserts from the
root, no handler lookups on the missing side), and hands the few nodes both sides hold to
`typed.compare`'s own walker, so the result is the diff's by construction (tests compare the two over
a table of objects and generated ones).
"""

from __future__ import annotations

from typing import Any

from mockapi.registry.managedfields.fieldpath import Path, PathElement, Set
from mockapi.registry.managedfields.schema import DEDUCED, Ref
from mockapi.registry.managedfields.typed import (
    MISSING,
    Comparison,
    compare_node,
    field_ref,
    handler,
    index_items,
)


def created_set(empty: Any, new: Any, ref: Ref) -> Set:
    """What `compare(empty, new, ref)` finds modified or added, less what it finds removed (a new
    Set, the caller's to change); `empty` is only read."""
    c = Comparison(Set(), Set(), Set())
    _walk(empty, new, ref, (), c)
    owned = c.added  # the three sets are this walk's own: combined in place, no tree copied
    _add_members(owned, c.modified)
    remove_members(owned, c.removed)
    return owned


def _add_members(s: Set, other: Set) -> None:
    """`s = s.union(other)` in place; `other` is given up (its nodes may become `s`'s)."""
    s.members |= other.members
    for pe, theirs in other.children.items():
        mine = s.children.get(pe)
        if mine is None:
            s.children[pe] = theirs
        else:
            _add_members(mine, theirs)


def remove_members(s: Set, other: Set) -> None:
    """`s = s.difference(other)` in place, without copying `s`'s tree: the members of `other` leave `s`,
    what lies below them stays."""
    s.members -= other.members
    for pe, theirs in other.children.items():
        mine = s.children.get(pe)
        if mine is not None:
            remove_members(mine, theirs)
            if mine.empty():
                del s.children[pe]


def _walk(l: Any, r: Any, ref: Ref, path: Path, c: Comparison) -> None:  # noqa: E741
    """`compare`'s `_compare(l, r)` for `l` present. Two granular maps are walked here (keys of `l`
    first, then those only `r` has, as `_compare_as` orders them); a list against a zero value the type
    also reads as a list (`containers: null`) has every item added, itself not; any other pair goes to
    the diff."""
    if type(l) is type(r) and (l is None or type(l) is str) and l == r:
        return  # equal strings or nulls compare as nothing, whatever the type (`kind`, `apiVersion`)
    atom = ref.atom
    m = atom.map
    if isinstance(l, dict) and isinstance(r, dict) and m is not None and not m.atomic and (l or r):
        node: Set | None = None
        for key, value in l.items():
            _walk(value, r.get(key, MISSING), field_ref(atom, key) or DEDUCED, (*path, PathElement.field(key)), c)
        for key, value in r.items():
            if key not in l:
                if node is None:
                    node = _node(c.added, path)
                _add(node, PathElement.field(key), value, field_ref(atom, key) or DEDUCED)
        return
    lt = atom.list
    if (
        r
        and isinstance(r, list)
        and not isinstance(l, (dict, list))
        and lt is not None
        and not lt.atomic
        and handler(atom, r) == handler(atom, l) == "list"  # `_compare_as` once, nothing on the left to index
    ):
        items = index_items(lt, r)
        if items:
            node = _node(c.added, path)
            for item_pe, item in items.items():
                _add(node, item_pe, item, lt.element)
        return
    compare_node(l, r, ref, path, c)


def _node(root: Set, path: Path) -> Set:
    """The node of `root` that holds `path`'s members, created along the way."""
    node = root
    for pe in path:
        child = node.children.get(pe)
        if child is None:
            child = node.children[pe] = Set()
        node = child
    return node


def _add(node: Set, pe: PathElement, v: Any, ref: Ref) -> None:
    """`_compare(MISSING, v)` at `node`/`pe`: `pe` is added, and so is everything under it."""
    node.members.add(pe)
    atom = ref.atom
    kind = handler(atom, v)
    if kind == "list":
        lt = atom.list
        assert lt is not None
        if lt.atomic or not isinstance(v, list) or not v:
            return
        items = index_items(lt, v)
        if items:
            child = _node(node, (pe,))
            for item_pe, item in items.items():
                _add(child, item_pe, item, lt.element)
    elif kind == "map":
        m = atom.map
        assert m is not None
        if m.atomic or not isinstance(v, dict) or not v:
            return
        child = _node(node, (pe,))
        for key, value in v.items():
            _add(child, PathElement.field(key), value, field_ref(atom, key) or DEDUCED)
