"""The served OpenAPI artifacts of one catalog, built on first use and kept as encoded bytes.

Nothing is built at server start. Each artifact is built once per catalog (thread-safe: several server
threads may share a catalog) and kept: the v2 JSON and its ETag, the v2 protobuf, gzip forms on
demand, and every v3 service document with its hash (the `/openapi/v3` root needs all hashes, so the
first root request builds all v3 documents). `ready()` tells callers whether an artifact is cached, so
the web layer runs cold builds in a thread-pool executor and serves warm ones inline.

JSON is written compact with Go's escaping and with object keys sorted (kube-openapi writes its structs'
field order): the same documents, other bytes, so ETags and `?hash=` values are this server's own.
Measured on one core (1.33, default runtime config): v2 document 0.16 s to JSON (1.7 MB), +0.26 s to
protobuf (1.5 MB); the 43 v3 documents with their hashes 0.13 s (4.1 MB; apps/v1 15 ms, 0.5 MB).
"""

from __future__ import annotations

import gzip
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from mockapi.api.jsonio import go_json
from mockapi.resources.catalog import Catalog
from mockapi.resources.openapi import protobuf, v2, v3
from mockapi.resources.openapi.route_types import Route
from mockapi.resources.openapi.routes import web_services
from mockapi.resources.schemas import Schemas, load

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Encoded:
    body: bytes
    etag: str
    """Unquoted upper-case hex SHA-512 of the JSON form (shared by the protobuf form, as upstream)."""
    last_modified: float
    """When it was built (seconds since the epoch); served as Last-Modified."""


class OpenAPIDocuments:
    """Lazily built OpenAPI v2 and v3 documents of one catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}

    # --- cache plumbing -----------------------------------------------------------------------------

    def ready(self, key: str) -> bool:
        return key in self._cache

    def _get(self, key: str, build: Callable[[], T]) -> T:
        try:
            return self._cache[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]  # type: ignore[no-any-return]

    def schemas(self) -> Schemas:
        return self._get("schemas", lambda: load(self.catalog.emulated_version))

    def services(self) -> dict[str, list[Route]]:
        return self._get("services", lambda: web_services(self.catalog, self.schemas()))

    # --- v2 -----------------------------------------------------------------------------------------

    def v2(self) -> tuple[Encoded, Encoded]:
        """(JSON, protobuf) forms of the v2 document, built together (the protobuf's ETag is the JSON's)."""

        def build() -> tuple[Encoded, Encoded]:
            doc = v2.build(self.catalog, self.schemas(), self.services())
            body = go_json(doc, sort_keys=True)
            now = time.time()
            json_form = Encoded(body, v3.etag(body), now)
            return json_form, Encoded(protobuf.document(doc), json_form.etag, now)

        return self._get("v2", build)

    def v2_json(self) -> Encoded:
        return self.v2()[0]

    def v2_protobuf(self) -> Encoded:
        return self.v2()[1]

    def gzipped(self, key: str, encoded: Callable[[], Encoded]) -> bytes:
        """The gzip form (default level, as gziphandler) of `v2.json` or `v2.pb`."""
        return self._get(key + ".gz", lambda: gzip.compress(encoded().body, compresslevel=6, mtime=0))

    # --- v3 -----------------------------------------------------------------------------------------

    def v3_documents(self) -> dict[str, Encoded]:
        def build() -> dict[str, Encoded]:
            out: dict[str, Encoded] = {}
            for name, routes in self.services().items():
                body = go_json(v3.build(self.catalog, self.schemas(), routes), sort_keys=True)
                out[name] = Encoded(body, v3.etag(body), time.time())
            return out

        return self._get("v3.docs", build)

    def v3_root(self) -> bytes:
        return self._get(
            "v3.root",
            lambda: go_json(v3.root({name: doc.etag for name, doc in self.v3_documents().items()}), sort_keys=True),
        )

    def v3_services(self) -> list[str]:
        """Service names (`api/v1`, `apis/apps/v1`, ...); cheap, needs no document."""
        return list(self.services())


_DOCUMENTS: weakref.WeakKeyDictionary[Catalog, OpenAPIDocuments] = weakref.WeakKeyDictionary()
_DOCUMENTS_LOCK = threading.Lock()


def documents_for(catalog: Catalog) -> OpenAPIDocuments:
    """The (shared) documents of a catalog."""
    with _DOCUMENTS_LOCK:
        docs = _DOCUMENTS.get(catalog)
        if docs is None:
            docs = _DOCUMENTS[catalog] = OpenAPIDocuments(catalog)
        return docs
