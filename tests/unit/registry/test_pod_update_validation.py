"""Pod updates (ValidatePodUpdate of 1.33) and the go-cmp rendering of the spec diff in its message.

go-cmp's report is deliberately unstable (it swaps in non-breaking spaces at random); the expected
reports are its deterministic form, derived from go-cmp's report_*.go rules and checked against reports
kube-apiserver printed for the same kind of change.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from mockapi.registry.defaulting import apply_defaults, prepare_for_create
from mockapi.registry.kindvalidation.gocmp import pod_spec_diff, pod_specs_equal
from mockapi.registry.kindvalidation.gocmp_text import Line, Lst, Record, Stats, Wrap, append_ellipsis
from mockapi.registry.kindvalidation.gocmp_types import quantity_parts
from mockapi.registry.kindvalidation.pods import validate_pod
from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

Obj = dict[str, Any]

FORBIDDEN = (
    "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing "
    "tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
)


def stored(**spec: Any) -> Obj:
    obj: Obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "env": [{"name": "MODE", "value": "blue"}]}]},
    }
    obj["spec"].update(spec)
    apply_defaults("", "v1", "Pod", obj)
    prepare_for_create("", "Pod", obj)
    return obj


def update(old: Obj, change: Callable[[Obj], None]) -> list[str]:
    new = copy.deepcopy(old)
    change(new["spec"])
    return [str(e) for e in validate_pod(new, old)]


def c0(spec: Obj) -> Obj:
    container: Obj = spec["containers"][0]
    return container


ENV_DIFF = """\
  core.PodSpec{
  \tVolumes:        nil,
  \tInitContainers: nil,
  \tContainers: []core.Container{
  \t\t{
  \t\t\t... // 5 identical fields
  \t\t\tPorts:   nil,
  \t\t\tEnvFrom: nil,
  \t\t\tEnv: []core.EnvVar{
  \t\t\t\t{
  \t\t\t\t\tName:      "MODE",
- \t\t\t\t\tValue:     "blue",
+ \t\t\t\t\tValue:     "green",
  \t\t\t\t\tValueFrom: nil,
  \t\t\t\t},
  \t\t\t},
  \t\t\tResources:    {},
  \t\t\tResizePolicy: nil,
  \t\t\t... // 14 identical fields
  \t\t},
  \t},
  \tEphemeralContainers: nil,
  \tRestartPolicy:       "Always",
  \t... // 29 identical fields
  }
"""


def test_changing_an_env_value_is_forbidden_with_the_spec_diff() -> None:
    assert update(stored(), lambda s: c0(s)["env"][0].update(value="green")) == [FORBIDDEN + ENV_DIFF]


def test_scalar_change_shows_two_records_of_context() -> None:
    assert update(stored(), lambda s: s.update(nodeName="node-1")) == [
        FORBIDDEN
        + """\
  core.PodSpec{
  \t... // 9 identical fields
  \tServiceAccountName:           "",
  \tAutomountServiceAccountToken: nil,
- \tNodeName:                     "",
+ \tNodeName:                     "node-1",
  \tSecurityContext:              &{},
  \tImagePullSecrets:             nil,
  \t... // 20 identical fields
  }
"""
    ]


def test_resource_quantities_print_as_go_structs() -> None:
    old = stored()
    c0(old["spec"])["resources"] = {"requests": {"cpu": "1", "memory": "10Gi"}}
    diff = pod_spec_diff(old["spec"], _with(old["spec"], lambda s: c0(s)["resources"]["requests"].update(memory="2Gi")))
    assert (
        """\
  \t\t\tResources: core.ResourceRequirements{
  \t\t\t\tLimits: nil,
  \t\t\t\tRequests: core.ResourceList{
  \t\t\t\t\ts"cpu":    {i: {...}, s: "1", Format: "DecimalSI"},
- \t\t\t\t\ts"memory": {i: resource.int64Amount{value: 10737418240}, s: "10Gi", Format: "BinarySI"},
+ \t\t\t\t\ts"memory": {i: resource.int64Amount{value: 2147483648}, s: "2Gi", Format: "BinarySI"},
  \t\t\t\t},
  \t\t\t\tClaims: nil,
  \t\t\t},
"""
        in diff
    )


def _with(spec: Obj, change: Callable[[Obj], None]) -> Obj:
    out = copy.deepcopy(spec)
    change(out)
    return out


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("500m", (500, -3, "500m", "DecimalSI")),
        ("2Gi", (2 << 30, 0, "2Gi", "BinarySI")),
        ("128Mi", (128 << 20, 0, "", "BinarySI")),  # ParseQuantity keeps no string for 128 (a multiple of 8)
        ("0", (0, 0, "", "DecimalSI")),
        ("12e6", (12, 6, "12e6", "DecimalExponent")),
    ],
)
def test_quantity_fields(raw: str, parts: tuple[int, int, str, str]) -> None:
    assert quantity_parts(raw) == parts


def test_host_namespaces_diff_inside_the_internal_security_context() -> None:
    diff = pod_spec_diff(stored()["spec"], _with(stored()["spec"], lambda s: s.update(hostNetwork=True)))
    assert (
        """\
  \tSecurityContext: &core.PodSecurityContext{
- \t\tHostNetwork: false,
+ \t\tHostNetwork: true,
  \t\tHostPID:     false,
  \t\tHostIPC:     false,
  \t\t... // 15 identical fields
  \t},
