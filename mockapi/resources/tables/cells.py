"""Helpers shared by the cell functions: safe field access, ages, label formatting, containers.

Objects arrive as plain JSON dicts in their versioned form; the upstream printers work on internal Go
structs where a missing field is the zero value. The getters here give the same zero values ("" / 0 /
{} / []) so each cell function reads like its printers.go counterpart.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from mockapi.api.types import Obj
from mockapi.resources.tables.duration import human_duration

_ZERO_TIME = datetime(1, 1, 1, tzinfo=UTC)


def obj_of(parent: Any, key: str) -> Obj:
    """parent[key] if it is a dict, else {} (a nil struct pointer reads as zero values)."""
    if isinstance(parent, dict):
        value = parent.get(key)
        if isinstance(value, dict):
            return value
    return {}


def list_of(parent: Any, key: str) -> list[Any]:
    if isinstance(parent, dict):
        value = parent.get(key)
        if isinstance(value, list):
            return value
    return []


def str_of(parent: Any, key: str) -> str:
    if isinstance(parent, dict):
        value = parent.get(key)
        if isinstance(value, str):
            return value
    return ""


def int_of(parent: Any, key: str) -> int:
    if isinstance(parent, dict):
        value = parent.get(key)
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
    return 0


def bool_of(parent: Any, key: str, default: bool = False) -> bool:
    """A *bool field: `default` when unset."""
    if isinstance(parent, dict):
        value = parent.get(key)
        if isinstance(value, bool):
            return value
    return default


def has(parent: Any, key: str) -> bool:
    """Whether an optional (pointer) field is set."""
    return isinstance(parent, dict) and parent.get(key) is not None


def name_of(obj: Obj) -> str:
    return str_of(obj_of(obj, "metadata"), "name")


def parse_time(value: Any) -> datetime | None:
    """A metav1.Time / MicroTime JSON value; None for null, absent, unparsable or the zero time."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return None if when == _ZERO_TIME else when


def since(value: Any, now: datetime) -> str:
    """printers.go translateTimestampSince: "<unknown>" for a zero time, else the human age."""
    when = parse_time(value)
    if when is None:
        return "<unknown>"
    return human_duration(now - when)


def age(obj: Obj, now: datetime) -> str:
    """The AGE cell: human duration since metadata.creationTimestamp."""
    return since(obj_of(obj, "metadata").get("creationTimestamp"), now)


def rfc3339(value: Any) -> str:
    """Go's Time.UTC().Format(time.RFC3339) of a metav1.Time value (zero time if unset)."""
    when = (parse_time(value) or _ZERO_TIME).astimezone(UTC)
    return f"{when.year:04d}-{when.month:02d}-{when.day:02d}T{when.hour:02d}:{when.minute:02d}:{when.second:02d}Z"


def quantity(value: Any) -> str:
    """resource.Quantity.String() of a stored (already canonical) quantity; "<nil>" for a nil pointer."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def quantity_value(value: Any) -> str:
    """String() of a resource.Quantity value (not pointer) field: "0" when unset."""
    return "0" if value is None else quantity(value)


def int_or_string(value: Any) -> str:
    """intstr.IntOrString.String()."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def print_bool_ptr(parent: Any, key: str) -> str:
    """printers.go printBoolPtr: "True" / "False", "<unset>" for nil."""
    if isinstance(parent, dict) and isinstance(parent.get(key), bool):
        return "True" if parent[key] else "False"
    return "<unset>"


def format_labels(labels: Any) -> str:
    """labels.FormatLabels: sorted `k=v` joined by ",", "<none>" when empty."""
    if not isinstance(labels, dict) or not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def container_cells(containers: list[Any]) -> tuple[str, str]:
    """printers.go layoutContainerCells: container names and images, each joined by ","."""
    names = ",".join(str_of(c, "name") for c in containers)
    images = ",".join(str_of(c, "image") for c in containers)
    return names, images


def template_containers(spec: Obj) -> list[Any]:
    """spec.template.spec.containers of a workload."""
    return list_of(obj_of(obj_of(spec, "template"), "spec"), "containers")


