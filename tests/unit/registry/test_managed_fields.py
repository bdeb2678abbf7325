"""Field management and server-side apply (mockapi.registry.managedfields), table-driven.

Expected values follow sigs.k8s.io/structured-merge-diff v4 and k8s.io/apimachinery
`pkg/util/managedfields`: the fieldsV1 encoding (`f:`, `k:{...}`, `v:`, `i:`, `.` first), which fields
an update or an apply owns, the 409 text of conflicts, and the wrappers kube-apiserver puts around it
(before-first-apply, ancient-changes, client-side-apply migration).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from mockapi.api import errors
from mockapi.registry.managedfields import fieldpath, manager, typed
from mockapi.registry.managedfields.apply import force_option
from mockapi.registry.managedfields.entries import ManagerKey
from mockapi.registry.managedfields.fieldpath import PathElement, Set
from mockapi.registry.managedfields.manager import KindContext, kind_context, manager_or_user_agent

NOW = "2025-05-01T10:00:00Z"
LATER = "2025-05-01T10:00:05Z"

CM = kind_context("", "v1", "ConfigMap", has_status=False)
DEPLOY = kind_context("apps", "v1", "Deployment", has_status=True)
POD = kind_context("", "v1", "Pod", has_status=True)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manager, "now_rfc3339", lambda: NOW)


def f(name: str) -> PathElement:
    return PathElement.field(name)


def k(**fields: Any) -> PathElement:
    return PathElement.keyed(fields)


def v(value: Any) -> PathElement:
    return PathElement.of_value(value)


def i(index: int) -> PathElement:
    return PathElement.of_index(index)


# -- fieldsV1 encoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paths", "fields"),
    [
        ([(f("a"),)], {"f:a": {}}),
        ([(f("a"), f("b"))], {"f:a": {"f:b": {}}}),
        ([(f("a"),), (f("a"), f("b"))], {"f:a": {".": {}, "f:b": {}}}),
        # fields < keys < values < indexes; values: numbers < strings < bools; fields by name
        (
            [(i(0),), (v("x"),), (v(True),), (v(2),), (k(name="b"),), (k(name="a"),), (f("z"),), (f("a"),)],
            {
                "f:a": {},
                "f:z": {},
                'k:{"name":"a"}': {},
                'k:{"name":"b"}': {},
                "v:2": {},
                'v:"x"': {},
                "v:true": {},
                "i:0": {},
            },
        ),
        # key fields sorted by name, values as JSON, Go's HTML escapes
        ([(k(protocol="TCP", containerPort=80),)], {'k:{"containerPort":80,"protocol":"TCP"}': {}}),
        ([(v("<a&b>"),)], {'v:"\\u003ca\\u0026b\\u003e"': {}}),
        (
            [(f("spec"), f("containers"), k(name="c"), f("image")), (f("spec"), f("containers"), k(name="c"))],
            {"f:spec": {"f:containers": {'k:{"name":"c"}': {".": {}, "f:image": {}}}}},
        ),
    ],
)
def test_fields_v1_encoding(paths: list[fieldpath.Path], fields: dict[str, Any]) -> None:
    s = Set.of(*paths)
    encoded = s.to_fields()
    assert encoded == fields
    assert list(encoded) == list(fields), "elements in upstream's order"
    assert Set.from_fields(encoded).equals(s)


def test_fields_v1_decoding_ignores_unknown_element_kinds_and_rejects_bad_ones() -> None:
    s = Set.from_fields({"f:a": {".": {}, "x:future": {}, "f:b": {}}, "z:unknown": {"f:c": {}}})
    assert s.paths() == [".a", ".a.b"]
    with pytest.raises(fieldpath.BadPathElement):
        Set.from_fields({"k:not json": {}})


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((f("spec"), f("replicas")), ".spec.replicas"),
        ((f("spec"), f("containers"), k(name="c"), f("image")), '.spec.containers[name="c"].image'),
        ((f("ports"), k(protocol="TCP", containerPort=80)), '.ports[containerPort=80,protocol="TCP"]'),
        ((f("metadata"), f("finalizers"), v("a/b")), '.metadata.finalizers[="a/b"]'),
        ((f("args"), i(2)), ".args[2]"),
    ],
)
def test_path_strings(path: fieldpath.Path, text: str) -> None:
    assert fieldpath.path_string(path) == text


def test_set_operations() -> None:
    a = Set.of((f("a"),), (f("a"), f("b")), (f("c"), f("d")))
    b = Set.of((f("a"),), (f("c"),))
    assert a.difference(b).paths() == [".a.b", ".c.d"], "a member of b removes nothing below it"
    assert a.recursive_difference(Set.of((f("a"),))).paths() == [".c.d"], "... a recursive difference removes it all"
    assert a.intersection(b).paths() == [".a"]
    assert a.union(b).paths() == [".a", ".c", ".a.b", ".c.d"]


# -- field sets of typed values ---------------------------------------------------------------------


DEPLOYMENT_SPEC = {
    "replicas": 2,
    "selector": {"matchLabels": {"app": "web"}},
    "template": {
        "metadata": {"labels": {"app": "web"}},
        "spec": {
            "containers": [
                {"name": "c", "image": "nginx", "args": ["-x"], "ports": [{"containerPort": 80}]},
            ]
        },
    },
}


@pytest.mark.parametrize(
    ("ctx", "obj", "fields"),
    [
        # granular maps: every key is a member; struct fields only as parents
        (CM, {"data": {"k": "v"}, "metadata": {"labels": {"a": "b"}}},
         {"f:data": {"f:k": {}}, "f:metadata": {"f:labels": {"f:a": {}}}}),
        # a struct field is never a member itself, not even empty or null; a map key always is
        (CM, {"data": {}, "binaryData": None, "metadata": {"labels": {"a": None}}},
         {"f:metadata": {"f:labels": {"f:a": {}}}}),
        # atomic map (LabelSelector), atomic list (args), associative list by key, with the protocol default
        (DEPLOY, {"spec": DEPLOYMENT_SPEC},
         {"f:spec": {
             "f:replicas": {},
             "f:selector": {},
             "f:template": {
                 "f:metadata": {"f:labels": {"f:app": {}}},
                 "f:spec": {"f:containers": {'k:{"name":"c"}': {
                     ".": {}, "f:args": {}, "f:image": {}, "f:name": {},
                     "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}},
                 }}},
             },
         }}),
        # a set (x-kubernetes-list-type: set) by value
        (CM, {"metadata": {"finalizers": ["b", "a"]}}, {"f:metadata": {"f:finalizers": {'v:"a"': {}, 'v:"b"': {}}}}),
    ],
)  # fmt: skip
def test_to_field_set(ctx: KindContext, obj: dict[str, Any], fields: dict[str, Any]) -> None:
    assert typed.to_field_set(obj, ctx.ref).to_fields() == fields


@pytest.mark.parametrize(
    ("ctx", "obj", "message"),
    [
        (CM, {"data": {"k": "v"}, "spec": {}}, ".spec: field not declared in schema"),
        (CM, {"data": {"k": 1}}, ".data.k: expected string, got &value.valueUnstructured{Value:1}"),
        (DEPLOY, {"spec": {"replicas": "2"}}, ".spec.replicas: expected numeric (int or float), got string"),
        (DEPLOY, {"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}},
         '.spec.template.spec.containers: element 0: associative list with keys has an element that omits key field'
         ' "name" (and doesn\'t have default value)'),
        (DEPLOY, {"spec": {"template": {"spec": {"containers": [{"name": "a"}, {"name": "a"}]}}}},
         '.spec.template.spec.containers: duplicate entries for key [name="a"]'),
        (CM, {"metadata": {"finalizers": [{"a": 1}]}},
         ".metadata.finalizers: element 0: associative list without keys has an element that's a map type"),
    ],
)  # fmt: skip
def test_validation_of_applied_configurations(ctx: KindContext, obj: dict[str, Any], message: str) -> None:
    with pytest.raises(typed.TypedError) as caught:
        typed.validate(obj, ctx.ref)
    assert caught.value.text() == message


def test_compare_reports_removed_modified_added() -> None:
    live = {"data": {"a": "1", "b": "2"}, "metadata": {"labels": {"x": "y"}}}
    new = {"data": {"a": "1", "b": "3", "c": "4"}}
    cmp = typed.compare(live, new, CM.ref)
    assert (cmp.removed.paths(), cmp.modified.paths(), cmp.added.paths()) == (
        [".metadata", ".metadata.labels", ".metadata.labels.x"], [".data.b"], [".data.c"],
    )  # fmt: skip


# -- ordinary writes ------------------------------------------------------------------------------------


def entry(name: str, fields: dict[str, Any], *, api_version: str = "v1", operation: str = "Update",
          time: str | None = NOW, subresource: str = "") -> dict[str, Any]:  # fmt: skip
    out: dict[str, Any] = {"manager": name, "operation": operation, "apiVersion": api_version}
    if time:
        out["time"] = time
    out |= {"fieldsType": "FieldsV1", "fieldsV1": fields}
    if subresource:
        out["subresource"] = subresource
    return out


def cm(data: dict[str, str] | None = None, **meta: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "d", **meta}}
    if data is not None:
        obj["data"] = data
    return obj


def stored(obj: dict[str, Any]) -> dict[str, Any]:
    """What the store holds after a create: system fields filled."""
    obj["metadata"] |= {"uid": "u-1", "creationTimestamp": NOW, "resourceVersion": "1"}
    return obj


def created(obj: dict[str, Any], manager_name: str = "kubectl-create") -> dict[str, Any]:
    manager.track_update(CM, None, obj, manager_name)
    return stored(obj)


def updated(live: dict[str, Any], new: dict[str, Any], manager_name: str, subresource: str = "",
            ctx: KindContext = CM) -> dict[str, Any]:  # fmt: skip
    manager.track_update(ctx, live, new, manager_name, subresource)
    return new


def test_create_is_owned_by_its_manager() -> None:
    obj = created(cm({"k": "v"}, labels={"a": "b"}, annotations={"n": "1"}))
    assert obj["metadata"]["managedFields"] == [
        entry("kubectl-create", {
            "f:data": {".": {}, "f:k": {}},
            "f:metadata": {"f:annotations": {".": {}, "f:n": {}}, "f:labels": {".": {}, "f:a": {}}},
        }),
    ]  # fmt: skip


def test_create_of_a_deployment_owns_the_defaults_too() -> None:
    obj: dict[str, Any] = {
           "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"}, "status": {"replicas": 3},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"a": "b"}}, "strategy": {"type": "Recreate"},
                    "template": {"metadata": {"labels": {"a": "b"}},
                                 "spec": {"containers": [{"name": "c", "image": "i", "resources": {}}]}}}}  # fmt: skip
    manager.track_update(DEPLOY, None, obj, "m")
    assert obj["metadata"]["managedFields"] == [
        entry("m", {"f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:strategy": {"f:type": {}},
            "f:template": {
                "f:metadata": {"f:labels": {".": {}, "f:a": {}}},
                "f:spec": {"f:containers": {'k:{"name":"c"}': {
                    ".": {}, "f:image": {}, "f:name": {}, "f:resources": {},
                }}},
            },
        }}, api_version="apps/v1"),
    ], "status is the status subresource's; fields already in the empty object are not members"  # fmt: skip


def test_updates_move_ownership_and_merge_per_manager() -> None:
    live = created(cm({"a": "1", "b": "2"}))
    new = updated(live, cm({"a": "1", "b": "3", "c": "4"}, managedFields=live["metadata"]["managedFields"]), "edit")
    assert new["metadata"]["managedFields"] == [
        entry("edit", {"f:data": {"f:b": {}, "f:c": {}}}),
        entry("kubectl-create", {"f:data": {".": {}, "f:a": {}}}),
    ]
    # the same manager again: its fields merge; a removed field leaves every owner
    newer = updated(stored(new), cm({"b": "3", "c": "5"}), "edit")
    assert newer["metadata"]["managedFields"] == [
        entry("edit", {"f:data": {"f:b": {}, "f:c": {}}}),
        entry("kubectl-create", {"f:data": {}}),
    ], "a member without children is encoded as {}"
    # a write that changes nothing changes no entry
    same = updated(stored(newer), cm({"b": "3", "c": "5"}), "noop")
    assert same["metadata"]["managedFields"] == newer["metadata"]["managedFields"]


def test_status_subresource_writes_are_entries_of_their_own() -> None:
    live: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "uid": "u", "managedFields": [
        entry("kubectl-run", {"f:spec": {"f:containers": {'k:{"name":"c"}': {".": {}, "f:name": {}}}}})]},
        "spec": {"containers": [{"name": "c"}]}, "status": {}}  # fmt: skip
    new: dict[str, Any] = {
           **live, "metadata": {**live["metadata"], "managedFields": []}, "status": {"phase": "Running"},
           "spec": {"containers": [{"name": "c"}, {"name": "d"}]}}  # fmt: skip
    updated(live, new, "kubelet", "status", ctx=POD)
    assert new["metadata"]["managedFields"] == [
        live["metadata"]["managedFields"][0],
        entry("kubelet", {"f:status": {"f:phase": {}}}, subresource="status"),
    ], "a subresource write ignores the managedFields it was sent and owns only status"


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("live", "unchanged"),  # kubectl edit / replace send them back
        (None, "unchanged"),  # clients that do not know managedFields leave them alone
        ([{"manager": "x", "operation": "Bogus", "apiVersion": "v1", "fieldsType": "FieldsV1"}], "unchanged"),
        ([], "cleared"),
        ([{}], "cleared"),
        ([entry("mine", {"f:data": {"f:a": {}}}, time=None)], "replaced"),
    ],
)
def test_managed_fields_sent_with_an_update(sent: Any, expected: str) -> None:
    live = created(cm({"a": "1"}))
    new = cm({"a": "1"})
    if sent == "live":
        new["metadata"]["managedFields"] = live["metadata"]["managedFields"]
    elif sent is not None:
        new["metadata"]["managedFields"] = sent
    updated(live, new, "edit")
    result = new["metadata"].get("managedFields")
    if expected == "unchanged":
        assert result == live["metadata"]["managedFields"]
    elif expected == "cleared":
        assert result is None
        assert "managedFields" not in updated(stored(new), cm({"a": "2"}), "later")["metadata"], (
            "an object without managed fields gets none from an update"
        )
    else:
        assert result == sent


def test_at_most_ten_update_entries_the_oldest_merge_into_ancient_changes() -> None:
    entries = [entry(f"m{n:02}", {"f:data": {f"f:k{n}": {}}}, time=f"2025-05-01T09:00:{n:02}Z") for n in range(10)]
    live = stored(cm({f"k{n}": "x" for n in range(10)}, managedFields=entries))
    new = updated(live, cm({**live["data"], "new": "y"}, managedFields=entries), "m10")
    result = new["metadata"]["managedFields"]
    assert [e["manager"] for e in result] == ["ancient-changes", *(f"m{n:02}" for n in range(2, 10)), "m10"]
    assert result[0] == entry("ancient-changes", {"f:data": {"f:k0": {}, "f:k1": {}}}, time="2025-05-01T09:00:01Z")


# -- apply ------------------------------------------------------------------------------------------------


def applied(ctx: KindContext, live: dict[str, Any] | None, config: dict[str, Any], name: str = "kubectl",
            force: bool = False) -> dict[str, Any]:  # fmt: skip
    obj = manager.apply(ctx, live, config, name, force=force)
    if live is None:
        obj = stored(obj)
    else:
        obj["metadata"] |= {k: live["metadata"][k] for k in ("uid", "creationTimestamp") if k in live["metadata"]}
    return obj


def deploy(containers: list[dict[str, Any]], replicas: int | None = None, **meta: Any) -> dict[str, Any]:
    template = {"metadata": {"labels": {"app": "w"}}, "spec": {"containers": containers}}
    spec: dict[str, Any] = {"selector": {"matchLabels": {"app": "w"}}, "template": template}
    if replicas is not None:
        spec["replicas"] = replicas
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w", **meta}, "spec": spec}


def containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    listed = obj["spec"]["template"]["spec"]["containers"]
    return [{k: c[k] for k in ("name", "image", "args") if k in c} for c in listed]


def test_apply_creates_and_owns_exactly_its_configuration() -> None:
    obj = applied(CM, None, cm({"k": "v"}, labels={"a": "b"}))
    assert obj["data"] == {"k": "v"} and obj["metadata"]["labels"] == {"a": "b"}
    assert obj["metadata"]["managedFields"] == [
        entry("kubectl", {"f:data": {"f:k": {}}, "f:metadata": {"f:labels": {"f:a": {}}}}, operation="Apply"),
    ]


def test_apply_merges_lists_by_their_type() -> None:
    live = applied(DEPLOY, None, deploy([{"name": "a", "image": "a:1", "args": ["x", "y"]}], finalizers=["f1"]))
    # another applier adds a container (associative list) and a finalizer (set)
    live = applied(DEPLOY, live, deploy([{"name": "b", "image": "b:1"}], finalizers=["f2"]), "other")
    assert containers(live) == [{"name": "a", "image": "a:1", "args": ["x", "y"]}, {"name": "b", "image": "b:1"}]
    assert live["metadata"]["finalizers"] == ["f1", "f2"]
    # an atomic list (args) is replaced as a whole
    live = applied(DEPLOY, live, deploy([{"name": "a", "image": "a:1", "args": ["z"]}], finalizers=["f1"]))
    assert containers(live)[0]["args"] == ["z"]


def test_apply_merges_granular_maps_and_replaces_atomic_ones() -> None:
    live = applied(DEPLOY, None, deploy([{"name": "a", "image": "i"}], labels={"x": "1"}))
    config = deploy([{"name": "a", "image": "i"}], labels={"y": "2"})
    config["spec"]["selector"] = {"matchLabels": {"app": "w"}, "matchExpressions": []}
    live = applied(DEPLOY, live, config, "other", force=True)
    assert live["metadata"]["labels"] == {"x": "1", "y": "2"}
    assert live["spec"]["selector"] == {"matchLabels": {"app": "w"}}, "an empty list is omitted from the Go object"
    assert [e["manager"] for e in live["metadata"]["managedFields"]] == ["kubectl", "other"]


def test_apply_removes_what_the_applier_stops_applying_unless_someone_else_owns_it() -> None:
    live = applied(CM, None, cm({"a": "1", "b": "2", "c": "3"}, labels={"x": "1", "y": "2"}))
    live = applied(CM, live, cm({"b": "2"}), "co-owner")  # co-owns b with the same value: no conflict
    edited = cm({"a": "1", "b": "2", "c": "3", "d": "by-hand"}, labels={"x": "1", "y": "2"},
                managedFields=live["metadata"]["managedFields"])  # fmt: skip
    live = stored(updated(live, edited, "kubectl-edit"))
    live = applied(CM, live, cm({"a": "1"}, labels={"x": "1"}))
    assert live["data"] == {"a": "1", "b": "2", "d": "by-hand"}, "c and y were kubectl's alone"
    assert live["metadata"]["labels"] == {"x": "1"}
    live = applied(CM, live, cm(labels={"x": "1"}))
    assert live["data"] == {"b": "2", "d": "by-hand"}


def test_reapplying_the_same_configuration_changes_nothing() -> None:
    first = applied(CM, None, cm({"k": "v"}))
    manager_time = first["metadata"]["managedFields"][0]["time"]
    again = applied(CM, first, cm({"k": "v"}))
    assert again == first
    assert again["metadata"]["managedFields"][0]["time"] == manager_time


CONFLICT_ONE = {
    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
    "message": 'Apply failed with 1 conflict: conflict with "kubectl-patch" using apps/v1: .spec.replicas',
    "reason": "Conflict",
    "details": {"causes": [{"reason": "FieldManagerConflict", "message": 'conflict with "kubectl-patch" using apps/v1',
                            "field": ".spec.replicas"}]},
    "code": 409,
}  # fmt: skip


def test_a_conflict_is_a_409_naming_manager_and_field() -> None:
    live = applied(DEPLOY, None, deploy([{"name": "a", "image": "i"}], replicas=2))
    patched = deploy([{"name": "a", "image": "i"}], replicas=5, managedFields=live["metadata"]["managedFields"])
    live = stored(updated(live, patched, "kubectl-patch", ctx=DEPLOY))
    with pytest.raises(errors.ApiError) as caught:
        applied(DEPLOY, live, deploy([{"name": "a", "image": "i"}], replicas=2))
    assert caught.value.status() == CONFLICT_ONE
    # force takes the field
    forced = applied(DEPLOY, live, deploy([{"name": "a", "image": "i"}], replicas=2), force=True)
    assert forced["spec"]["replicas"] == 2
    assert [e["manager"] for e in forced["metadata"]["managedFields"]] == ["kubectl"], "kubectl-patch owned only that"


def test_conflicts_with_several_managers_are_grouped_by_manager() -> None:
    live = applied(CM, None, cm({"a": "1", "b": "1"}), "zeta")
    live = applied(CM, live, cm({"c": "1"}, labels={"l": "1"}), "alpha")
    with pytest.raises(errors.ApiError) as caught:
        applied(CM, live, cm({"a": "2", "b": "2", "c": "2"}, labels={"l": "2"}), "new")
    err = caught.value
    assert err.message == (
        "Apply failed with 4 conflicts: "
        'conflicts with "alpha":\n- .data.c\n- .metadata.labels.l\n'
        'conflicts with "zeta":\n- .data.a\n- .data.b'
    )
    assert err.details == {"causes": [
        {"reason": "FieldManagerConflict", "message": 'conflict with "alpha"', "field": ".data.c"},
        {"reason": "FieldManagerConflict", "message": 'conflict with "alpha"', "field": ".metadata.labels.l"},
        {"reason": "FieldManagerConflict", "message": 'conflict with "zeta"', "field": ".data.a"},
        {"reason": "FieldManagerConflict", "message": 'conflict with "zeta"', "field": ".data.b"},
    ]}  # fmt: skip


def test_subresource_managers_are_named_with_their_subresource() -> None:
    key = ManagerKey("kubelet", "Update", "v1", "status")
    assert key.printed() == '"kubelet" with subresource "status" using v1'
    assert key.identifier() == '{"manager":"kubelet","operation":"Update","apiVersion":"v1","subresource":"status"}'
    assert ManagerKey("kubectl", "Apply").identifier() == '{"manager":"kubectl","operation":"Apply"}'


def test_first_apply_to_an_object_without_managed_fields_credits_before_first_apply() -> None:
    live = stored(cm({"a": "1", "b": "2"}))
    obj = applied(CM, live, cm({"a": "1"}))
    assert obj["metadata"]["managedFields"] == [
        entry("kubectl", {"f:data": {"f:a": {}}}, operation="Apply", time=None),
        entry("before-first-apply", {"f:data": {".": {}, "f:a": {}, "f:b": {}}}),
    ], "nothing changed, so the applier's entry has no time yet"


def test_kubectl_takes_over_what_client_side_apply_set() -> None:
    last = (
        '{"apiVersion":"v1","data":{"k":"v"},"kind":"ConfigMap",'
        '"metadata":{"annotations":{},"name":"c","namespace":"d"}}\n'
    )
    live = created(cm({"k": "v"}, annotations={manager.LAST_APPLIED: last}), "kubectl-client-side-apply")
    # another manager conflicts with client-side apply's field
    with pytest.raises(errors.ApiError) as caught:
        applied(CM, live, cm({"k": "w"}), "other")
    assert caught.value.message == (
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.k'
    )
    # kubectl does not: the annotation shows client-side apply set it and nobody changed it since
    obj = applied(CM, live, cm({"k": "w"}))
    assert obj["data"] == {"k": "w"}
    assert obj["metadata"]["annotations"][manager.LAST_APPLIED] == (
        '{"apiVersion":"v1","data":{"k":"w"},"kind":"ConfigMap","metadata":{"name":"c","namespace":"d"}}\n'
    )
    assert [(e["manager"], e["operation"]) for e in obj["metadata"]["managedFields"]] == [
        ("kubectl", "Apply"), ("kubectl-client-side-apply", "Update"),
    ]  # fmt: skip


def test_apply_ignores_status_of_kinds_with_a_status_subresource() -> None:
    config = deploy([{"name": "a", "image": "i"}]) | {"status": {"replicas": 9}}
    obj = applied(DEPLOY, None, config)
    assert obj["status"] == {}
    assert "f:status" not in obj["metadata"]["managedFields"][0]["fieldsV1"]


@pytest.mark.parametrize(
    ("config", "code", "reason", "message"),
    [
        (cm() | {"kind": "Secret"}, 400, "BadRequest", "invalid object type: /v1, Kind=Secret"),
        ({"metadata": {"name": "c"}}, 400, "BadRequest", "invalid object type: /, Kind="),
        (cm(managedFields=[]), 400, "BadRequest", "metadata.managedFields must be nil"),
        (cm() | {"spec": {"x": 1}}, 500, "",
         "failed to create typed patch object (d/c; /v1, Kind=ConfigMap): .spec: field not declared in schema"),
    ],
)  # fmt: skip
def test_apply_errors(config: dict[str, Any], code: int, reason: str, message: str) -> None:
    with pytest.raises(errors.ApiError) as caught:
        manager.apply(CM, None, config, "kubectl", force=False)
    assert (caught.value.code, caught.value.reason, caught.value.message) == (code, reason, message)


# -- the default manager name ------------------------------------------------------------------------


@dataclass
class UA:
    manager: str
    user_agent: str
    expected: str
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.mark.parametrize(
    "case",
    [
        UA("", "kubectl.1.33/v1.33.1 (linux/amd64) kubernetes/8adc0f0", "kubectl.1.33"),
        UA("", "kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/abc", "kube-controller-manager"),
        UA("", "Python-urllib/3.12", "Python-urllib"),
        UA("", "", ""),
        UA("", "ab\x01c\x7f/1", "abc"),
        UA("", "x" * 200, "x" * 128),
        UA("mine", "kubectl/v1", "mine"),
    ],
)  # fmt: skip
def test_manager_or_user_agent(case: UA) -> None:
    assert manager_or_user_agent(case.manager, case.user_agent) == case.expected


@pytest.mark.parametrize(
    ("raw", "force"),
    [(None, None), ("true", True), ("false", False), ("False", False), ("FALSE", False), ("0", False),
     ("1", True), ("", True), ("yes", True)],
)  # fmt: skip
def test_force_query_parameter(raw: str | None, force: bool | None) -> None:
    """Convert_Slice_string_To_Pointer_bool: only `0` and `false` (any case) are false."""
    assert force_option(raw) is force