"""
        in diff
    )


def test_new_pointer_values_print_typed_and_verbosity_limited() -> None:
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [{"key": "k", "operator": "In", "values": ["v"]}]}]
            }
        }
    }
    diff = pod_spec_diff(stored()["spec"], _with(stored()["spec"], lambda s: s.update(affinity=affinity)))
    assert (
        """\
- \tAffinity:          nil,
+ \tAffinity: &core.Affinity{
+ \t\tNodeAffinity: &core.NodeAffinity{
+ \t\t\tRequiredDuringSchedulingIgnoredDuringExecution: &core.NodeSelector{"""
        """NodeSelectorTerms: []core.NodeSelectorTerm{...}},
+ \t\t},
+ \t},
""" in diff
    )


def test_multi_line_strings_are_diffed_by_line() -> None:
    script = "set -e\n" + "".join(f"echo step number {i} of the long script\n" for i in range(6))
    old = stored()
    c0(old["spec"])["args"] = ["-c", script]
    changed = script.replace("step number 3", "step number three")
    diff = pod_spec_diff(old["spec"], _with(old["spec"], lambda s: c0(s)["args"].__setitem__(1, changed)))
    assert (
        """\
  \t\t\tArgs: []string{
  \t\t\t\t"-c",
  \t\t\t\t(
  \t\t\t\t\t""\"
  \t\t\t\t\t... // 2 identical lines
  \t\t\t\t\techo step number 1 of the long script
  \t\t\t\t\techo step number 2 of the long script
- \t\t\t\t\techo step number 3 of the long script
+ \t\t\t\t\techo step number three of the long script
  \t\t\t\t\techo step number 4 of the long script
  \t\t\t\t\techo step number 5 of the long script
  \t\t\t\t\t""\"
  \t\t\t\t),
  \t\t\t},
"""
        in diff
    )


def test_inserted_slice_elements_are_aligned() -> None:
    old = stored()
    c0(old["spec"])["env"] = [{"name": f"E{i}", "value": "v"} for i in range(8)]
    new = _with(old["spec"], lambda s: c0(s)["env"].insert(3, {"name": "NEW", "value": "x"}))
    assert """\
  \t\t\tEnv: []core.EnvVar{
  \t\t\t\t{Name: "E0", Value: "v"},
  \t\t\t\t{Name: "E1", Value: "v"},
  \t\t\t\t{Name: "E2", Value: "v"},
+ \t\t\t\t{Name: "NEW", Value: "x"},
  \t\t\t\t{Name: "E3", Value: "v"},
  \t\t\t\t{Name: "E4", Value: "v"},
  \t\t\t\t... // 3 identical elements
  \t\t\t},
