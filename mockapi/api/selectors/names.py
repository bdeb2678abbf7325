"""Label key and value validation (util/validation `IsQualifiedName`, `IsValidLabelValue`) with
kube-apiserver's messages."""

from __future__ import annotations

import re


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


_QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QNAME_RE = re.compile(_QNAME_FMT)
_QNAME_ERR = _regex_error(
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    _QNAME_FMT,
    "MyName",
    "my.name",
    "123-abc",
)
_VALUE_FMT = f"({_QNAME_FMT})?"
_VALUE_RE = re.compile(_VALUE_FMT)
_VALUE_ERR = _regex_error(
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character",
    _VALUE_FMT,
    "MyValue",
    "my_value",
    "12345",
)
_DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS_SUBDOMAIN_FMT = _DNS_LABEL + r"(\." + _DNS_LABEL + ")*"
_DNS_SUBDOMAIN_RE = re.compile(_DNS_SUBDOMAIN_FMT)
_DNS_SUBDOMAIN_ERR = _regex_error(
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character",
    _DNS_SUBDOMAIN_FMT,
    "example.com",
)


def _blen(s: str) -> int:
    return len(s.encode("utf-8", "surrogatepass"))


def qualified_name_errors(value: str) -> list[str]:
    """validation.IsQualifiedName: the error strings for a label key (empty when valid)."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) > 2:
        suffix = "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        return [f"a qualified name {_QNAME_ERR} {suffix}"]
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            if _blen(prefix) > 253:
                errs.append("prefix part must be no more than 253 characters")
            if not _DNS_SUBDOMAIN_RE.fullmatch(prefix):
                errs.append("prefix part " + _DNS_SUBDOMAIN_ERR)
    if not name:
        errs.append("name part must be non-empty")
    elif _blen(name) > 63:
        errs.append("name part must be no more than 63 characters")
    if not _QNAME_RE.fullmatch(name):
        errs.append("name part " + _QNAME_ERR)
    return errs


def label_value_errors(value: str) -> list[str]:
    """validation.IsValidLabelValue: the error strings for a label value (empty when valid)."""
    errs = ["must be no more than 63 characters"] if _blen(value) > 63 else []
    if not _VALUE_RE.fullmatch(value):
        errs.append(_VALUE_ERR)
    return errs
