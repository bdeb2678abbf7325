"""Who owns what after a write (structured-merge-diff `merge.Updater`).

* `update`: an ordinary write. The writer takes every field it added or changed, from whoever owned
  it; a removed field leaves every owner.
* `apply`: merges a configuration into the live object. The applier owns exactly the fields of its
  configuration; a change to a field another manager owns is a conflict unless forced (forcing takes
  the field from them); fields the applier applied last time but not now are removed from the object
  unless some other manager still owns them (`prune`).

All API versions are treated as one (mockapi serves each kind in one version), so upstream's
conversions between the versions managers used are identities here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockapi.registry.managedfields.fieldpath import Path, Set, value_equal
from mockapi.registry.managedfields.schema import Ref
from mockapi.registry.managedfields.typed import (
    Comparison,
    compare,
    ensure_named_fields_are_members,
    merge,
    remove_items,
    to_field_set,
)


@dataclass(frozen=True, slots=True)
class VersionedSet:
    set: Set
    api_version: str
    applied: bool


Managers = dict[Any, VersionedSet]
"""Manager identifier (any hashable, see `manager.ManagerKey`) -> the fields it owns."""


class Conflicts(Exception):
    """Fields of other managers an apply would change: (manager, path) pairs, managers in `order`."""

    def __init__(self, conflicts: list[tuple[Any, Path]]) -> None:
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} conflict(s)")

    def as_set(self) -> Set:
        return Set.of(*(path for _m, path in self.conflicts))


def conflicts_from_managers(sets: Managers, order: list[Any]) -> Conflicts:
    """ConflictsFromManagers: each manager's conflicting paths in Set.Iterate order."""
    return Conflicts([(m, path) for m in order if m in sets for path in sets[m].set.iterate()])


def _update(
    old: Any,
    new: Any,
    ref: Ref,
    version: str,
    managers: Managers,
    workflow: Any,
    force: bool,
    sort_key: Any,
) -> tuple[Managers, Comparison]:
    cmp = compare(old, new, ref)
    changed = cmp.modified.union(cmp.added)
    conflicts: Managers = {}
    removed: dict[Any, Set] = {}
    for manager, owned in managers.items():
        if manager == workflow:
            continue
        taken = owned.set.intersection(changed)
        if not taken.empty():
            conflicts[manager] = VersionedSet(taken, owned.api_version, False)
        if not cmp.removed.empty():
            removed[manager] = cmp.removed
    if not force and conflicts:
        raise conflicts_from_managers(conflicts, sorted(conflicts, key=sort_key))
    for manager, conflict in conflicts.items():
        owned = managers[manager]
        managers[manager] = VersionedSet(owned.set.difference(conflict.set), owned.api_version, owned.applied)
    for manager, gone in removed.items():
        owned = managers[manager]
        managers[manager] = VersionedSet(owned.set.difference(gone), owned.api_version, owned.applied)
    for manager in [m for m, owned in managers.items() if owned.set.empty()]:
        del managers[manager]
    return managers, cmp


def update(live: Any, new: Any, ref: Ref, version: str, managers: Managers, manager: Any, sort_key: Any) -> Managers:
    """Updater.Update: ownership after `live` became `new` through an ordinary write by `manager`."""
    managers, cmp = _update(live, new, ref, version, dict(managers), manager, True, sort_key)
    base = managers.get(manager)
    owned = (base.set if base is not None else Set()).union(cmp.modified).union(cmp.added).difference(cmp.removed)
    if owned.empty():
        managers.pop(manager, None)
    else:
        managers[manager] = VersionedSet(owned, version, False)
    return managers


def apply(
    live: Any, config: Any, ref: Ref, version: str, managers: Managers, manager: Any, force: bool, sort_key: Any
) -> tuple[Any | None, Managers]:
    """Updater.Apply: the merged object (None when nothing changed) and the new ownership.

    Raises `Conflicts` when `config` changes fields other managers own and `force` is off.
    """
    managers = dict(managers)
    new = merge(live, config, ref)
    last = managers.get(manager)
    managers[manager] = VersionedSet(to_field_set(config, ref), version, True)
    new = _prune(new, managers, manager, last, ref)
    managers, _cmp = _update(live, new, ref, version, managers, manager, force, sort_key)
    if value_equal(live, new):
        return None, managers
    return new, managers


def _ensure(s: Set, ref: Ref) -> Set:
    return ensure_named_fields_are_members(s, ref)


def _prune(merged: Any, managers: Managers, manager: Any, last: VersionedSet | None, ref: Ref) -> Any:
    """Remove what `manager` applied last time and no longer applies, unless someone else owns it."""
    if last is None or last.set.empty():
        return merged
    pruned = remove_items(merged, _ensure(last.set, ref), ref)
    # add back what any manager (the applier's new configuration included) owns
    managed = Set()
    for owned in managers.values():
        managed = managed.union(owned.set)
    merged_set = _ensure(to_field_set(merged, ref), ref)
    pruned_set = _ensure(to_field_set(pruned, ref), ref)
    pruned = remove_items(merged, merged_set.difference(pruned_set.union(_ensure(managed, ref))), ref)
    # ... and anything the applier did not own before (it must never remove what it did not apply)
    pruned_set = _ensure(to_field_set(pruned, ref), ref)
    return remove_items(merged, merged_set.difference(pruned_set).intersection(_ensure(last.set, ref)), ref)
