"""The scheduling and DNS parts of a PodSpec: tolerations, affinity, topology spread constraints, DNS
config, host aliases (ValidateTolerations, validateAffinity, validateTopologySpreadConstraints,
validatePodDNSConfig, ValidateHostAliases).

Left out: label selector validation inside pod (anti-)affinity and topology spread constraints, and
matchLabelKeys / mismatchLabelKeys checks.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from mockapi.api.errors import FieldError, GoRepr, duplicate, forbidden_field, invalid, not_supported, required
from mockapi.api.golang import go_quote
from mockapi.api.selectors import label_value_errors, qualified_name_errors
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation.gorepr import FAKE_ADDRESS
from mockapi.registry.kindvalidation.podfields import items, number, obj, strs, text
from mockapi.registry.validation import dns1123_label, dns1123_subdomain, max_len_error, regex_error

TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
IP_ERROR = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


def label_name_errors(key: str, path: str) -> list[FieldError]:
    """ValidateLabelName."""
    return [invalid(path, key, m) for m in qualified_name_errors(key)]


def _toleration_repr(tol: Obj) -> GoRepr:
    """%#v of a core.Toleration (a set tolerationSeconds prints as a pointer; its address is made up)."""
    seconds = "(*int64)(nil)" if number(tol, "tolerationSeconds") is None else f"(*int64)({FAKE_ADDRESS})"
    return GoRepr(
        f"core.Toleration{{Key:{go_quote(text(tol, 'key'))}, Operator:{go_quote(text(tol, 'operator'))}, "
        f"Value:{go_quote(text(tol, 'value'))}, Effect:{go_quote(text(tol, 'effect'))}, TolerationSeconds:{seconds}}}"
    )


def toleration_errors(tolerations: object, path: str) -> list[FieldError]:
    """ValidateTolerations."""
    errs: list[FieldError] = []
    for i, tol in enumerate(items(tolerations)):
        idx_path = f"{path}[{i}]"
        key, operator, value, effect = (text(tol, k) for k in ("key", "operator", "value", "effect"))
        if key:
            errs += label_name_errors(key, f"{idx_path}.key")
        if not key and operator != "Exists":
            errs.append(
                invalid(
                    f"{idx_path}.operator",
                    operator,
                    'operator must be Exists when `key` is empty, which means "match all values and all keys"',
                )
            )
        if number(tol, "tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(
                invalid(f"{idx_path}.effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set")
            )
        if operator in ("Equal", ""):
            msgs = label_value_errors(value)
            if msgs:
                errs.append(invalid(f"{idx_path}.operator", value, ";".join(msgs)))
        elif operator == "Exists":
            if value:
                errs.append(
                    invalid(
                        f"{idx_path}.operator", _toleration_repr(tol), "value must be empty when `operator` is 'Exists'"
                    )
                )
        else:
            errs.append(not_supported(f"{idx_path}.operator", operator, ["Equal", "Exists"]))
        if effect and effect not in TAINT_EFFECTS:
            errs.append(not_supported(f"{idx_path}.effect", effect, TAINT_EFFECTS))
    return errs


