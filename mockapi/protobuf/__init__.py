"""Kubernetes protobuf bodies (`application/vnd.kubernetes.protobuf`): decoding to, and encoding from,
the JSON form of built-in objects.

Wire format (apimachinery runtime/serializer/protobuf): the magic `k8s\\0` followed by a
`runtime.Unknown` message {typeMeta{apiVersion, kind}, raw, contentEncoding, contentType}, where `raw`
is the object encoded per its generated.proto.

Modules: `wire` (the protobuf wire format), `schema` (field numbers and Go JSON facts, from the data
files in `data/`, loaded on first use), `decode` (envelope -> JSON object exactly as Go's JSON
serializer would write the same Go value), `encode` (the reverse, as gogo-protobuf would write it).
Imports only `mockapi.api` (errors), orjson and the `protobuf` package (descriptor parsing); no I/O but
reading its own data files.
"""

from mockapi.protobuf.decode import MAGIC, decode_object
from mockapi.protobuf.encode import encode_object

__all__ = ["MAGIC", "decode_object", "encode_object"]
