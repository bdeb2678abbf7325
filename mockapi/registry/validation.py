"""Object metadata validation (apimachinery's ValidateObjectMeta), with kube-apiserver's messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mockapi.api.errors import FieldError, invalid, required
from mockapi.api.selectors import label_value_errors, qualified_name_errors
from mockapi.registry.meta_rules import finalizer_errors, owner_reference_errors

NameValidator = Callable[[str], list[str]]

_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_SUBDOMAIN = _LABEL + "(\\." + _LABEL + ")*"
_DNS1035 = "[a-z]([-a-z0-9]*[a-z0-9])?"

_LABEL_RE = re.compile(f"^{_LABEL}$")
_SUBDOMAIN_RE = re.compile(f"^{_SUBDOMAIN}$")
_DNS1035_RE = re.compile(f"^{_DNS1035}$")


def regex_error(message: str, pattern: str, *examples: str) -> str:
    """validation.RegexError: the message, examples as `'a',  or 'b', `, and the pattern."""
    if not examples:
        return f"{message} (regex used for validation is '{pattern}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{message} (e.g. {shown}regex used for validation is '{pattern}')"


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def dns1123_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _LABEL_RE.match(value):
        if _SUBDOMAIN_RE.match(value):
            errs.append("must not contain dots")
        else:
            errs.append(
                regex_error(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                    "and must start and end with an alphanumeric character",
                    _LABEL,
                    "my-name",
                    "123-abc",
                )
            )
    return errs


def dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(max_len_error(253))
    if not _SUBDOMAIN_RE.match(value):
        errs.append(
            regex_error(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                "and must start and end with an alphanumeric character",
                _SUBDOMAIN,
                "example.com",
            )
        )
    return errs


def dns1035_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _DNS1035_RE.match(value):
        errs.append(
            regex_error(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                "alphabetic character, and end with an alphanumeric character",
                _DNS1035,
                "my-name",
                "abc-123",
            )
        )
    return errs


def path_segment_name(value: str) -> list[str]:
    """path.IsValidPathSegmentName (RBAC and other names that only need to be URL-safe)."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in value]


NAME_VALIDATORS: dict[str, NameValidator] = {
    "dns1123-subdomain": dns1123_subdomain,
    "dns1123-label": dns1123_label,
    "dns1035-label": dns1035_label,
    "path-segment": path_segment_name,
}


TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024


def validate_object_meta(
    metadata: dict[str, Any], *, namespaced: bool, name_validator: NameValidator
) -> list[FieldError]:
    """The checks every object gets: name, namespace, labels and annotations."""
    errs: list[FieldError] = []
    name = metadata.get("name", "")
    if not name:
        errs.append(required("metadata.name", "name or generateName is required"))
    else:
        errs.extend(invalid("metadata.name", name, m) for m in name_validator(name))
    namespace = metadata.get("namespace", "")
    if namespaced:
        if not namespace:
            errs.append(required("metadata.namespace"))
        else:
            errs.extend(invalid("metadata.namespace", namespace, m) for m in dns1123_label(namespace))
    elif namespace:
        errs.append(FieldError("FieldValueForbidden", "metadata.namespace", "Forbidden: not allowed on this type"))
    for key, value in (metadata.get("labels") or {}).items():
        errs.extend(invalid("metadata.labels", key, m) for m in qualified_name_errors(key))
        if isinstance(value, str):
            errs.extend(invalid("metadata.labels", value, m) for m in label_value_errors(value))
    annotations = metadata.get("annotations") or {}
    total = 0
    for key, value in annotations.items():
        errs.extend(invalid("metadata.annotations", key, m) for m in qualified_name_errors(key.lower()))
        total += len(key) + len(value if isinstance(value, str) else "")
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(
            FieldError(
                "FieldValueTooLong",
                "metadata.annotations",
                f"Too long: may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes",
            )
        )
    errs.extend(owner_reference_errors(metadata.get("ownerReferences")))
    errs.extend(finalizer_errors(metadata.get("finalizers")))
    return errs


# ---------------------------------------------------------------------------------------------------
# Value formats used by pod specs (k8s.io/apimachinery/pkg/util/validation)


def inclusive_range_error(lo: int, hi: int) -> str:
    """validation.InclusiveRangeError."""
    return f"must be between {lo} and {hi}, inclusive"


def port_num_errors(port: int) -> list[str]:
    """validation.IsValidPortNum: 1..65535."""
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


_PORT_NAME_CHARSET_RE = re.compile("^[-a-z0-9]+$")
_PORT_NAME_LETTER_RE = re.compile("[a-z]")


def port_name_errors(port: str) -> list[str]:
    """validation.IsValidPortName (an IANA_SVC_NAME: at most 15 characters of [-a-z0-9], one letter at least)."""
    errs = []
    if len(port) > 15:
        errs.append(max_len_error(15))
    if not _PORT_NAME_CHARSET_RE.match(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_LETTER_RE.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def relaxed_env_var_name_errors(value: str) -> list[str]:
    """validation.IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, on by default since 1.32)."""
    errs = []
    if not value:
        errs.append("environment variable name must be non-empty")
    if any(ord(c) > 0x7E or ord(c) < 0x20 or c == "=" for c in value):
        errs.append("a valid environment variable name must consist only of printable ASCII characters other than '='")
    return errs


def _chdir_prefix_errors(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


_CONFIG_MAP_KEY = "[-._a-zA-Z0-9]+"
_CONFIG_MAP_KEY_RE = re.compile(_CONFIG_MAP_KEY)


def config_map_key_errors(value: str) -> list[str]:
    """validation.IsConfigMapKey."""
    errs = []
    if len(value) > 253:
        errs.append(max_len_error(253))
    if not _CONFIG_MAP_KEY_RE.fullmatch(value):  # Go's `$` does not match before a final newline
        errs.append(
            regex_error(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                _CONFIG_MAP_KEY,
                "key.name",
                "KEY_NAME",
                "key-name",
            )
        )
    return errs + _chdir_prefix_errors(value)


_HTTP_HEADER_NAME = "[-A-Za-z0-9]+"
_HTTP_HEADER_NAME_RE = re.compile(f"^{_HTTP_HEADER_NAME}$")


def http_header_name_errors(value: str) -> list[str]:
    """validation.IsHTTPHeaderName."""
    if _HTTP_HEADER_NAME_RE.match(value):
        return []
    return [
        regex_error(
            "a valid HTTP header must consist of alphanumeric characters or '-'", _HTTP_HEADER_NAME, "X-Header-Name"
        )
    ]
