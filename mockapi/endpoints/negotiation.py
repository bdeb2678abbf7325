"""Content negotiation: which representation a client asked for, and decoding request bodies.

Responses: JSON, YAML, meta.k8s.io Table (v1/v1beta1), PartialObjectMetadata(List).
Request bodies: JSON (also when Content-Type is missing), YAML and Kubernetes protobuf (decoded by
`mockapi.protobuf` into the JSON form; its schema is loaded by the first request that needs it).
Responses are protobuf only when nothing but protobuf is acceptable: kubectl 1.32+ sends
`application/vnd.kubernetes.protobuf,application/json` and gets JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from mockapi.api import errors, yamlio
from mockapi.api.decoding import DecodeError, json_value
from mockapi.api.golang import json_kind
from mockapi.api.jsonio import response_json
from mockapi.api.mediatype import parse_media_type
from mockapi.api.types import Obj
from mockapi.api.yamljson import yaml_to_json_value
from mockapi.protobuf import decode_object, encode_object

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"

CACHE_SIZE = 256
CACHED_HEADER_LIMIT = 1024
"""Headers longer than this are parsed each time: the caches hold real clients' few headers, not 128 KiB ones."""
"""Distinct Accept (and Content-Type) headers whose answer is kept; the least recently used go first."""

SUPPORTED_RESPONSE_TYPES = [JSON, YAML, PROTOBUF]
SUPPORTED_BODY_TYPES = [JSON, YAML, PROTOBUF]

Format = Literal["json", "yaml", "protobuf"]
Shape = Literal["object", "table", "partial"]
MetaVersion = Literal["v1", "v1beta1"]


@dataclass(frozen=True, slots=True)
class Representation:
    format: Format
    shape: Shape = "object"
    table_version: MetaVersion = "v1"  # meta.k8s.io version of Table/PartialObjectMetadata

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self.format]


_CONTENT_TYPES: dict[str, str] = {"json": JSON, "yaml": YAML, "protobuf": PROTOBUF}


DEFAULT = Representation("json")


@dataclass(frozen=True, slots=True)
class MediaRange:
    type: str
    params: dict[str, str]
    q: float


def parse_accept(header: str) -> list[MediaRange]:
    ranges: list[MediaRange] = []
    for raw in header.split(","):
        raw = raw.strip()
        if not raw:
            continue
        type_, *param_parts = (p.strip() for p in raw.split(";"))
        params: dict[str, str] = {}
        q = 1.0
        for part in param_parts:
            key, _, value = part.partition("=")
            key, value = key.strip().lower(), value.strip().strip('"')
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
            else:
                params[key] = value
        ranges.append(MediaRange(type_.lower(), params, q))
    ranges.sort(key=lambda r: -r.q)  # stable: equal q keeps the client's order
    return ranges


def negotiate(accept: str, *, allow_table: bool) -> Representation:
    """Pick the first acceptable representation; protobuf only if nothing else is; 406 if none is."""
    if not accept:
        return DEFAULT
    if len(accept) > CACHED_HEADER_LIMIT:  # a hostile header is answered, never kept
        return _negotiate.__wrapped__(accept, allow_table)
    return _negotiate(accept, allow_table)


@lru_cache(maxsize=CACHE_SIZE)
def _negotiate(accept: str, allow_table: bool) -> Representation:
    """Clients send a handful of Accept headers, each on every request: the answer is kept (an unacceptable
    one raises each time, and is not)."""
    protobuf_acceptable = False
    for r in parse_accept(accept):
        if r.q <= 0:
            continue
        as_ = r.params.get("as")
        if as_ is not None:
            if r.type != JSON and r.type != YAML:
                continue
            if r.params.get("g") != "meta.k8s.io":
                continue
            version: MetaVersion
            if r.params.get("v") == "v1":
                version = "v1"
            elif r.params.get("v") == "v1beta1":
                version = "v1beta1"
            else:
                continue
            fmt: Format = "yaml" if r.type == YAML else "json"
            if as_ == "Table" and allow_table:
                return Representation(fmt, "table", version)
            if as_ in ("PartialObjectMetadata", "PartialObjectMetadataList"):
                return Representation(fmt, "partial", version)
            continue
        if r.type in (JSON, "application/*", "*/*"):
            return DEFAULT
        if r.type == YAML:
            return Representation("yaml")
        if r.type == PROTOBUF:
            protobuf_acceptable = True
    if protobuf_acceptable:
        return Representation("protobuf")
    raise errors.not_acceptable([JSON, YAML])


def encode(obj: Obj, rep: Representation) -> bytes:
    if rep.format == "yaml":
        return yamlio.dump(obj).encode()
    if rep.format == "protobuf":
        return encode_object(obj, str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    return response_json(obj)


def patch_type_of(content_type: str) -> str:
    """A PATCH's type: its Content-Type cut at the first `;` and nothing more (handlers/patch.go compares the
    rest exactly, so `Application/Merge-Patch+JSON` is a 415 as upstream)."""
    index = content_type.find(";")
    return content_type[:index] if index > 0 else content_type


def body_media_type(content_type: str) -> str:
    """The media type of a create/update body: JSON when the header is missing; 415 when it does not
    parse (NegotiateInputSerializer runs mime.ParseMediaType) or names a type kube-apiserver does not decode."""
    if not content_type:
        return JSON
    if len(content_type) > CACHED_HEADER_LIMIT:
        return _body_media_type.__wrapped__(content_type)
    return _body_media_type(content_type)


@lru_cache(maxsize=CACHE_SIZE)
def _body_media_type(content_type: str) -> str:
    """As `_negotiate`, per Content-Type (mime.ParseMediaType walks it a character at a time)."""
    try:
        media, _ = parse_media_type(content_type)
    except ValueError:
        raise errors.unsupported_media_type(content_type, SUPPORTED_BODY_TYPES) from None
    if media not in SUPPORTED_BODY_TYPES:
        raise errors.unsupported_media_type(media, SUPPORTED_BODY_TYPES)
    return media


def decode_body(body: bytes, content_type: str) -> Obj:
    """Decode a create/update body; a missing Content-Type means JSON, as in kube-apiserver."""
    media = body_media_type(content_type)
    if media == PROTOBUF:
        return decode_object(body)
    try:
        value = yaml_to_json_value(body) if media == YAML else json_value(body)
    except DecodeError as exc:
        # YAML is converted to JSON first; the JSON is then read for its kind
        message = str(exc) if media == YAML else f"couldn't get version/kind; json parse error: {exc}"
        raise errors.bad_request(message) from None
    if value is None and media == YAML:
        return {}
    if not isinstance(value, dict):
        raise errors.bad_request(
            "couldn't get version/kind; json parse error: json: cannot unmarshal "
            f'{json_kind(value)} into Go value of type struct {{ APIVersion string "json:\\"apiVersion,omitempty\\""; '
            'Kind string "json:\\"kind,omitempty\\"" }'
        )
    return value


def decode_json_value(body: bytes) -> object:
    """A patch document: any JSON value within the decoding budgets (400 otherwise)."""
    try:
        return json_value(body)
    except DecodeError as exc:
        raise errors.bad_request(str(exc)) from None
