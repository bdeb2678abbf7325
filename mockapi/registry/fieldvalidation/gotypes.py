r"""The Go types behind a kind's published schema, as far as decoding errors can tell them apart.

kube-apiserver decodes a body into the versioned Go struct (`k8s.io/api/<group>/<version>`); what a
decoding error says depends on that struct: which JSON names are fields (anything else is an unknown
field), the Go type name printed by `json: cannot unmarshal ... of type v1.PodSpec`, the struct name of
`Go struct field Container.spec.containers.image`, and which types decode themselves (`Quantity`,
`IntOrString`, `Time`, `RawExtension` ...). The published OpenAPI definitions carry the fields and
their JSON types; what they do not carry is kept here as small tables, each with its source:

* `NAMED`: fields whose Go type is a named string or map type (`type PullPolicy string`,
  `type ResourceList map[ResourceName]resource.Quantity`), from k8s.io/api core/v1, apps/v1, batch/v1,
  networking/v1 and meta/v1 `types.go`. Fields not listed print as plain `string` / `map[string]...`.
* `INLINE`: fields that reach the struct through an inlined embedded struct (`VolumeSource
  \`json:",inline"\``); encoding/json names the embedded struct in `Go struct field` paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from mockapi.resources import schemas as schema_data
from mockapi.resources.schemas import Schema, Schemas, openapi_type, ref_name

STRUCT, MAP, SLICE, STRING, BYTES, INT, FLOAT, BOOL, INTERFACE = (
    "struct",
    "map",
    "slice",
    "string",
    "bytes",
    "int",
    "float",
    "bool",
    "interface",
)
QUANTITY, INT_OR_STRING, TIME, MICRO_TIME, RAW = "quantity", "intorstring", "time", "microtime", "raw"
CUSTOM = frozenset({QUANTITY, INT_OR_STRING, TIME, MICRO_TIME, RAW})
"""Types with their own UnmarshalJSON: encoding/json hands them the raw value and checks nothing inside."""

_APIMACHINERY = "io.k8s.apimachinery.pkg."
_APIEXT = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."
_CUSTOM_DEFINITIONS = {
    _APIMACHINERY + "api.resource.Quantity": QUANTITY,
    _APIMACHINERY + "util.intstr.IntOrString": INT_OR_STRING,
    _APIMACHINERY + "apis.meta.v1.Time": TIME,
    _APIMACHINERY + "apis.meta.v1.MicroTime": MICRO_TIME,
    _APIMACHINERY + "runtime.RawExtension": RAW,
    _APIMACHINERY + "apis.meta.v1.FieldsV1": RAW,
    _APIMACHINERY + "apis.meta.v1.Patch": RAW,
    _APIEXT + "JSON": RAW,
    _APIEXT + "JSONSchemaPropsOrArray": RAW,
    _APIEXT + "JSONSchemaPropsOrBool": RAW,
    _APIEXT + "JSONSchemaPropsOrStringArray": RAW,
}

_CORE = "io.k8s.api.core.v1."
NAMED: dict[tuple[str, str], str] = {
    (_CORE + "Container", "imagePullPolicy"): "v1.PullPolicy",
    (_CORE + "Container", "terminationMessagePolicy"): "v1.TerminationMessagePolicy",
    (_CORE + "Container", "restartPolicy"): "v1.ContainerRestartPolicy",
    (_CORE + "EphemeralContainer", "imagePullPolicy"): "v1.PullPolicy",
    (_CORE + "EphemeralContainer", "terminationMessagePolicy"): "v1.TerminationMessagePolicy",
    (_CORE + "ContainerPort", "protocol"): "v1.Protocol",
    (_CORE + "ServicePort", "protocol"): "v1.Protocol",
    (_CORE + "EndpointPort", "protocol"): "v1.Protocol",
    ("io.k8s.api.discovery.v1.EndpointPort", "protocol"): "v1.Protocol",
    ("io.k8s.api.networking.v1.NetworkPolicyPort", "protocol"): "v1.Protocol",
    (_CORE + "PodSpec", "restartPolicy"): "v1.RestartPolicy",
    (_CORE + "PodSpec", "dnsPolicy"): "v1.DNSPolicy",
    (_CORE + "PodSpec", "preemptionPolicy"): "v1.PreemptionPolicy",
    (_CORE + "ServiceSpec", "type"): "v1.ServiceType",
    (_CORE + "ServiceSpec", "sessionAffinity"): "v1.ServiceAffinity",
    (_CORE + "ServiceSpec", "externalTrafficPolicy"): "v1.ServiceExternalTrafficPolicy",
    (_CORE + "ServiceSpec", "internalTrafficPolicy"): "v1.ServiceInternalTrafficPolicy",
    (_CORE + "ServiceSpec", "ipFamilies"): "v1.IPFamily",
    (_CORE + "ServiceSpec", "ipFamilyPolicy"): "v1.IPFamilyPolicy",
    (_CORE + "Secret", "type"): "v1.SecretType",
    (_CORE + "PersistentVolumeClaimSpec", "accessModes"): "v1.PersistentVolumeAccessMode",
    (_CORE + "PersistentVolumeClaimSpec", "volumeMode"): "v1.PersistentVolumeMode",
    (_CORE + "Capabilities", "add"): "v1.Capability",
    (_CORE + "Capabilities", "drop"): "v1.Capability",
    (_CORE + "HostPathVolumeSource", "type"): "v1.HostPathType",
    (_CORE + "Toleration", "operator"): "v1.TolerationOperator",
    (_CORE + "Toleration", "effect"): "v1.TaintEffect",
    (_CORE + "Taint", "effect"): "v1.TaintEffect",
    (_CORE + "NodeSelectorRequirement", "operator"): "v1.NodeSelectorOperator",
    (_CORE + "HTTPGetAction", "scheme"): "v1.URIScheme",
    (_CORE + "SeccompProfile", "type"): "v1.SeccompProfileType",
    (_CORE + "VolumeMount", "mountPropagation"): "v1.MountPropagationMode",
    (_CORE + "NamespaceSpec", "finalizers"): "v1.FinalizerName",
    (_CORE + "LimitRangeItem", "type"): "v1.LimitType",
    (_CORE + "ResourceRequirements", "limits"): "v1.ResourceList",
    (_CORE + "ResourceRequirements", "requests"): "v1.ResourceList",
    (_CORE + "ResourceQuotaSpec", "hard"): "v1.ResourceList",
    (_CORE + "LimitRangeItem", "max"): "v1.ResourceList",
    (_CORE + "LimitRangeItem", "min"): "v1.ResourceList",
    (_CORE + "LimitRangeItem", "default"): "v1.ResourceList",
    (_CORE + "LimitRangeItem", "defaultRequest"): "v1.ResourceList",
    (_CORE + "LimitRangeItem", "maxLimitRequestRatio"): "v1.ResourceList",
    (_CORE + "PodSpec", "overhead"): "v1.ResourceList",
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"): "v1.DeploymentStrategyType",
    ("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy"): "v1.PodManagementPolicyType",
    ("io.k8s.api.apps.v1.StatefulSetUpdateStrategy", "type"): "v1.StatefulSetUpdateStrategyType",
    ("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "type"): "v1.DaemonSetUpdateStrategyType",
    ("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy"): "v1.ConcurrencyPolicy",
    ("io.k8s.api.batch.v1.JobSpec", "completionMode"): "v1.CompletionMode",
    ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType"): "v1.PathType",
    ("io.k8s.api.networking.v1.NetworkPolicySpec", "policyTypes"): "v1.PolicyType",
    (_APIMACHINERY + "apis.meta.v1.LabelSelectorRequirement", "operator"): "v1.LabelSelectorOperator",
    (_APIMACHINERY + "apis.meta.v1.ManagedFieldsEntry", "operation"): "v1.ManagedFieldsOperationType",
}

_LOCAL_REF = "LocalObjectReference"
_VOLUME_SOURCE_FIELDS = (
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "csi",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "glusterfs",
    "hostPath",
    "iscsi",
    "nfs",
    "photonPersistentDisk",
    "portworxVolume",
    "quobyte",
    "rbd",
    "scaleIO",
    "storageos",
    "vsphereVolume",
)
INLINE: dict[str, dict[str, str]] = {
    _CORE + "ConfigMapVolumeSource": {"name": _LOCAL_REF},
    _CORE + "ConfigMapProjection": {"name": _LOCAL_REF},
    _CORE + "ConfigMapEnvSource": {"name": _LOCAL_REF},
    _CORE + "ConfigMapKeySelector": {"name": _LOCAL_REF},
    _CORE + "SecretEnvSource": {"name": _LOCAL_REF},
    _CORE + "SecretKeySelector": {"name": _LOCAL_REF},
    _CORE + "SecretProjection": {"name": _LOCAL_REF},
    _CORE + "Probe": {k: "ProbeHandler" for k in ("exec", "httpGet", "tcpSocket", "grpc")},
    _CORE + "PersistentVolumeSpec": {k: "PersistentVolumeSource" for k in (*_VOLUME_SOURCE_FIELDS, "local")},
}
"""Definition -> {JSON field: embedded struct}. Volume and EphemeralContainer are handled by rule below."""


def _inline_of(definition: str, schema: Schema) -> dict[str, str]:
    props = schema.get("properties") or {}
    if definition == _CORE + "Volume":
        return {k: "VolumeSource" for k in props if k != "name"}
    if definition == _CORE + "EphemeralContainer":
        return {k: "EphemeralContainerCommon" for k in props if k != "targetContainerName"}
    table = dict(INLINE.get(definition, {}))
    if schema.get("x-kubernetes-group-version-kind"):
        table.update({"apiVersion": "TypeMeta", "kind": "TypeMeta"})
    return table


@dataclass(eq=False)
class Field:
    type: GoType
    embedded: str = ""
    """The inlined embedded struct the field comes from (`VolumeSource`), or empty."""


@dataclass(eq=False)
class GoType:
    kind: str
    """STRUCT, MAP, SLICE, STRING, BYTES, INT, FLOAT, BOOL, INTERFACE, or one of CUSTOM."""
    name: str = ""
    """reflect.Type.String(): `v1.PodSpec`, `[]v1.Container`, `map[string]string`, `int32`."""
    struct: str = ""
    """For structs, the type's own name (`PodSpec`), as `Go struct field <Struct>.<path>` prints it."""
    fields: dict[str, Field] = field(default_factory=dict)
    elem: GoType | None = None
    """Element type of a slice or map."""
    bits: int = 64
    """Size of an INT or FLOAT (int32 / int64, float32 / float64)."""
    preserve_unknown: bool = False
    """`x-kubernetes-preserve-unknown-fields`: unknown fields of this struct are not reported."""