def _node_selector_requirement_errors(req: Obj, check_values: bool, path: str) -> list[FieldError]:
    """ValidateNodeSelectorRequirement."""
    operator, values = text(req, "operator"), strs(req.get("values"))
    errs: list[FieldError] = []
    if operator in ("In", "NotIn"):
        if not values:
            errs.append(required(f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            errs.append(
                forbidden_field(f"{path}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")
            )
    elif operator in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(required(f"{path}.values", "must be specified single value when `operator` is 'Lt' or 'Gt'"))
    else:
        errs.append(invalid(f"{path}.operator", operator, "not a valid selector operator"))
    errs += label_name_errors(text(req, "key"), f"{path}.key")
    if check_values:
        for i, value in enumerate(values):
            errs += [invalid(f"{path}.values[{i}]", value, m) for m in label_value_errors(value)]
    return errs


def _node_field_requirement_errors(req: Obj, path: str) -> list[FieldError]:
    """ValidateNodeFieldSelectorRequirement (metadata.name is the only field)."""
    errs: list[FieldError] = []
    operator, values = text(req, "operator"), strs(req.get("values"))
    if operator in ("In", "NotIn"):
        if len(values) != 1:
            errs.append(
                required(
                    f"{path}.values",
                    "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                )
            )
    else:
        errs.append(invalid(f"{path}.operator", operator, "not a valid selector operator"))
    if text(req, "key") != "metadata.name":
        errs.append(invalid(f"{path}.key", text(req, "key"), "not a valid field selector key"))
    else:
        for i, value in enumerate(values):
            errs += [invalid(f"{path}.values[{i}]", value, m) for m in dns1123_subdomain(value)]
    return errs


def _node_selector_term_errors(term: Obj, check_values: bool, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for j, req in enumerate(items(term.get("matchExpressions"))):
        errs += _node_selector_requirement_errors(req, check_values, f"{path}.matchExpressions[{j}]")
    for j, req in enumerate(items(term.get("matchFields"))):
        errs += _node_field_requirement_errors(req, f"{path}.matchFields[{j}]")
    return errs


def _weight_errors(weight: int, path: str) -> list[FieldError]:
    return [invalid(path, weight, "must be in the range 1-100")] if weight <= 0 or weight > 100 else []


def _pod_affinity_term_errors(term: Obj, path: str) -> list[FieldError]:
    """validatePodAffinityTerm (without the label selector checks)."""
    errs: list[FieldError] = []
    for name in strs(term.get("namespaces")):
        errs += [invalid(f"{path}.namespace", name, m) for m in dns1123_label(name)]
    key = text(term, "topologyKey")
    if not key:
        errs.append(required(f"{path}.topologyKey", "can not be empty"))
    return errs + label_name_errors(key, f"{path}.topologyKey")


def affinity_errors(affinity: Any, path: str) -> list[FieldError]:
    """validateAffinity."""
    if not isinstance(affinity, dict):
        return []
    errs: list[FieldError] = []
    node = affinity.get("nodeAffinity")
    if isinstance(node, dict):
        node_path = f"{path}.nodeAffinity"
        hard = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(hard, dict):
            terms_path = f"{node_path}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"
            terms = items(hard.get("nodeSelectorTerms"))
            if not terms:
                errs.append(required(terms_path, "must have at least one node selector term"))
            for i, term in enumerate(terms):
                errs += _node_selector_term_errors(term, True, f"{terms_path}[{i}]")
        soft_path = f"{node_path}.preferredDuringSchedulingIgnoredDuringExecution"
        for i, pref in enumerate(items(node.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            errs += _weight_errors(number(pref, "weight") or 0, f"{soft_path}[{i}].weight")
            errs += _node_selector_term_errors(obj(pref.get("preference")), False, f"{soft_path}[{i}].preference")
    for kind in ("podAffinity", "podAntiAffinity"):
        pod = affinity.get(kind)
        if not isinstance(pod, dict):
            continue
        hard_path = f"{path}.{kind}.requiredDuringSchedulingIgnoredDuringExecution"
        for i, term in enumerate(items(pod.get("requiredDuringSchedulingIgnoredDuringExecution"))):
            errs += _pod_affinity_term_errors(term, f"{hard_path}[{i}]")
        soft_path = f"{path}.{kind}.preferredDuringSchedulingIgnoredDuringExecution"
        for i, weighted in enumerate(items(pod.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            errs += _weight_errors(number(weighted, "weight") or 0, f"{soft_path}[{i}].weight")
            errs += _pod_affinity_term_errors(obj(weighted.get("podAffinityTerm")), f"{soft_path}[{i}].podAffinityTerm")
    return errs


def _is_ip(value: str) -> bool:
    """netutils.ParseIPSloppy: IPv4 may carry leading zeros."""
    parts = value.split(".")
    if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts):
        return True
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return ":" in value


def ip_errors(value: str, path: str) -> list[FieldError]:
    return [] if _is_ip(value) else [invalid(path, value, IP_ERROR)]


def _strings_repr(values: list[str]) -> GoRepr:
    return GoRepr("[]string{" + ", ".join(go_quote(v) for v in values) + "}")


def dns_config_errors(config: Any, dns_policy: str, path: str) -> list[FieldError]:
    """validatePodDNSConfig (with RelaxedDNSSearchValidation, on in 1.33)."""
    if dns_policy == "None":
        if not isinstance(config, dict):
            return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not strs(config.get("nameservers")):
            return [
                required(f"{path}.nameservers", "must provide at least one DNS nameserver when `dnsPolicy` is None")
            ]
    if not isinstance(config, dict):
        return []
    errs: list[FieldError] = []
    nameservers, searches = strs(config.get("nameservers")), strs(config.get("searches"))
    if len(nameservers) > 3:
        errs.append(invalid(f"{path}.nameservers", _strings_repr(nameservers), "must not have more than 3 nameservers"))
    for i, ns in enumerate(nameservers):
        errs += ip_errors(ns, f"{path}.nameservers[{i}]")
    if len(searches) > 32:
        errs.append(invalid(f"{path}.searches", _strings_repr(searches), "must not have more than 32 search paths"))
    if len(" ".join(searches)) > 2048:
        errs.append(
            invalid(
                f"{path}.searches",
                _strings_repr(searches),
                "must not have more than 2048 characters (including spaces) in the search list",
            )
        )
    for i, search in enumerate(searches):
        if search == ".":
            continue
        trimmed = search.removesuffix(".")
        errs += [invalid(f"{path}.searches[{i}]", trimmed, m) for m in _underscore_subdomain_errors(trimmed)]
    for i, option in enumerate(items(config.get("options"))):
        if not text(option, "name"):
            errs.append(required(f"{path}.options[{i}]", "must not be empty"))
    return errs


def _underscore_subdomain_errors(value: str) -> list[str]:
    """validation.IsDNS1123SubdomainWithUnderscore."""
    label = "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
    pattern = label + "(\\." + label + ")*"
    errs = [max_len_error(253)] if len(value) > 253 else []
    if not re.fullmatch(pattern, value):
        errs.append(
            regex_error(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', "
                "and must start and end with an alphanumeric character",
                pattern,
                "example.com",
            )
        )
    return errs


def topology_spread_errors(constraints: object, path: str) -> list[FieldError]:
    """validateTopologySpreadConstraints (without the labelSelector / matchLabelKeys checks)."""
    errs: list[FieldError] = []
    listed = items(constraints)
    for i, constraint in enumerate(listed):
        idx_path = f"{path}[{i}]"
        skew = number(constraint, "maxSkew") or 0
        if skew <= 0:
            errs.append(invalid(f"{idx_path}.maxSkew", skew, "must be greater than zero"))
        key, action = text(constraint, "topologyKey"), text(constraint, "whenUnsatisfiable")
        if not key:
            errs.append(required(f"{idx_path}.topologyKey", "can not be empty"))
        if action not in ("DoNotSchedule", "ScheduleAnyway"):
            errs.append(not_supported(f"{idx_path}.whenUnsatisfiable", action, ["DoNotSchedule", "ScheduleAnyway"]))
        for rest in listed[i + 1 :]:
            if text(rest, "topologyKey") == key and text(rest, "whenUnsatisfiable") == action:
                errs.append(duplicate(f"{idx_path}.{{topologyKey, whenUnsatisfiable}}", f"{{{key}, {action}}}"))
                break
        min_domains = number(constraint, "minDomains")
        if min_domains is not None:
            if min_domains <= 0:
                errs.append(invalid(f"{idx_path}.minDomains", min_domains, "must be greater than zero"))
            if action != "DoNotSchedule":
                errs.append(
                    invalid(
                        f"{idx_path}.minDomains",
                        min_domains,
                        f"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}",
                    )
                )
        for policy_key in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            policy = constraint.get(policy_key)
            if isinstance(policy, str) and policy not in ("Honor", "Ignore"):
                errs.append(not_supported(f"{idx_path}.{policy_key}", policy, ["Honor", "Ignore"]))
    return errs


def host_alias_errors(aliases: object, path: str) -> list[FieldError]:
    """ValidateHostAliases."""
    errs: list[FieldError] = []
    for i, alias in enumerate(items(aliases)):
        errs += ip_errors(text(alias, "ip"), f"{path}[{i}].ip")
        for j, hostname in enumerate(strs(alias.get("hostnames"))):
            errs += [invalid(f"{path}[{i}].hostnames[{j}]", hostname, m) for m in dns1123_subdomain(hostname)]
    return errs