def list_with_more(items: list[str], more: bool, count: int, limit: int) -> str:
    """printers.go listWithMoreString."""
    joined = ",".join(items)
    if more:
        return f"{joined} + {count - limit} more..."
    return joined or "<unset>"


def load_balancer_ingress(status: Obj) -> str:
    """loadBalancerStatusStringer with wide=true (the server never clips): sorted unique IPs/hostnames."""
    found: set[str] = set()
    for ingress in list_of(obj_of(status, "loadBalancer"), "ingress"):
        ip, hostname = str_of(ingress, "ip"), str_of(ingress, "hostname")
        if ip:
            found.add(ip)
        elif hostname:
            found.add(hostname)
    return ",".join(sorted(found))


_ACCESS_MODES = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def access_modes(modes: list[Any]) -> str:
    """helper.GetAccessModesAsString: fixed order RWO, ROX, RWX, RWOP; duplicates ignored."""
    present = set(m for m in modes if isinstance(m, str))
    return ",".join(short for mode, short in _ACCESS_MODES if mode in present)


# ---- label selectors (k8s.io/apimachinery labels + metav1.LabelSelectorAsSelector) -------------------

_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_OPERATORS = {"In": " in ", "NotIn": " notin ", "Exists": "", "DoesNotExist": ""}


def _valid_key(key: str) -> bool:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix)):
        return False
    return bool(name) and len(name) <= 63 and bool(_NAME.match(name))


def _valid_value(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 63 and bool(_VALUE.match(value))


def _requirement(key: str, op: str, values: list[Any]) -> str | None:
    """labels.NewRequirement + Requirement.String(); None when NewRequirement would fail."""
    if not _valid_key(key) or not all(_valid_value(v) for v in values):
        return None
    if op == "=":
        return f"{key}={values[0]}" if len(values) == 1 else None
    if op in ("In", "NotIn"):
        return f"{key}{_OPERATORS[op]}({','.join(sorted(values))})" if values else None
    if values:
        return None
    return key if op == "Exists" else f"!{key}"


def label_selector_string(selector: Any) -> str | None:
    """LabelSelectorAsSelector(selector).String(); None if conversion fails. nil and {} give ""."""
    if not isinstance(selector, dict):
        return ""
    match_labels = obj_of(selector, "matchLabels")
    expressions = list_of(selector, "matchExpressions")
    reqs: list[tuple[str, str]] = []
    for key, value in match_labels.items():
        text = _requirement(key, "=", [value])
        if text is None:
            return None
        reqs.append((key, text))
    for expr in expressions:
        op = str_of(expr, "operator")
        if op not in _OPERATORS:
            return None
        key = str_of(expr, "key")
        text = _requirement(key, op, list_of(expr, "values"))
        if text is None:
            return None
        reqs.append((key, text))
    reqs.sort(key=lambda kv: kv[0])
    return ",".join(text for _, text in reqs)


def format_label_selector(selector: Any) -> str:
    """metav1.FormatLabelSelector: "<error>" if invalid, "<none>" if it selects everything/nothing."""
    text = label_selector_string(selector)
    if text is None:
        return "<error>"
    return text or "<none>"


def label_selector_go_string(selector: Obj) -> str:
    """The gogo-protobuf String() of a *metav1.LabelSelector (used for admission policy ParamRef)."""
    labels = obj_of(selector, "matchLabels")
    pairs = "".join(f"{k}: {labels[k]}," for k in sorted(labels))
    exprs = "".join(
        f"LabelSelectorRequirement{{Key:{str_of(e, 'key')},Operator:{str_of(e, 'operator')},"
        f"Values:[{' '.join(str(v) for v in list_of(e, 'values'))}],}},"
        for e in list_of(selector, "matchExpressions")
    )
    return (
        f"&LabelSelector{{MatchLabels:map[string]string{{{pairs}}},"
        f"MatchExpressions:[]LabelSelectorRequirement{{{exprs}}},}}"
    )
