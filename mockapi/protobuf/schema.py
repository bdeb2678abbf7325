"""The protobuf schema of the built-in kinds: field numbers from the descriptors, JSON facts from Go.

Two data files (see `data/README.md` for provenance), loaded once, on first use:

* `k8s-descriptors-<minor>.binpb`: a FileDescriptorSet of every k8s.io/api and k8s.io/apimachinery
  generated.proto, as embedded in kubectl. Gives each message's fields: number, proto type, label,
  message type, map entries.
* `k8s-gotypes-<minor>.json`: for each message, the Go struct behind it, field by field, in Go
  declaration order: json name (the Go json tag; usually, but not always, the proto field name),
  `omitempty`, embedded `,inline` structs, and the reflect kind of the Go field (`ptr`, `slice`, `map`,
  `struct`, or the scalar kind). These decide what Go's encoding/json emits for a decoded object.

`MessageSpec.fields` are in Go order, which is the JSON order. Messages whose Go type has its own
MarshalJSON (Time, Quantity, IntOrString, ...) are listed in SPECIAL_JSON and handled by name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeAlias

from google.protobuf import descriptor_pb2  # type: ignore[import-untyped,unused-ignore]

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_MINOR = "1.33"

# google.protobuf.FieldDescriptorProto.Type values
TYPE_DOUBLE, TYPE_FLOAT, TYPE_INT64, TYPE_UINT64, TYPE_INT32 = 1, 2, 3, 4, 5
TYPE_FIXED64, TYPE_FIXED32, TYPE_BOOL, TYPE_STRING, TYPE_GROUP = 6, 7, 8, 9, 10
TYPE_MESSAGE, TYPE_BYTES, TYPE_UINT32, TYPE_ENUM, TYPE_SFIXED32 = 11, 12, 13, 14, 15
TYPE_SFIXED64, TYPE_SINT32, TYPE_SINT64 = 16, 17, 18
LABEL_REPEATED = 3

Special = Literal[
    "time",
    "microtime",
    "duration",
    "quantity",
    "intorstring",
    "fieldsv1",
    "rawextension",
    "unknown",
    "groupversion",
]

SPECIAL_JSON: dict[str, Special] = {
    "k8s.io.apimachinery.pkg.apis.meta.v1.Time": "time",
    "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime": "microtime",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Duration": "duration",
    "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": "fieldsv1",
    "k8s.io.apimachinery.pkg.apis.meta.v1.GroupVersion": "groupversion",
    "k8s.io.apimachinery.pkg.api.resource.Quantity": "quantity",
    "k8s.io.apimachinery.pkg.api.resource.QuantityValue": "quantity",
    "k8s.io.apimachinery.pkg.util.intstr.IntOrString": "intorstring",
    "k8s.io.apimachinery.pkg.runtime.RawExtension": "rawextension",
    "k8s.io.apimachinery.pkg.runtime.Unknown": "unknown",
}
"""Messages whose Go type implements json.Marshaler; the extraction script checks this list against the
method sets in the binary, so a new custom-JSON type cannot slip through unnoticed."""

UNKNOWN = "k8s.io.apimachinery.pkg.runtime.Unknown"
META_V1 = "k8s.io.apimachinery.pkg.apis.meta.v1"

# Kinds that metav1.AddToGroupVersion registers in every group/version, and the unversioned kinds
# registered in core "v1" (apimachinery/pkg/apis/meta/v1/register.go).
META_KINDS_EVERYWHERE = frozenset(
    {"WatchEvent", "ListOptions", "GetOptions", "DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions"}
)
META_KINDS_CORE = frozenset({"Status", "APIVersions", "APIGroupList", "APIGroup", "APIResourceList"})


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a message: the proto side (number, type) and the Go/JSON side."""

    number: int
    """Field number; 0 for a Go-only field (embedded TypeMeta, `json:"-"` fields)."""
    proto_name: str
    json_name: str
    """The Go json tag's name; "" for an embedded `,inline` struct whose fields are promoted."""
    proto_type: int
    """FieldDescriptorProto.Type (TYPE_STRING, TYPE_MESSAGE, ...); 0 for Go-only fields."""
    repeated: bool
    message: str
    """Full name of the message type (no leading dot), "" for scalars."""
    go_kind: str
    """reflect kind of the Go field: ptr, slice, map, struct, string, bool, int32, int64, ..."""
    omitempty: bool
    inline: bool
    packed: bool = False
    map_key: FieldSpec | None = None
    map_value: FieldSpec | None = None

    @property
    def hidden(self) -> bool:
        """`json:"-"`: never part of the JSON form."""
        return self.json_name == "-"

    @property
    def is_map(self) -> bool:
        return self.map_value is not None


