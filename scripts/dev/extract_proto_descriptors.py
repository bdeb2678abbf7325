#!/usr/bin/env python3
"""Extract Kubernetes' protobuf schemas, and the Go JSON facts that go with them, from a kubectl binary.

A kubectl binary (a statically linked Go program) embeds two authoritative, machine-readable sources:

1. **FileDescriptorProtos.** Every `k8s.io/api/<group>/<version>/generated.proto` and
   `k8s.io/apimachinery/.../generated.proto` is registered at init time with
   `proto.RegisterFile(name, gzippedFileDescriptorProto)` (gogo/golang protobuf). The gzip members sit
   in `.rodata`; we scan for the gzip magic `1f 8b 08`, gunzip, and keep the members that parse as a
   `google.protobuf.FileDescriptorProto` whose package is `k8s.io.api.*` or `k8s.io.apimachinery.*`.
   These give message names, field numbers, types and labels.

2. **Go runtime type metadata** (`internal/abi.Type`/`StructType`/`UncommonType`, reached from the
   `.typelink` section), which `encoding/json` and `reflect` need and which therefore survive
   stripping. For every Go struct of those packages we read each field's Go name, struct tag
   (`json:"replicas,omitempty" protobuf:"varint,1,opt,name=replicas"`), whether it is embedded, and
   the reflect kind of its type (pointer, slice, map, struct, string, ...), and for every named type
   whether it (or its pointer) has a `MarshalJSON` method. generated.proto does not carry the JSON
   facts (json name, `omitempty`, `,inline`, pointer-ness) that decide what Go's JSON encoder emits;
   these do.

Writes (to --out-dir, default mockapi/protobuf/data):
  * k8s-descriptors-<minor>.binpb  a serialized `google.protobuf.FileDescriptorSet` (files sorted by name)
  * k8s-gotypes-<minor>.json       per proto message: the Go type and its fields' JSON facts (format in
                                   mockapi/protobuf/data/README.md)

Cross-checks (any failure aborts): every field's protobuf tag names the descriptor's field number and
name; every json name equals the proto field name except embedded `,inline` fields; every message of
the kept packages has a Go type; the set of Go types with custom JSON marshalling equals the set the
decoder special-cases (mockapi.protobuf.schema.SPECIAL_JSON).

Usage: python scripts/dev/extract_proto_descriptors.py [--kubectl PATH] [--minor 1.33] [--check]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2

REPO = Path(__file__).resolve().parents[2]
DEFAULT_KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.{minor}"
PACKAGES = ("k8s.io.api.", "k8s.io.apimachinery.")
GO_PACKAGES = ("k8s.io/api/", "k8s.io/apimachinery/")

# The Go types whose JSON form is custom (MarshalJSON), keyed by proto message; must equal what the
# binary says. Kept in sync with mockapi/protobuf/schema.py SPECIAL_JSON (checked below).
sys.path.insert(0, str(REPO))

# reflect kinds (internal/abi.Kind)
KINDS = {
    1: "bool", 2: "int", 3: "int8", 4: "int16", 5: "int32", 6: "int64", 7: "uint", 8: "uint8",
    9: "uint16", 10: "uint32", 11: "uint64", 12: "uintptr", 13: "float32", 14: "float64",
    15: "complex64", 16: "complex128", 17: "array", 18: "chan", 19: "func", 20: "interface",
    21: "map", 22: "ptr", 23: "slice", 24: "string", 25: "struct", 26: "unsafe.Pointer",
}
TFLAG_UNCOMMON, TFLAG_EXTRA_STAR = 1, 2
TYPE_SIZE = 48  # internal/abi.Type on 64-bit platforms (Go 1.21 - 1.24)
PROTOBUF_TAG = re.compile(r'protobuf:"([^"]*)"')
JSON_TAG = re.compile(r'json:"([^"]*)"')


class ExtractError(Exception):
    """The binary does not look as expected, or a cross-check failed."""


# -- ELF and Go runtime type metadata ---------------------------------------------------------------


class Binary:
    def __init__(self, data: bytes) -> None:
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ExtractError("not a 64-bit little-endian ELF file")
        self.data = data
        shoff = struct.unpack_from("<Q", data, 0x28)[0]
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
        raw = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
        strtab = raw[shstrndx][4]
        self.sections: dict[str, tuple[int, int, int]] = {}
        for name_off, _typ, _flags, addr, off, size in raw:
            end = data.index(b"\0", strtab + name_off)
            self.sections[data[strtab + name_off : end].decode()] = (addr, off, size)
        for needed in (".rodata", ".typelink"):
            if needed not in self.sections:
                raise ExtractError(f"no {needed} section (not a Go binary?)")
        # moduledata.types is the start of .rodata for internally linked Go ELF binaries.
        self.types = self.sections[".rodata"][0]

    def read(self, addr: int, n: int) -> bytes:
        for a, off, size in self.sections.values():
            if a <= addr < a + size:
                return self.data[off + addr - a : off + addr - a + n]
        raise ExtractError(f"address {addr:#x} is in no section")

    def u64(self, addr: int) -> int:
        return int(struct.unpack("<Q", self.read(addr, 8))[0])

    def i32(self, addr: int) -> int:
        return int(struct.unpack("<i", self.read(addr, 4))[0])

    def u16(self, addr: int) -> int:
        return int(struct.unpack("<H", self.read(addr, 2))[0])

    def _varint(self, addr: int) -> tuple[int, int]:
        value = shift = n = 0
        while True:
            b = self.read(addr + n, 1)[0]
            n += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return value, n

    def name(self, addr: int) -> tuple[int, str, str]:
        """internal/abi.Name: flags byte, varint length, bytes, [varint length, tag bytes]."""
        flags = self.read(addr, 1)[0]
        length, n = self._varint(addr + 1)
        text = self.read(addr + 1 + n, length).decode("utf-8", "replace")
        tag = ""
        if flags & 2:
            tlen, tn = self._varint(addr + 1 + n + length)
            tag = self.read(addr + 1 + n + length + tn, tlen).decode("utf-8", "replace")
        return flags, text, tag

    def typelinks(self) -> list[int]:
        _addr, off, size = self.sections[".typelink"]
        return [self.types + o for o in struct.unpack_from(f"<{size // 4}i", self.data, off)]


@dataclass
class GoField:
    name: str
    tag: str
    embedded: bool
    type_addr: int


@dataclass
class GoType:
    addr: int
    kind: str
    name: str  # as the runtime prints it: "v1.DeploymentSpec", "*int32"
    pkg_path: str  # "" for unnamed types
    fields: list[GoField]
    methods: list[str]


class GoTypes:
    """Every type reachable from .typelink (through elements, fields and pointer-to-this)."""

    def __init__(self, binary: Binary) -> None:
        self.b = binary
        self.types: dict[int, GoType] = {}
        stack = binary.typelinks()
        while stack:
            addr = stack.pop()
            if addr in self.types or addr == 0:
                continue
            t = self._read(addr)
            self.types[addr] = t
            stack.extend(f.type_addr for f in t.fields)
            if t.kind in ("ptr", "slice", "array", "chan"):
                stack.append(binary.u64(addr + TYPE_SIZE))
            elif t.kind == "map":
                stack.extend((binary.u64(addr + TYPE_SIZE), binary.u64(addr + TYPE_SIZE + 8)))
            ptr_to_this = binary.i32(addr + 44)
            if ptr_to_this:
                stack.append(binary.types + ptr_to_this)

    def _uncommon_offset(self, kind: str) -> int | None:
        extra = {"struct": 32, "ptr": 8, "slice": 8, "array": 24, "chan": 16}.get(kind)
        if extra is not None:
            return TYPE_SIZE + extra
        if kind in ("map", "func", "interface"):
            return None  # layouts not needed here
        return TYPE_SIZE

    def _read(self, addr: int) -> GoType:
        b = self.b
        tflag = b.read(addr + 20, 1)[0]
        kind = KINDS.get(b.read(addr + 23, 1)[0] & 0x1F, "?")
        name = b.name(b.types + b.i32(addr + 40))[1]
        if tflag & TFLAG_EXTRA_STAR:
            name = name[1:]
        fields: list[GoField] = []
        if kind == "struct":
            fptr, flen = b.u64(addr + TYPE_SIZE + 8), b.u64(addr + TYPE_SIZE + 16)
            for i in range(flen):
                flags, fname, tag = b.name(b.u64(fptr + 24 * i))
                fields.append(GoField(fname, tag, bool(flags & 8), b.u64(fptr + 24 * i + 8)))
        pkg_path, methods = "", []
        off = self._uncommon_offset(kind)
        if tflag & TFLAG_UNCOMMON and off is not None:
            u = addr + off
            pkg_off = b.i32(u)
            pkg_path = b.name(b.types + pkg_off)[1] if pkg_off else ""
            mcount, moff = b.u16(u + 4), struct.unpack("<I", b.read(u + 8, 4))[0]
            for i in range(mcount):
                methods.append(b.name(b.types + b.i32(u + moff + 16 * i))[1])
        return GoType(addr, kind, name, pkg_path, fields, methods)


# -- descriptors ------------------------------------------------------------------------------------


def find_descriptors(data: bytes) -> list[descriptor_pb2.FileDescriptorProto]:
    found: dict[str, descriptor_pb2.FileDescriptorProto] = {}
    pos = 0
    while (i := data.find(b"\x1f\x8b\x08", pos)) >= 0:
        pos = i + 1
        d = zlib.decompressobj(31)
        try:
            raw = d.decompress(data[i : i + (1 << 22)])
        except zlib.error:
            continue
        if not d.eof:
            continue
        try:
            fd = descriptor_pb2.FileDescriptorProto.FromString(raw)
        except Exception:  # arbitrary gzip members are not descriptors
            continue
        if not fd.name.endswith(".proto") or not fd.package.startswith(PACKAGES):
            continue
        if fd.name in found and found[fd.name].SerializeToString() != fd.SerializeToString():
            raise ExtractError(f"two different descriptors registered as {fd.name}")
        found[fd.name] = fd
    return [found[name] for name in sorted(found)]


def iter_messages(fd: descriptor_pb2.FileDescriptorProto) -> list[tuple[str, descriptor_pb2.DescriptorProto]]:
    out: list[tuple[str, descriptor_pb2.DescriptorProto]] = []

    def walk(prefix: str, msg: descriptor_pb2.DescriptorProto) -> None:
        full = f"{prefix}.{msg.name}"
        out.append((full, msg))
        for nested in msg.nested_type:
            walk(full, nested)

    for msg in fd.message_type:
        walk(fd.package, msg)
    return out


# -- joining the two --------------------------------------------------------------------------------


def _json_tag(tag: str) -> tuple[str, bool, bool]:
    """(json name, omitempty, present) from a struct tag; name '-' means never in JSON."""
    m = JSON_TAG.search(tag)
    if not m:
        return "", False, False
    name, *opts = m.group(1).split(",")
    return name, "omitempty" in opts, True


def build_gotypes(
    descriptors: list[descriptor_pb2.FileDescriptorProto], gotypes: GoTypes
) -> tuple[dict[str, Any], list[str], list[str]]:
    by_go_name: dict[tuple[str, str], GoType] = {}
    marshalers: set[tuple[str, str]] = set()
    for t in gotypes.types.values():
        if not t.pkg_path.startswith(GO_PACKAGES):
            continue
        short = t.name.split(".", 1)[1] if "." in t.name else t.name
        if t.kind == "ptr":
            elem = gotypes.types.get(gotypes.b.u64(t.addr + TYPE_SIZE))
            if elem is not None and "MarshalJSON" in t.methods and elem.pkg_path:
                marshalers.add((elem.pkg_path, elem.name.split(".", 1)[1]))
            continue
        if "MarshalJSON" in t.methods:
            marshalers.add((t.pkg_path, short))
        by_go_name[(t.pkg_path, short)] = t

    messages: dict[str, Any] = {}
    problems: list[str] = []
    notes: list[str] = []
    for fd in descriptors:
        go_package = fd.options.go_package.split(";")[0]
        for full, msg in iter_messages(fd):
            if msg.options.map_entry:
                continue
            go_name = full[len(fd.package) + 1 :].replace(".", "_")
            t = by_go_name.get((go_package, go_name))
            if t is None:
                problems.append(f"{full}: no Go type {go_package}.{go_name} in the binary")
                continue
            entry: dict[str, Any] = {"go": f"{go_package}.{go_name}", "kind": t.kind}
            special = (go_package, go_name) in marshalers
            if special:
                entry["customJSON"] = True
            by_number = {f.number: f for f in msg.field}
            if t.kind == "struct":
                fields: list[dict[str, Any]] = []
                seen_numbers: set[int] = set()
                for gf in t.fields:
                    ft = gotypes.types[gf.type_addr]
                    json_name, omitempty, has_json = _json_tag(gf.tag)
                    out: dict[str, Any] = {"go": gf.name, "json": json_name if has_json else gf.name}
                    if omitempty:
                        out["omitempty"] = True
                    if gf.embedded and (not has_json or json_name == ""):
                        out["inline"] = True
                        out["json"] = ""
                        if ft.kind != "struct" and not special:
                            problems.append(f"{full}.{gf.name}: embedded {ft.kind}, only structs are supported")
                    out["type"] = ft.kind
                    out["goType"] = ft.name  # as reflect prints it: "*v1.LabelSelector", "v1.PullPolicy"
                    pm = PROTOBUF_TAG.search(gf.tag)
                    if pm and pm.group(1) != "-":
                        parts = pm.group(1).split(",")
                        number = int(parts[1])
                        tag_name = next((p[5:] for p in parts if p.startswith("name=")), "")
                        pf = by_number.get(number)
                        if pf is None:
                            problems.append(f"{full}.{gf.name}: protobuf tag number {number} not in descriptor")
                        elif tag_name and pf.name != tag_name:
                            problems.append(f"{full}.{gf.name}: tag name {tag_name!r} != proto name {pf.name!r}")
                        elif not out.get("inline") and out["json"] not in (pf.name, "-") and not special:
                            notes.append(f"{full}.{pf.name} (#{number}): JSON name is {out['json']!r}")
                        out["number"] = number
                        seen_numbers.add(number)
                    if "number" not in out and not special and out["json"] != "-" and gf.name != "TypeMeta":
                        problems.append(f"{full}.{gf.name}: a JSON field with no protobuf field")
                    fields.append(out)
                missing = sorted(set(by_number) - seen_numbers)
                if missing and not special:
                    problems.append(f"{full}: proto fields {missing} have no Go field")
                entry["fields"] = fields
            messages[full] = entry
            if t.kind == "struct" and not special:
                names = [f["json"] for f in entry["fields"] if not f.get("inline") and f["json"] != "-"]
                for f in entry["fields"]:
                    if f.get("inline"):
                        inner = by_go_name.get((go_package, f["go"]))
                        inner_names = [_json_tag(x.tag)[0] for x in inner.fields] if inner else []
                        if set(names) & set(inner_names):
                            problems.append(f"{full}: inline {f['go']} shadows {set(names) & set(inner_names)}")
    return messages, problems, notes


def special_json_check(messages: dict[str, Any]) -> list[str]:
    from mockapi.protobuf.schema import SPECIAL_JSON

    custom = {name for name, m in messages.items() if m.get("customJSON")}
    problems = []
    if custom != set(SPECIAL_JSON):
        problems.append(
            "Go types with MarshalJSON differ from mockapi.protobuf.schema.SPECIAL_JSON: "
            f"only in binary {sorted(custom - set(SPECIAL_JSON))}, only in decoder {sorted(set(SPECIAL_JSON) - custom)}"
        )
    return problems


def kubectl_version(path: Path) -> str:
    try:
        out = subprocess.run([str(path), "version", "--client", "-o", "json"], capture_output=True, text=True,
                             timeout=30, check=True).stdout
        info = json.loads(out)["clientVersion"]
        return f"{info['gitVersion']} ({info['goVersion']}, commit {info['gitCommit']})"
    except (OSError, subprocess.SubprocessError, ValueError, KeyError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minor", default="1.33")
    parser.add_argument("--kubectl", type=Path, default=None)
    parser.add_argument("--out-dir", type=Path, default=REPO / "mockapi" / "protobuf" / "data")
    parser.add_argument("--check", action="store_true", help="fail if the data files are out of date")
    args = parser.parse_args(argv)
    kubectl: Path = args.kubectl or Path(DEFAULT_KUBECTL.format(minor=args.minor))
    data = kubectl.read_bytes()
    try:
        descriptors = find_descriptors(data)
        if not descriptors:
            raise ExtractError(f"no k8s.io descriptors found in {kubectl}")
        messages, problems, notes = build_gotypes(descriptors, GoTypes(Binary(data)))
        problems += special_json_check(messages)
        if problems:
            raise ExtractError("cross-checks failed:\n  " + "\n  ".join(problems))
    except ExtractError as err:
        print(f"extract_proto_descriptors: {err}", file=sys.stderr)
        return 2

    for note in notes:
        print(f"note: {note}")
    fds = descriptor_pb2.FileDescriptorSet(file=descriptors)
    binpb = fds.SerializeToString(deterministic=True)
    gotypes_doc = {
        "source": {
            "binary": kubectl.name,
            "version": kubectl_version(kubectl),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
        "messages": dict(sorted(messages.items())),
    }
    gotypes_text = json.dumps(gotypes_doc, separators=(",", ":"), sort_keys=False) + "\n"
    out_dir: Path = args.out_dir
    targets = {
        out_dir / f"k8s-descriptors-{args.minor}.binpb": binpb,
        out_dir / f"k8s-gotypes-{args.minor}.json": gotypes_text.encode(),
    }
    if args.check:
        stale = [p for p, content in targets.items() if not p.exists() or p.read_bytes() != content]
        for p in stale:
            print(f"extract_proto_descriptors: {p} is out of date", file=sys.stderr)
        return 1 if stale else 0
    out_dir.mkdir(parents=True, exist_ok=True)
    for p, content in targets.items():
        p.write_bytes(content)
        print(f"wrote {p} ({len(content)} bytes)")
    n_messages = sum(len(iter_messages(fd)) for fd in descriptors)
    print(f"{len(descriptors)} files, {n_messages} messages; {kubectl} {gotypes_doc['source']['version']} "
          f"sha256 {gotypes_doc['source']['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
