"""OpenAPI documents of the emulated kube-apiserver: `/openapi/v2` (JSON and gnostic protobuf) and
`/openapi/v3` (root and one document per group/version), built from the catalog and the published
definitions of the emulated version.

Modules: `schema` (definitions back to the OpenAPI v2/v3 forms), `params` and `routes` (what
kube-apiserver's installer registers), `paths` (routes laid out as path items), `v2` and `v3` (the
documents), `protobuf` (gnostic wire encoding), `documents` (lazy per-catalog cache of encoded bytes).

May import `mockapi.api` and `mockapi.resources`; never aiohttp.
"""

from mockapi.resources.openapi.documents import Encoded, OpenAPIDocuments, documents_for

__all__ = ["Encoded", "OpenAPIDocuments", "documents_for"]
