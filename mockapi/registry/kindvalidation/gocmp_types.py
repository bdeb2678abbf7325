"""The Go types go-cmp walks when kube-apiserver diffs a pod spec: internal `core.PodSpec` and what it
contains, field by field in struct order, with the v1 JSON member each field decodes from.

Types are declared as `member:type` lists: `S` string, `I` integer, `B` bool, `Q` resource.Quantity,
`RN` core.ResourceName (printed through its String method), `IOS` intstr.IntOrString, `RAW` a value
the schema does not describe; `*T` a pointer, `[]T` a slice, `map:T` a map[string]T; `:T` embeds T
(its members sit in the same JSON object). JSON members a type does not list are kept as trailing raw
fields, so a change to them still shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mockapi.registry.defaulting.quantity import parse as parse_quantity

STRING, INT, BOOL, STRINGER, QUANTITY, PTR, SLICE, MAP, STRUCT, RAW = (
    "string",
    "int",
    "bool",
    "stringer",
    "quantity",
    "ptr",
    "slice",
    "map",
    "struct",
    "raw",
)


@dataclass(frozen=True)
class GoType:
    kind: str
    name: str = ""
    elem: GoType | None = None
    key: GoType | None = None
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Field:
    go: str
    json: str
    type: GoType


S = GoType(STRING, "string")
RAW_T = GoType(RAW, "interface {}")
RESOURCE_NAME = GoType(STRINGER, "core.ResourceName")
INT_OR_STRING = GoType(STRUCT, "intstr.IntOrString")  # built from the JSON int or string (gocmp_compare.build)


def ptr(t: GoType) -> GoType:
    return GoType(PTR, "*" + t.name, elem=t)


def sl(t: GoType) -> GoType:
    return GoType(SLICE, "[]" + t.name, elem=t)


def mp(t: GoType, key: GoType = S, name: str = "") -> GoType:
    return GoType(MAP, name or f"map[{key.name}]{t.name}", elem=t, key=key)


# Go names of JSON members that are not just the member capitalised
_GO_NAMES = {
    "apiVersion": "APIVersion",
    "awsElasticBlockStore": "AWSElasticBlockStore",
    "cephfs": "CephFS",
    "csi": "CSI",
    "dnsConfig": "DNSConfig",
    "dnsPolicy": "DNSPolicy",
    "fc": "FC",
    "fsGroup": "FSGroup",
    "fsGroupChangePolicy": "FSGroupChangePolicy",
    "fsType": "FSType",
    "gcePersistentDisk": "GCEPersistentDisk",
    "grpc": "GRPC",
    "hostIP": "HostIP",
    "hostIPC": "HostIPC",
    "hostPID": "HostPID",
    "httpGet": "HTTPGet",
    "httpHeaders": "HTTPHeaders",
    "ip": "IP",
    "iscsi": "ISCSI",
    "nfs": "NFS",
    "os": "OS",
    "rbd": "RBD",
    "seLinuxChangePolicy": "SELinuxChangePolicy",
    "seLinuxOptions": "SELinuxOptions",
    "setHostnameAsFQDN": "SetHostnameAsFQDN",
    "tcpSocket": "TCPSocket",
    "tty": "TTY",
}


def go_name(json: str) -> str:
    return _GO_NAMES.get(json) or json[:1].upper() + json[1:]


TYPES: dict[str, GoType] = {
    "S": S,
    "I": GoType(INT, "int64"),
    "B": GoType(BOOL, "bool"),
    "Q": GoType(QUANTITY, "resource.Quantity"),
    "RN": RESOURCE_NAME,
    "IOS": INT_OR_STRING,
    "RAW": RAW_T,
}


def typ(spec: str) -> GoType:
    if spec.startswith("*"):
        return ptr(typ(spec[1:]))
    if spec.startswith("[]"):
        return sl(typ(spec[2:]))
    if spec.startswith("map:"):
        return mp(typ(spec[4:]))
    return TYPES[spec]


def define(name: str, members: str) -> GoType:
    """Declare (and register under its short name) a struct type from `member:type` tokens."""
    fields = []
    for token in members.split():
        json, _, spec = token.partition(":")
        t = typ(spec)
        fields.append(Field(t.name.rpartition(".")[2] if not json else go_name(json), json, t))
    qualified = name if "." in name else f"core.{name}"
    TYPES[qualified.rpartition(".")[2]] = t = GoType(STRUCT, qualified, fields=tuple(fields))
    return t


TYPES["ResourceList"] = mp(TYPES["Q"], RESOURCE_NAME, "core.ResourceList")

define("LocalObjectReference", "name:S")
define("KeyToPath", "key:S path:S mode:*I")
define("ObjectFieldSelector", "apiVersion:S fieldPath:S")
define("ResourceFieldSelector", "containerName:S resource:S divisor:Q")
define("ConfigMapKeySelector", ":LocalObjectReference key:S optional:*B")
define("SecretKeySelector", ":LocalObjectReference key:S optional:*B")
define(
    "EnvVarSource",
    "fieldRef:*ObjectFieldSelector resourceFieldRef:*ResourceFieldSelector "
    "configMapKeyRef:*ConfigMapKeySelector secretKeyRef:*SecretKeySelector",
)
define("EnvVar", "name:S value:S valueFrom:*EnvVarSource")
define("ConfigMapEnvSource", ":LocalObjectReference optional:*B")
define("SecretEnvSource", ":LocalObjectReference optional:*B")
define("EnvFromSource", "prefix:S configMapRef:*ConfigMapEnvSource secretRef:*SecretEnvSource")
define("ResourceClaim", "name:S request:S")
define("ResourceRequirements", "limits:ResourceList requests:ResourceList claims:[]ResourceClaim")
define("ContainerPort", "name:S hostPort:I containerPort:I protocol:S hostIP:S")
define("ContainerResizePolicy", "resourceName:RN restartPolicy:S")
define("VolumeMount", "name:S readOnly:B recursiveReadOnly:*S mountPath:S subPath:S mountPropagation:*S subPathExpr:S")
define("VolumeDevice", "name:S devicePath:S")
define("ExecAction", "command:[]S")
define("HTTPHeader", "name:S value:S")
define("HTTPGetAction", "path:S port:IOS host:S scheme:S httpHeaders:[]HTTPHeader")
define("TCPSocketAction", "port:IOS host:S")
define("GRPCAction", "port:I service:*S")
define("SleepAction", "seconds:I")
define("ProbeHandler", "exec:*ExecAction httpGet:*HTTPGetAction tcpSocket:*TCPSocketAction grpc:*GRPCAction")
define(
    "Probe",
    ":ProbeHandler initialDelaySeconds:I timeoutSeconds:I periodSeconds:I successThreshold:I "
    "failureThreshold:I terminationGracePeriodSeconds:*I",
)
define("LifecycleHandler", "exec:*ExecAction httpGet:*HTTPGetAction tcpSocket:*TCPSocketAction sleep:*SleepAction")
define("Lifecycle", "postStart:*LifecycleHandler preStop:*LifecycleHandler")
define("Capabilities", "add:[]S drop:[]S")
define("SELinuxOptions", "user:S role:S type:S level:S")
define(
    "WindowsSecurityContextOptions",
    "gmsaCredentialSpecName:*S gmsaCredentialSpec:*S runAsUserName:*S hostProcess:*B",
)
define("SeccompProfile", "type:S localhostProfile:*S")
define("AppArmorProfile", "type:S localhostProfile:*S")
define(
    "SecurityContext",
    "capabilities:*Capabilities privileged:*B seLinuxOptions:*SELinuxOptions "
    "windowsOptions:*WindowsSecurityContextOptions runAsUser:*I runAsGroup:*I runAsNonRoot:*B "
    "readOnlyRootFilesystem:*B allowPrivilegeEscalation:*B procMount:*S seccompProfile:*SeccompProfile "
    "appArmorProfile:*AppArmorProfile",
)
CONTAINER_MEMBERS = (
    "name:S image:S command:[]S args:[]S workingDir:S ports:[]ContainerPort envFrom:[]EnvFromSource "
    "env:[]EnvVar resources:ResourceRequirements resizePolicy:[]ContainerResizePolicy restartPolicy:*S "
    "volumeMounts:[]VolumeMount volumeDevices:[]VolumeDevice livenessProbe:*Probe readinessProbe:*Probe "
    "startupProbe:*Probe lifecycle:*Lifecycle terminationMessagePath:S terminationMessagePolicy:S "
    "imagePullPolicy:S securityContext:*SecurityContext stdin:B stdinOnce:B tty:B"
)
define("Container", CONTAINER_MEMBERS)
define("EphemeralContainerCommon", CONTAINER_MEMBERS)
define("EphemeralContainer", ":EphemeralContainerCommon targetContainerName:S")
define("DownwardAPIVolumeFile", "path:S fieldRef:*ObjectFieldSelector resourceFieldRef:*ResourceFieldSelector mode:*I")
define("SecretProjection", ":LocalObjectReference items:[]KeyToPath optional:*B")
define("ConfigMapProjection", ":LocalObjectReference items:[]KeyToPath optional:*B")
define("DownwardAPIProjection", "items:[]DownwardAPIVolumeFile")
define("ServiceAccountTokenProjection", "audience:S expirationSeconds:I path:S")
define(
    "VolumeProjection",
    "secret:*SecretProjection downwardAPI:*DownwardAPIProjection configMap:*ConfigMapProjection "
    "serviceAccountToken:*ServiceAccountTokenProjection",
)
define("HostPathVolumeSource", "path:S type:*S")
define("EmptyDirVolumeSource", "medium:S sizeLimit:*Q")
define("SecretVolumeSource", "secretName:S items:[]KeyToPath defaultMode:*I optional:*B")
define("NFSVolumeSource", "server:S path:S readOnly:B")
define("PersistentVolumeClaimVolumeSource", "claimName:S readOnly:B")
define("DownwardAPIVolumeSource", "items:[]DownwardAPIVolumeFile defaultMode:*I")
define("ConfigMapVolumeSource", ":LocalObjectReference items:[]KeyToPath defaultMode:*I optional:*B")
define("ProjectedVolumeSource", "sources:[]VolumeProjection defaultMode:*I")
define(
    "CSIVolumeSource",
    "driver:S readOnly:*B fsType:*S volumeAttributes:map:S nodePublishSecretRef:*LocalObjectReference",
)
define("ImageVolumeSource", "reference:S pullPolicy:S")
define(
    "VolumeSource",
    "hostPath:*HostPathVolumeSource emptyDir:*EmptyDirVolumeSource gcePersistentDisk:*RAW "
    "awsElasticBlockStore:*RAW gitRepo:*RAW secret:*SecretVolumeSource nfs:*NFSVolumeSource iscsi:*RAW "
    "glusterfs:*RAW persistentVolumeClaim:*PersistentVolumeClaimVolumeSource rbd:*RAW quobyte:*RAW "
    "flexVolume:*RAW cinder:*RAW cephfs:*RAW flocker:*RAW downwardAPI:*DownwardAPIVolumeSource fc:*RAW "
    "azureFile:*RAW configMap:*ConfigMapVolumeSource vsphereVolume:*RAW azureDisk:*RAW "
    "photonPersistentDisk:*RAW projected:*ProjectedVolumeSource portworxVolume:*RAW scaleIO:*RAW "
    "storageos:*RAW csi:*CSIVolumeSource ephemeral:*RAW image:*ImageVolumeSource",
)
define("Volume", "name:S :VolumeSource")
define("v1.LabelSelectorRequirement", "key:S operator:S values:[]S")
define("v1.LabelSelector", "matchLabels:map:S matchExpressions:[]LabelSelectorRequirement")
define("NodeSelectorRequirement", "key:S operator:S values:[]S")
define("NodeSelectorTerm", "matchExpressions:[]NodeSelectorRequirement matchFields:[]NodeSelectorRequirement")
define("NodeSelector", "nodeSelectorTerms:[]NodeSelectorTerm")
define("PreferredSchedulingTerm", "weight:I preference:NodeSelectorTerm")
define(
    "NodeAffinity",
    "requiredDuringSchedulingIgnoredDuringExecution:*NodeSelector "
    "preferredDuringSchedulingIgnoredDuringExecution:[]PreferredSchedulingTerm",
)
define(
    "PodAffinityTerm",
    "labelSelector:*LabelSelector namespaces:[]S topologyKey:S namespaceSelector:*LabelSelector "
    "matchLabelKeys:[]S mismatchLabelKeys:[]S",
)
define("WeightedPodAffinityTerm", "weight:I podAffinityTerm:PodAffinityTerm")
for _kind in ("PodAffinity", "PodAntiAffinity"):
    define(
        _kind,
        "requiredDuringSchedulingIgnoredDuringExecution:[]PodAffinityTerm "
        "preferredDuringSchedulingIgnoredDuringExecution:[]WeightedPodAffinityTerm",
    )
define("Affinity", "nodeAffinity:*NodeAffinity podAffinity:*PodAffinity podAntiAffinity:*PodAntiAffinity")
define("Sysctl", "name:S value:S")
define(
    "PodSecurityContext",
    "hostNetwork:B hostPID:B hostIPC:B shareProcessNamespace:*B hostUsers:*B seLinuxOptions:*SELinuxOptions "
    "windowsOptions:*WindowsSecurityContextOptions runAsUser:*I runAsGroup:*I runAsNonRoot:*B "
    "supplementalGroups:[]I supplementalGroupsPolicy:*S fsGroup:*I fsGroupChangePolicy:*S sysctls:[]Sysctl "
    "seccompProfile:*SeccompProfile appArmorProfile:*AppArmorProfile seLinuxChangePolicy:*S",
)
define("Toleration", "key:S operator:S value:S effect:S tolerationSeconds:*I")
define("HostAlias", "ip:S hostnames:[]S")
define("PodDNSConfigOption", "name:S value:*S")
define("PodDNSConfig", "nameservers:[]S searches:[]S options:[]PodDNSConfigOption")
define("PodReadinessGate", "conditionType:S")
define(
    "TopologySpreadConstraint",
    "maxSkew:I topologyKey:S whenUnsatisfiable:S labelSelector:*LabelSelector minDomains:*I "
    "nodeAffinityPolicy:*S nodeTaintsPolicy:*S matchLabelKeys:[]S",
)
define("PodOS", "name:S")
define("PodSchedulingGate", "name:S")
define("PodResourceClaim", "name:S resourceClaimName:*S resourceClaimTemplateName:*S")
POD_SPEC = define(
    "PodSpec",
    "volumes:[]Volume initContainers:[]Container containers:[]Container ephemeralContainers:[]EphemeralContainer "
    "restartPolicy:S terminationGracePeriodSeconds:*I activeDeadlineSeconds:*I dnsPolicy:S nodeSelector:map:S "
    "serviceAccountName:S automountServiceAccountToken:*B nodeName:S securityContext:*PodSecurityContext "
    "imagePullSecrets:[]LocalObjectReference hostname:S subdomain:S setHostnameAsFQDN:*B affinity:*Affinity "
    "schedulerName:S tolerations:[]Toleration hostAliases:[]HostAlias priorityClassName:S priority:*I "
    "preemptionPolicy:*S dnsConfig:*PodDNSConfig readinessGates:[]PodReadinessGate runtimeClassName:*S "
    "overhead:ResourceList enableServiceLinks:*B topologySpreadConstraints:[]TopologySpreadConstraint "
    "os:*PodOS schedulingGates:[]PodSchedulingGate resourceClaims:[]PodResourceClaim "
    "resources:*ResourceRequirements",
)

V1_ONLY_POD_SPEC_MEMBERS = ("serviceAccount",)
"""v1 members with no internal field (the deprecated alias is folded into serviceAccountName)."""
HOST_NAMESPACE_MEMBERS = ("hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "hostUsers")
"""v1 PodSpec members that the internal type keeps in its PodSecurityContext."""


def quantity_struct_type() -> GoType:
    """resource.Quantity's own fields, which go-cmp prints (its String method needs a pointer)."""
    amount = GoType(
        STRUCT,
        "resource.int64Amount",
        fields=(Field("value", "value", GoType(INT, "int64")), Field("scale", "scale", GoType(INT, "resource.Scale"))),
    )
    return GoType(
        STRUCT,
        "resource.Quantity",
        fields=(
            Field("i", "i", amount),
            Field("d", "d", GoType(STRUCT, "resource.infDecAmount")),
            Field("s", "s", S),
            Field("Format", "Format", GoType(STRING, "resource.Format")),
        ),
    )


_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}


_QUANTITY_TEXT = re.compile(r"([+-]?)([0-9]+)([a-zA-Z]*|[eE][+-]?[0-9]+)")


def quantity_parts(raw: Any) -> tuple[int, int, str, str]:
    """(int64Amount value, scale, cached string, Format) of a canonical quantity, as ParseQuantity builds
    them: the string is kept only when ParseQuantity deems it canonical."""
    q = parse_quantity(raw) if raw is not None else None
    text = raw if isinstance(raw, str) else str(raw) if isinstance(raw, int) else ""
    match = _QUANTITY_TEXT.fullmatch(text)
    if q is None or match is None:
        return 0, 0, "", q.format if q is not None else ""
    sign, number, suffix = match.groups()
    negative = -1 if sign == "-" else 1
    if suffix in _BINARY:
        n = int(number)
        return negative * (n << _BINARY[suffix]), 0, text if n & 7 else "", "BinarySI"
    if suffix in _DECIMAL:
        exponent, fmt = _DECIMAL[suffix], "DecimalSI"
    else:
        exponent, fmt = int(suffix[1:]), "DecimalExponent"
    cached = text if exponent % 3 == 0 and not number.endswith("000") and number[0] != "0" else ""
    return negative * int(number), exponent, cached, fmt
