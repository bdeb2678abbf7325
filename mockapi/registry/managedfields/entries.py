"""`metadata.managedFields` entries: manager identifiers, their ordering, the wire format (decode/encode
of `fieldsV1`, the reset rule), and a write's manager name (fieldManager or User-Agent)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mockapi.api.golang import go_quote
from mockapi.api.jsonio import go_json
from mockapi.api.objects import meta, parse_rfc3339, rfc3339
from mockapi.api.types import Obj
from mockapi.registry.managedfields.fieldpath import BadPathElement, Set
from mockapi.registry.managedfields.updater import Managers, VersionedSet


@dataclass(frozen=True, slots=True)
class ManagerKey:
    """A manager identifier (BuildManagerIdentifier): Apply entries ignore the apiVersion."""

    manager: str
    operation: str
    api_version: str = ""
    subresource: str = ""

    def identifier(self) -> str:
        entry: dict[str, str] = {}
        for name, value in (
            ("manager", self.manager),
            ("operation", self.operation),
            ("apiVersion", self.api_version),
            ("subresource", self.subresource),
        ):
            if value:
                entry[name] = value
        return go_json(entry).decode()

    def printed(self) -> str:
        """printManager: `"name"`, `with subresource "s"`, and `using <apiVersion>` for updates."""
        text = go_quote(self.manager)
        if self.subresource:
            text += f" with subresource {go_quote(self.subresource)}"
        if self.operation == "Update":
            text += f" using {self.api_version}"
        return text


CURRENT = ManagerKey("current-operation", "")
"""managedFieldsUpdater's stand-in for the writer while it finds out what the write changed."""


def sort_key(key: ManagerKey) -> str:
    return key.identifier()


@dataclass(slots=True)
class Managed:
    fields: Managers = field(default_factory=dict)
    times: dict[ManagerKey, str | None] = field(default_factory=dict)


class DecodeError(ValueError):
    pass


# -- wire format -------------------------------------------------------------------------------


def decode(entries: Any) -> Managed:
    """DecodeManagedFields; raises DecodeError for an entry kube-apiserver could not use."""
    managed = Managed()
    if entries is None:
        return managed
    if not isinstance(entries, list):
        raise DecodeError("managedFields must be a list")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise DecodeError(f"managed fields entry {i} is not an object")
        operation = entry.get("operation")
        if operation not in ("Apply", "Update"):
            raise DecodeError("operation must be `Apply` or `Update`")
        api_version = entry.get("apiVersion") or ""
        if not isinstance(api_version, str) or not api_version:
            raise DecodeError("apiVersion must not be empty")
        fields_type = entry.get("fieldsType") or ""
        if fields_type == "":
            raise DecodeError(f"missing fieldsType in managed fields entry {i}")
        if fields_type != "FieldsV1":
            raise DecodeError(f"invalid fieldsType {go_quote(str(fields_type))} in managed fields entry {i}")
        manager, subresource = entry.get("manager") or "", entry.get("subresource") or ""
        if not isinstance(manager, str) or not isinstance(subresource, str):
            raise DecodeError(f"managed fields entry {i} has a malformed manager")
        key = ManagerKey(manager, operation, "" if operation == "Apply" else api_version, subresource)
        raw = entry.get("fieldsV1")
        try:
            owned = Set.from_fields(raw if raw is not None else {})
        except BadPathElement as exc:
            raise DecodeError(f"error decoding set: {exc}") from None
        managed.fields[key] = VersionedSet(owned, api_version, operation == "Apply")
        when = entry.get("time")
        managed.times[key] = when if isinstance(when, str) else None
    return managed


_stamp: tuple[int, str] = (-1, "")


def now_rfc3339() -> str:
    """`objects.now_rfc3339`, formatted once a second rather than for every write's entry."""
    global _stamp
    second = int(time.time())
    if _stamp[0] != second:
        _stamp = (second, rfc3339(datetime.fromtimestamp(second, UTC)))
    return _stamp[1]


def seconds(when: str | None) -> int:
    if not when:
        return 0
    try:
        return int(parse_rfc3339(when).timestamp())
    except ValueError:
        return 0


def encode(managed: Managed) -> list[Obj] | None:
    """encodeManagedFields: None when nothing is managed (the field is then omitted)."""
    if not managed.fields:
        return None
    entries: list[Obj] = []
    for key, owned in managed.fields.items():
        entry: Obj = {}
        if key.manager:
            entry["manager"] = key.manager
        entry["operation"] = "Apply" if owned.applied else key.operation
        entry["apiVersion"] = owned.api_version
        when = managed.times.get(key)
        if when:
            entry["time"] = when
        entry["fieldsType"] = "FieldsV1"
        entry["fieldsV1"] = owned.set.to_fields()
        if key.subresource:
            entry["subresource"] = key.subresource
        entries.append(entry)
    entries.sort(
        key=lambda e: (
            e["operation"],
            seconds(e.get("time")),
            e.get("manager", ""),
            e["apiVersion"],
            e.get("subresource", ""),
        )
    )
    return entries


def is_reset(entries: Any) -> bool:
    """isResetManagedFields: `[]`, or a single empty entry, asks to drop all managed fields."""
    if not isinstance(entries, list):
        return False
    if not entries:
        return True
    if len(entries) != 1 or not isinstance(entries[0], dict):
        return False
    return all(entries[0].get(k) in (None, "") for k in _ENTRY_FIELDS)


_ENTRY_FIELDS = ("manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource")


def set_managed_fields(obj: Obj, entries: list[Obj] | None) -> None:
    m = meta(obj)
    m.pop("managedFields", None)
    if entries:
        m["managedFields"] = entries


# -- who the manager is -------------------------------------------------------------------------


def manager_or_user_agent(manager: str, user_agent: str) -> str:
    """managerOrUserAgent: the fieldManager, else the User-Agent up to its first `/` (printable
    characters only, at most 128 bytes)."""
    if manager:
        return manager
    out = ""
    for ch in user_agent.split("/", 1)[0]:
        if not ch.isprintable():
            continue
        if len((out + ch).encode()) > 128:
            break
        out += ch
    return out


def manager_for_user(manager: str, user_name: str) -> str:
    """The manager of a write mockapi makes itself: the component kube-apiserver would have seen."""
    if manager:
        return manager
    if user_name == "system:apiserver":
        return "kube-apiserver"
    if user_name.startswith("system:serviceaccount:kube-system:") or user_name == "system:kube-controller-manager":
        return "kube-controller-manager"
    if user_name.startswith("system:node:"):
        return "kubelet"
    return ""
