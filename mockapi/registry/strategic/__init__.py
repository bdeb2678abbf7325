"""Strategic merge patch (`application/strategic-merge-patch+json`), as kube-apiserver applies it.

A port of the apply half of k8s.io/apimachinery `pkg/util/strategicpatch` (`StrategicMergeMapPatch`
with the server's options), with patch metadata read from the published definitions:

* maps merge key by key; `null` deletes; a map with `$patch: replace` replaces, `$patch: delete`
  empties; `$retainKeys: [...]` drops every other key of the live map;
* lists whose field has patch strategy `merge` and a merge key merge item by item;
  `{"$patch": "delete", <key>: v}` removes items, an item `{"$patch": "replace"}` makes the other
  items replace the list; `$setElementOrder/<field>` orders the result; merging lists of scalars take
  the union and `$deleteFromPrimitiveList/<field>` removes values; every other list is replaced;
* fields the schema does not know merge like JSON merge patch.

Modules: `maps` (entry point, maps, `$retainKeys`), `lists` (lists, `$setElementOrder`, order),
`meta` (patch strategies and merge keys from the schema), `format` (directives; errors and their
Status), `golang` (Go equality, printing and stable sort, which the results and messages depend on).
May import `mockapi.api` and `mockapi.resources`.
"""

from __future__ import annotations

from mockapi.registry.strategic.maps import apply_strategic_patch
from mockapi.registry.strategic.meta import SchemaWalker, walker_for_kind

__all__ = ["SchemaWalker", "apply_strategic_patch", "walker_for_kind"]