INTERFACE_TYPE = GoType(INTERFACE, "interface {}")
UINT8 = GoType(INT, "uint8", bits=8)


def _package(definition: str) -> str:
    parts = definition.rsplit(".", 2)
    return parts[-2] if len(parts) == 3 else ""


class TypeIndex:
    """GoTypes of one version's definitions, built on first use and cached."""

    def __init__(self, defs: Schemas) -> None:
        self.defs = defs
        self._structs: dict[str, GoType] = {}

    def for_kind(self, group: str, version: str, kind: str) -> GoType | None:
        name = self.defs.name_for(group, version, kind)
        return None if name is None else self.definition(name)

    def definition(self, name: str) -> GoType:
        """The GoType of a named definition; structs are filled in after registration (recursion)."""
        if name in self._structs:
            return self._structs[name]
        schema = self.defs.definitions.get(name)
        custom = _CUSTOM_DEFINITIONS.get(name)
        short = name.rsplit(".", 1)[-1]
        go_name = f"{_package(name)}.{short}"
        if custom is not None or schema is None:
            result = GoType(custom or RAW, go_name)
            self._structs[name] = result
            return result
        has_props = isinstance(schema.get("properties"), dict) or openapi_type(schema) == "object"
        if has_props and not isinstance(schema.get("additionalProperties"), dict):
            result = GoType(STRUCT, go_name, struct=short)
            result.preserve_unknown = bool(schema.get("x-kubernetes-preserve-unknown-fields"))
            self._structs[name] = result
            inline = _inline_of(name, schema)
            for prop, node in (schema.get("properties") or {}).items():
                result.fields[prop] = Field(self.node(node, name, prop), inline.get(prop, ""))
            return result
        result = self.node(schema, name, "")
        self._structs[name] = result
        return result

    def node(self, node: Schema, owner: str, prop: str) -> GoType:
        """The GoType of a schema node met as field `prop` of definition `owner`."""
        ref = node.get("$ref")
        if isinstance(ref, str):
            return self.definition(ref_name(ref))
        all_of = node.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
            return self.node(all_of[0], owner, prop)
        named = NAMED.get((owner, prop))
        kind = openapi_type(node)
        if kind == "array":
            items = node.get("items")
            elem = self._leaf(items, owner, prop, named) if isinstance(items, dict) else INTERFACE_TYPE
            return GoType(SLICE, "[]" + elem.name, elem=elem)
        if kind == "object" or isinstance(node.get("additionalProperties"), dict):
            extra = node.get("additionalProperties")
            if isinstance(extra, dict):
                elem = self.node(extra, owner, "")
                if elem.kind == BYTES:
                    elem = GoType(BYTES, "[]uint8")
                return GoType(MAP, named or f"map[string]{elem.name}", elem=elem)
            if node.get("properties"):
                inner = GoType(STRUCT, "struct", struct="")
                for sub, sub_node in node["properties"].items():
                    inner.fields[sub] = Field(self.node(sub_node, owner, sub))
                return inner
            return GoType(RAW if node.get("x-kubernetes-preserve-unknown-fields") else INTERFACE, "interface {}")
        return self._leaf(node, owner, prop, named)

    def _leaf(self, node: Schema, owner: str, prop: str, named: str | None) -> GoType:
        if "$ref" in node or openapi_type(node) in ("array", "object"):
            return self.node(node, owner, "")
        kind = openapi_type(node)
        fmt = node.get("format")
        if kind == "integer":
            bits = 32 if fmt == "int32" else 64
            return GoType(INT, named or ("int32" if bits == 32 else "int64"), bits=bits)
        if kind == "number":
            bits = 32 if fmt == "float" else 64
            return GoType(FLOAT, named or f"float{bits}", bits=bits)
        if kind == "boolean":
            return GoType(BOOL, named or "bool")
        if kind == "string":
            if fmt == "byte":
                return GoType(BYTES, "[]uint8")
            if fmt == "date-time":
                return GoType(TIME, "v1.Time")
            return GoType(STRING, named or "string")
        return INTERFACE_TYPE


@cache
def index(version: str) -> TypeIndex:
    """The TypeIndex of an emulated Kubernetes version (`1.33`), one per process."""
    return TypeIndex(schema_data.load(version))
