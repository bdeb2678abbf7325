"""`cmp.Diff(old, new)` of github.com/google/go-cmp as kube-apiserver prints it for a pod spec, computed
on the v1 JSON form.

    pod_spec_diff(old_spec, new_spec)    the report for two v1 PodSpecs (`""` when they are equal)
    pod_specs_equal(old_spec, new_spec)  apiequality.Semantic.DeepEqual of the internal specs

The JSON is first mapped onto the internal Go types (`gocmp_types`), then compared the way go-cmp walks
values (`gocmp_compare`: struct fields in order, slices by an edit script, map keys sorted, pointers
followed, Quantity through its Equal method), and the tree is formatted by `gocmp_format` with go-cmp's
rules: two records of context around differences, `... // N identical fields`, types where go-cmp shows
them, verbosity limits on long values. go-cmp's output is deliberately unstable; this is a faithful
rendering, not a byte-exact one (slice alignment uses a longest-common-subsequence edit script, and
empty and absent lists compare equal as apiequality.Semantic has them).
"""

from __future__ import annotations

from mockapi.api.types import Obj
from mockapi.registry.kindvalidation.gocmp_compare import Node, build, compare, equal
from mockapi.registry.kindvalidation.gocmp_format import report
from mockapi.registry.kindvalidation.gocmp_types import HOST_NAMESPACE_MEMBERS, POD_SPEC, V1_ONLY_POD_SPEC_MEMBERS


def internal_pod_spec(spec: Obj) -> Obj:
    """The v1 PodSpec members rearranged as the internal type holds them."""
    out = {k: v for k, v in spec.items() if k not in V1_ONLY_POD_SPEC_MEMBERS and k not in HOST_NAMESPACE_MEMBERS}
    context = dict(spec.get("securityContext") or {})
    for key in HOST_NAMESPACE_MEMBERS:
        if spec.get(key) is not None:
            context[key] = spec[key]
    out["securityContext"] = context
    return out


def pod_spec_node(old: Obj, new: Obj) -> Node:
    return compare(POD_SPEC, build(POD_SPEC, internal_pod_spec(old)), build(POD_SPEC, internal_pod_spec(new)))


def pod_specs_equal(old: Obj, new: Obj) -> bool:
    if old == new:  # equal JSON is equal Go (the other way round needs the typed walk)
        return True
    return equal(POD_SPEC, build(POD_SPEC, internal_pod_spec(old)), build(POD_SPEC, internal_pod_spec(new)))


def pod_spec_diff(old: Obj, new: Obj) -> str:
    return report(pod_spec_node(old, new))