@dataclass(frozen=True, slots=True)
class MessageSpec:
    name: str
    go_type: str
    go_kind: str
    """`struct` for nearly all; `slice` for named string-slice types (ExtraValue, Verbs: `items` in proto)."""
    special: Special | None
    fields: tuple[FieldSpec, ...]
    """In Go declaration order (the JSON order)."""
    by_number: dict[int, FieldSpec] = field(default_factory=dict)
    by_json: dict[str, FieldSpec] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Schema:
    minor: str
    messages: Mapping[str, MessageSpec]
    packages: frozenset[str]
    source: dict[str, str]

    def message(self, name: str) -> MessageSpec:
        return self.messages[name]

    def message_for_kind(self, api_version: str, kind: str) -> MessageSpec | None:
        """The message of a top-level kind (`apps/v1`, `Deployment`), or None if there is none."""
        group, _, version = api_version.rpartition("/")
        if not version or not kind:
            return None
        package = package_for(group, version)
        if package is not None and package in self.packages:
            found = self.messages.get(f"{package}.{kind}")
            if found is not None and not found.special:
                return found
        if kind in META_KINDS_EVERYWHERE or (group == "" and kind in META_KINDS_CORE):
            return self.messages.get(f"{META_V1}.{kind}")
        return None


def package_for(group: str, version: str) -> str | None:
    """The proto package of an API group/version: k8s.io/api/<dir>/<version>, dir = the group's first label."""
    if group == "":
        return f"k8s.io.api.core.{version}"
    if group == "meta.k8s.io":
        return f"k8s.io.apimachinery.pkg.apis.meta.{version}"
    if group == "internal.apiserver.k8s.io":
        return f"k8s.io.api.apiserverinternal.{version}"
    first = group.split(".", 1)[0]
    if not first.isalnum():
        return None
    return f"k8s.io.api.{first}.{version}"


# -- loading -----------------------------------------------------------------------------------------


FieldProto: TypeAlias = descriptor_pb2.FieldDescriptorProto
MapEntries: TypeAlias = dict[str, tuple[FieldProto, FieldProto]]


def _field_spec(proto: FieldProto | None, go: dict[str, object] | None, entries: MapEntries) -> FieldSpec:
    """Join a FieldDescriptorProto (None for Go-only fields) with its Go facts (None inside map entries)."""
    go = go or {}
    json_name = str(go.get("json", proto.name if proto is not None else ""))
    go_kind, omitempty, inline = str(go.get("type", "")), bool(go.get("omitempty")), bool(go.get("inline"))
    if proto is None:
        return FieldSpec(0, "", json_name, 0, False, "", go_kind, omitempty, inline)
    type_name = str(proto.type_name).lstrip(".")
    map_key = map_value = None
    if type_name in entries:
        key_proto, value_proto = entries[type_name]
        map_key, map_value = _field_spec(key_proto, None, entries), _field_spec(value_proto, None, entries)
    return FieldSpec(
        number=int(proto.number),
        proto_name=str(proto.name),
        json_name=json_name,
        proto_type=int(proto.type),
        repeated=int(proto.label) == LABEL_REPEATED,
        message=type_name if int(proto.type) == TYPE_MESSAGE else "",
        go_kind=go_kind,
        omitempty=omitempty,
        inline=inline,
        packed=bool(proto.options.packed),
        map_key=map_key,
        map_value=map_value,
    )