""" in pod_spec_diff(old["spec"], new)


def test_quantities_compare_by_value() -> None:
    old = stored()
    c0(old["spec"])["resources"] = {"requests": {"cpu": "1"}}
    assert pod_specs_equal(
        old["spec"], _with(old["spec"], lambda s: c0(s)["resources"]["requests"].update(cpu="1000m"))
    )


def test_equal_specs_have_no_diff() -> None:
    spec = stored()["spec"]
    assert pod_specs_equal(spec, _with(spec, lambda s: s.update(serviceAccount="ignored", volumes=[])))
    assert pod_spec_diff(spec, copy.deepcopy(spec)) == ""


def test_text_layout_rules() -> None:
    records = [Record(Line('"a"'), key="Name"), Record(Line("nil"), key="ValueFrom")]
    append_ellipsis(records, Stats("field", identical=1))
    append_ellipsis(records, Stats("field", identical=2))
    text = Wrap("core.EnvVar{", Lst((*records, Record(Line("1"), key="X", diff="-"))), "}")
    assert text.render() == (
        '  core.EnvVar{\n  \tName:      "a",\n  \tValueFrom: nil,\n  \t... // 3 identical fields\n- \tX: 1,\n  }\n'
    )
    assert str(Stats("entry", identical=1, modified=2)) == "1 identical and 2 modified entries"
    assert Lst((Record(Line("1")), Record(Line("2")))).render() == "  1, 2\n"


# --- the other update rules ---------------------------------------------------------------------------


def test_image_updates_are_allowed_but_not_emptied() -> None:
    old = stored()
    assert update(old, lambda s: c0(s).update(image="nginx:1.28")) == []
    # ValidatePodSpec and ValidateContainerUpdates both report it (the aggregated message shows it once)
    assert update(old, lambda s: c0(s).update(image="")) == ["spec.containers[0].image: Required value"] * 2


def test_adding_a_container_stops_at_the_count() -> None:
    old = stored()
    added = copy.deepcopy(c0(old["spec"])) | {"name": "sidecar", "env": []}
    assert update(old, lambda s: s["containers"].append(added)) == [
        "spec.containers: Forbidden: pod updates may not add or remove containers"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (None, 30, []),
        (30, 10, []),
        (30, 60, ["spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value"]),
        (
            30,
            None,
            ["spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"],
        ),
    ],
)
def test_active_deadline_seconds(old: int | None, new: int | None, expected: list[str]) -> None:
    pod = stored(activeDeadlineSeconds=old) if old is not None else stored()
    assert (
        update(
            pod, lambda s: s.update(activeDeadlineSeconds=new) if new is not None else s.pop("activeDeadlineSeconds")
        )
        == expected
    )


def test_tolerations_may_only_be_added_or_have_their_seconds_changed() -> None:
    old = stored(tolerations=[{"key": "k", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30}])
    assert update(old, lambda s: s["tolerations"].append({"key": "x", "operator": "Exists"})) == []
    assert update(old, lambda s: s["tolerations"][0].update(tolerationSeconds=60)) == []
    assert update(old, lambda s: s["tolerations"][0].update(key="other")) == [
        "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"
    ]


def test_negative_grace_period_may_become_one() -> None:
    old = stored(terminationGracePeriodSeconds=-1)
    assert update(old, lambda s: s.update(terminationGracePeriodSeconds=1)) == []
    [message] = update(old, lambda s: s.update(terminationGracePeriodSeconds=5))
    assert "- \tTerminationGracePeriodSeconds: &-1,\n+ \tTerminationGracePeriodSeconds: &5,\n" in message


def test_scheduling_gates_may_only_be_removed_and_gated_node_selectors_only_grow() -> None:
    old = stored(schedulingGates=[{"name": "example.com/a"}], nodeSelector={"zone": "a"})
    assert update(old, lambda s: s.pop("schedulingGates")) == []
    assert update(old, lambda s: s["schedulingGates"].append({"name": "example.com/b"})) == [
        "spec.schedulingGates[1].name: Forbidden: "
        "only deletion is allowed, but found new scheduling gate 'example.com/b'"
    ]
    assert update(old, lambda s: s["nodeSelector"].update(disk="ssd")) == []
    assert update(old, lambda s: s.update(nodeSelector={"zone": "b"})) == [
        'spec.nodeSelector: Invalid value: map[string]string{"zone":"b"}: '
        "only additions to spec.nodeSelector are allowed (no mutations or deletions)"
    ]


def test_new_spec_is_validated_before_the_update_rules() -> None:
    [invalid, forbidden] = update(stored(), lambda s: c0(s)["env"][0].update(name="A=B"))
    assert invalid == (
        'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only '
        "of printable ASCII characters other than '='"
    )
    assert forbidden.startswith(FORBIDDEN + "  core.PodSpec{\n")
    assert update(stored(), lambda s: None) == []


# --- through the server -----------------------------------------------------------------------------------


def test_put_with_a_changed_env_is_a_422(mockapi: ServerThread) -> None:
    client = ApiClient(mockapi)
    pods = "/api/v1/namespaces/default/pods"
    container = {"name": "app", "image": "nginx:1.27", "env": [{"name": "MODE", "value": "blue"}]}
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [container]}}
    created = client.post(pods, body)
    assert created.status == 201, created.body
    pod = created.json()
    pod["spec"]["containers"][0]["env"][0]["value"] = "green"
    reply = client.put(f"{pods}/web", pod)
    assert reply.status == 422
    status = reply.json()
    [cause] = status["details"]["causes"]
    assert (cause["reason"], cause["field"]) == ("FieldValueForbidden", "spec")
    assert status["message"] == 'Pod "web" is invalid: spec: ' + cause["message"]
    assert cause["message"].startswith(FORBIDDEN.removeprefix("spec: "))
    volume = pod["spec"]["volumes"][0]["name"]
    assert f'  \tVolumes:        {{{{Name: "{volume}", VolumeSource: {{Projected: &{{Sources:' in cause["message"]
    assert cause["message"].endswith(ENV_DIFF[ENV_DIFF.index("  \tInitContainers") :])
    pod["spec"]["containers"][0]["env"][0]["value"] = "blue"
    pod["spec"]["containers"][0]["image"] = "nginx:1.28"
    assert client.put(f"{pods}/web", pod).status == 200