class _Messages(Mapping[str, "MessageSpec"]):
    """The message specs, each built when first asked for (building all of them is a large part of
    start-up, and a server needs a few dozen)."""

    def __init__(
        self, protos: dict[str, descriptor_pb2.DescriptorProto], entries: MapEntries, go_messages: dict[str, Any]
    ) -> None:
        self._protos, self._entries, self._go = protos, entries, go_messages
        self._built: dict[str, MessageSpec] = {}

    def __getitem__(self, name: str) -> MessageSpec:
        spec = self._built.get(name)
        if spec is None:
            spec = self._built[name] = _message_spec(name, self._protos[name], self._go, self._entries)
        return spec

    def __iter__(self) -> Iterator[str]:
        return iter(self._protos)

    def __len__(self) -> int:
        return len(self._protos)


def _message_spec(
    name: str, msg: descriptor_pb2.DescriptorProto, go_messages: dict[str, Any], entries: MapEntries
) -> MessageSpec:
    go = go_messages.get(name)
    if go is None:
        raise ValueError(f"gotypes data has no entry for {name}")
    by_number_proto: dict[int, FieldProto] = {int(f.number): f for f in msg.field}
    fields: list[FieldSpec] = []
    for go_field in go.get("fields", []):
        number = go_field.get("number")
        proto = by_number_proto.get(number) if isinstance(number, int) else None
        if isinstance(number, int) and proto is None:
            raise ValueError(f"{name}: Go field {go_field.get('go')} has number {number}, not in the descriptor")
        fields.append(_field_spec(proto, go_field, entries))
    if go.get("kind") == "slice":  # `message ExtraValue { repeated string items = 1; }` is a Go []string
        fields = [_field_spec(f, {"json": "items", "type": "slice"}, entries) for f in by_number_proto.values()]
    spec = MessageSpec(
        name=name,
        go_type=str(go.get("go", "")),
        go_kind=str(go.get("kind", "struct")),
        special=SPECIAL_JSON.get(name),
        fields=tuple(fields),
    )
    spec.by_number.update({f.number: f for f in fields if f.number})
    spec.by_json.update({f.json_name: f for f in fields if f.json_name and not f.hidden})
    if spec.special is not None:  # special types are read by number, straight from the descriptor
        for number, f in by_number_proto.items():
            spec.by_number.setdefault(number, _field_spec(f, None, entries))
    missing = set(by_number_proto) - set(spec.by_number)
    if missing:
        raise ValueError(f"{name}: proto fields {sorted(missing)} have no Go field")
    return spec


def load_schema(binpb: bytes, gotypes: dict[str, Any]) -> Schema:
    """Index a FileDescriptorSet and the Go facts of its messages (both as written by the extraction script);
    a message's spec is built, and checked against its Go facts, on first use."""
    fds = descriptor_pb2.FileDescriptorSet.FromString(binpb)
    protos: dict[str, descriptor_pb2.DescriptorProto] = {}
    entries: MapEntries = {}
    packages: set[str] = set()

    def walk(prefix: str, msg: descriptor_pb2.DescriptorProto) -> None:
        full = f"{prefix}.{msg.name}"
        if msg.options.map_entry:
            by_name = {str(f.name): f for f in msg.field}
            entries[full] = (by_name["key"], by_name["value"])
        else:
            protos[full] = msg
        for nested in msg.nested_type:
            walk(full, nested)

    for fd in fds.file:
        packages.add(str(fd.package))
        for msg in fd.message_type:
            walk(str(fd.package), msg)

    messages = _Messages(protos, entries, gotypes["messages"])
    source = {str(k): str(v) for k, v in gotypes.get("source", {}).items()}
    return Schema(minor="", messages=messages, packages=frozenset(packages), source=source)


@cache
def schema(minor: str = DEFAULT_MINOR) -> Schema:
    """The schema for one Kubernetes minor release, loaded on first use and kept."""
    binpb = (DATA_DIR / f"k8s-descriptors-{minor}.binpb").read_bytes()
    gotypes = json.loads((DATA_DIR / f"k8s-gotypes-{minor}.json").read_text())
    loaded = load_schema(binpb, gotypes)
    return Schema(minor=minor, messages=loaded.messages, packages=loaded.packages, source=loaded.source)
