"""Label and field selectors, parsed, validated and matched as kube-apiserver 1.33 does.

Sources (apimachinery): `pkg/labels/selector.go` (lexer, parser, `NewRequirement` validation),
`pkg/util/validation/validation.go` (`IsQualifiedName`, `IsValidLabelValue`), `pkg/fields/selector.go`
(comma-AND of `=`, `==`, `!=` with backslash escaping) and `apis/meta/v1/helpers.go`
(`LabelSelectorAsSelector`).  A bad `labelSelector`/`fieldSelector` query parameter becomes a 400 BadRequest
whose message is the parse error unchanged (`handlers/get.go`: `errors.NewBadRequest(err.Error())`).

    SelectorError (ValueError)   the Go error text; `parse_*` and `label_selector_from_json` raise it
    ApiError 400 BadRequest      what `LabelSelector.parse` / `FieldSelector.parse` raise for query parameters
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mockapi.api.errors import aggregate, bad_request
from mockapi.api.golang import go_quote


class SelectorError(ValueError):
    """A selector kube-apiserver refuses; `str(err)` is its Go error text."""


# --- Go formatting ---------------------------------------------------------------------------------------


def _go_json(values: Sequence[str] | None) -> str:
    """encoding/json of a []string (`null` for nil), with Go's HTML-safe escapes."""
    text = json.dumps(None if values is None else list(values), ensure_ascii=False, separators=(",", ":"))
    for ch in "<>&\u2028\u2029":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


def _invalid(path: str, bad_value: str, detail: str) -> str:
    """field.Invalid(...).Error() with a string bad value."""
    return f"{path}: Invalid value: {go_quote(bad_value)}: {detail}"


# --- key and value validation (util/validation) -----------------------------------------------------------


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


_INT64 = re.compile(r"[+-]?[0-9]+")


def _go_int(s: str) -> int | None:
    """strconv.ParseInt(s, 10, 64), None on error."""
    if not _INT64.fullmatch(s):
        return None
    v = int(s)
    return v if -(2**63) <= v < 2**63 else None


# --- label selectors -----------------------------------------------------------------------------------


class Operator(StrEnum):
    """selection.Operator values a label Requirement can hold."""

    IN = "in"
    NOT_IN = "notin"
    EQUALS = "="
    DOUBLE_EQUALS = "=="
    NOT_EQUALS = "!="
    EXISTS = "exists"
    DOES_NOT_EXIST = "!"
    GREATER_THAN = "gt"
    LESS_THAN = "lt"


@dataclass(frozen=True, slots=True)
class Requirement:
    """One term of a label selector (labels.Requirement)."""

    key: str
    operator: Operator
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        return _MATCHERS[self.operator](self.values, labels.get(self.key))

    def __str__(self) -> str:
        op = self.operator
        if op is Operator.EXISTS:
            return self.key
        if op is Operator.DOES_NOT_EXIST:
            return "!" + self.key
        vals = self.values[0] if len(self.values) == 1 else ",".join(sorted(self.values))
        if op in (Operator.IN, Operator.NOT_IN):
            return f"{self.key} {op.value} ({vals})"
        sym = {Operator.GREATER_THAN: ">", Operator.LESS_THAN: "<"}.get(op, op.value)
        return f"{self.key}{sym}{vals}"


def _compare(greater: bool) -> Callable[[tuple[str, ...], str | None], bool]:
    def match(values: tuple[str, ...], value: str | None) -> bool:
        if value is None or len(values) != 1:
            return False
        have, want = _go_int(value), _go_int(values[0])
        if have is None or want is None:
            return False
        return have > want if greater else have < want

    return match


def _has(values: tuple[str, ...], value: str | None) -> bool:
    return value is not None and value in values


def _lacks(values: tuple[str, ...], value: str | None) -> bool:
    return value is None or value not in values


_MATCHERS: dict[Operator, Callable[[tuple[str, ...], str | None], bool]] = {
    Operator.IN: _has,
    Operator.EQUALS: _has,
    Operator.DOUBLE_EQUALS: _has,
    Operator.NOT_IN: _lacks,
    Operator.NOT_EQUALS: _lacks,
    Operator.EXISTS: lambda _, value: value is not None,
    Operator.DOES_NOT_EXIST: lambda _, value: value is None,
    Operator.GREATER_THAN: _compare(True),
    Operator.LESS_THAN: _compare(False),
}
"""labels.Requirement.Matches per operator: (requirement values, the label's value or None) -> match."""


def new_requirement(key: str, op: Operator, values: Sequence[str] | None) -> Requirement:
    """labels.NewRequirement with a nil path; raises SelectorError with the aggregated field errors."""
    errs: list[str] = []
    if key_errs := qualified_name_errors(key):
        errs.append(_invalid("key", key, "; ".join(key_errs)))
    vals = list(values or ())
    bad = f"values: Invalid value: {_go_json(values)}: "
    not_int = "for 'Gt', 'Lt' operators, the value must be an integer"
    if op in (Operator.IN, Operator.NOT_IN) and not vals:
        errs.append(bad + "for 'in', 'notin' operators, values set can't be empty")
    elif op in (Operator.EQUALS, Operator.DOUBLE_EQUALS, Operator.NOT_EQUALS) and len(vals) != 1:
        errs.append(bad + "exact-match compatibility requires one single value")
    elif op in (Operator.EXISTS, Operator.DOES_NOT_EXIST) and vals:
        errs.append(bad + "values set must be empty for exists and does not exist")
    elif op in (Operator.GREATER_THAN, Operator.LESS_THAN):
        if len(vals) != 1:
            errs.append(bad + "for 'Gt', 'Lt' operators, exactly one value is required")
        for i, v in enumerate(vals):
            if _go_int(v) is None:
                errs.append(_invalid(f"values[{i}]", v, not_int))
    for i, v in enumerate(vals):
        if val_errs := label_value_errors(v):
            errs.append(_invalid(f"values[{i}][{key}]", v, "; ".join(val_errs)))
    if errs:
        raise SelectorError(aggregate(errs))
    return Requirement(key, op, tuple(vals))


@dataclass(frozen=True, slots=True)
class LabelSelector:
    """A parsed label selector: the AND of its requirements, sorted by key (labels.Selector)."""

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False
    """True for labels.Nothing() (a nil metav1.LabelSelector): matches no object."""

    @classmethod
    def parse(cls, text: str) -> LabelSelector:
        """Parse a `labelSelector` query parameter; raises kube-apiserver's 400 BadRequest."""
        try:
            return parse_label_selector(text)
        except SelectorError as e:
            raise bad_request(str(e)) from None

    @property
    def empty(self) -> bool:
        return not self.nothing and not self.requirements

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.nothing:
            return False
        return all(_MATCHERS[r.operator](r.values, labels.get(r.key)) for r in self.requirements)

    def requires_exact_match(self, key: str) -> str | None:
        """The value the selector pins `key` to (`=`, `==` or a one-value `in`), if any."""
        for r in self.requirements:
            if r.key == key:
                exact = (Operator.EQUALS, Operator.DOUBLE_EQUALS, Operator.IN)
                return r.values[0] if r.operator in exact and len(r.values) == 1 else None
        return None

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


# Lexer tokens (labels.Token).
_ERR, _EOS, _CPAR, _COMMA, _NOT, _DEQ, _EQ, _GT, _ID, _IN, _LT, _NEQ, _NOTIN, _OPAR = range(14)
_TOKENS = {
    ")": _CPAR,
    ",": _COMMA,
    "!": _NOT,
    "==": _DEQ,
    "=": _EQ,
    ">": _GT,
    "in": _IN,
    "<": _LT,
    "!=": _NEQ,
    "notin": _NOTIN,
    "(": _OPAR,
}
_SPECIAL = frozenset("=!(),><")
_SPACE = frozenset(" \t\r\n")
_BINARY_OPS = {
    _IN: Operator.IN,
    _NOTIN: Operator.NOT_IN,
    _EQ: Operator.EQUALS,
    _DEQ: Operator.DOUBLE_EQUALS,
    _NEQ: Operator.NOT_EQUALS,
    _GT: Operator.GREATER_THAN,
    _LT: Operator.LESS_THAN,
}


def _lex(s: str) -> list[tuple[int, str]]:
    """labels.Lexer over the whole input. As in Go, a NUL ends the token it interrupts, and the input when a
    token would start with it."""
    pos = 0

    def read() -> str:
        nonlocal pos
        if pos < len(s):
            pos += 1
            return s[pos - 1]
        return "\0"

    def token() -> tuple[int, str]:
        nonlocal pos
        ch = read()
        while ch in _SPACE:
            ch = read()
        if ch == "\0":
            return _EOS, ""
        pos -= 1
        buf = ""
        if ch in _SPECIAL:
            last: tuple[int, str] | None = None
            while (ch := read()) != "\0":
                if ch not in _SPECIAL:
                    pos -= 1
                    break
                buf += ch
                if buf in _TOKENS:
                    last = (_TOKENS[buf], buf)
                elif last is not None:
                    pos -= 1
                    break
            return last or (_ERR, f"error expected: keyword found '{buf}'")
        while (ch := read()) != "\0":
            if ch in _SPECIAL or ch in _SPACE:
                pos -= 1
                break
            buf += ch
        return _TOKENS.get(buf, _ID), buf

    items = [token()]
    while items[-1][0] != _EOS:
        items.append(token())
    return items


class _Parser:
    """labels.Parser: recursive descent over the scanned tokens."""

    def __init__(self, text: str) -> None:
        self.items = _lex(text)
        self.pos = 0

    def peek(self, values: bool = True) -> tuple[int, str]:
        tok, lit = self.items[min(self.pos, len(self.items) - 1)]
        return (_ID if values and tok in (_IN, _NOTIN) else tok), lit

    def take(self, values: bool = True) -> tuple[int, str]:
        item = self.peek(values)
        self.pos += 1
        return item

    def parse(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        while True:
            tok, lit = self.peek()
            if tok == _EOS:
                return reqs
            if tok not in (_ID, _NOT):
                raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")
            try:
                reqs.append(self.requirement())
            except SelectorError as e:
                raise SelectorError(f"unable to parse requirement: {e}") from None
            tok, lit = self.take()
            if tok == _EOS:
                return reqs
            if tok != _COMMA:
                raise SelectorError(f"found '{lit}', expected: ',' or 'end of string'")
            tok, lit = self.peek()
            if tok not in (_ID, _NOT):
                raise SelectorError(f"found '{lit}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        op: Operator | None = None
        tok, key = self.take()
        if tok == _NOT:
            op = Operator.DOES_NOT_EXIST
            tok, key = self.take()
        if tok != _ID:
            raise SelectorError(f"found '{key}', expected: identifier")
        if errs := qualified_name_errors(key):
            raise SelectorError(_invalid("<nil>", key, "; ".join(errs)))
        if op is None and self.peek()[0] in (_EOS, _COMMA):
            op = Operator.EXISTS
        if op is not None:
            return new_requirement(key, op, [])
        tok, lit = self.take(values=False)
        if tok not in _BINARY_OPS:
            raise SelectorError(f"found '{lit}', expected: in, notin, =, ==, !=, gt, lt")
        op = _BINARY_OPS[tok]
        vals = self.value_set() if op in (Operator.IN, Operator.NOT_IN) else self.exact_value()
        return new_requirement(key, op, sorted(vals))

    def value_set(self) -> set[str]:
        tok, lit = self.take()
        if tok != _OPAR:
            raise SelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.peek()
        if tok == _CPAR:
            self.take()
            return {""}
        if tok not in (_ID, _COMMA):
            raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")
        vals = self.identifiers()
        if self.take()[0] != _CPAR:
            raise SelectorError(f"found '{lit}', expected: ')'")
        return vals

    def identifiers(self) -> set[str]:
        vals: set[str] = set()
        while True:
            tok, lit = self.take()
            if tok == _ID:
                vals.add(lit)
                tok2, lit2 = self.peek()
                if tok2 == _CPAR:
                    return vals
                if tok2 != _COMMA:
                    raise SelectorError(f"found '{lit2}', expected: ',' or ')'")
            elif tok == _COMMA:
                if not vals:
                    vals.add("")
                tok2 = self.peek()[0]
                if tok2 == _CPAR:
                    vals.add("")
                    return vals
                if tok2 == _COMMA:
                    self.take()
                    vals.add("")
            else:
                raise SelectorError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> list[str]:
        if self.peek()[0] in (_EOS, _COMMA):
            return [""]
        tok, lit = self.take()
        if tok != _ID:
            raise SelectorError(f"found '{lit}', expected: identifier")
        return [lit]


def parse_label_selector(text: str) -> LabelSelector:
    """labels.Parse; raises SelectorError with its exact error text."""
    reqs = _Parser(text).parse()
    return LabelSelector(tuple(sorted(reqs, key=lambda r: r.key)))


_JSON_OPS = {
    "In": Operator.IN,
    "NotIn": Operator.NOT_IN,
    "Exists": Operator.EXISTS,
    "DoesNotExist": Operator.DOES_NOT_EXIST,
}


def label_selector_from_json(sel: Mapping[str, Any] | None) -> LabelSelector:
    """metav1.LabelSelectorAsSelector: None selects nothing, `{}` everything; raises SelectorError.

    Go ranges over matchLabels in random order; here keys are checked in sorted order."""
    if sel is None:
        return LabelSelector(nothing=True)
    labels: Mapping[str, Any] = sel.get("matchLabels") or {}
    exprs: Iterable[Mapping[str, Any]] = sel.get("matchExpressions") or ()
    reqs = [new_requirement(k, Operator.EQUALS, [str(labels[k])]) for k in sorted(labels)]
    for expr in exprs:
        raw = expr.get("operator", "")
        if raw not in _JSON_OPS:
            raise SelectorError(f"{go_quote(str(raw))} is not a valid pod selector operator")
        values = [str(v) for v in expr.get("values") or ()]
        reqs.append(new_requirement(str(expr.get("key", "")), _JSON_OPS[raw], values or None))
    return LabelSelector(tuple(sorted(reqs, key=lambda r: r.key)))


# --- field selectors -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldRequirement:
    """One term of a field selector; `op` is `=` (also for `==`) or `!=`."""

    field: str
    op: str
    value: str

    def __str__(self) -> str:
        escaped = self.value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")
        return f"{self.field}{self.op}{escaped}"


@dataclass(frozen=True, slots=True)
class FieldSelector:
    """A parsed field selector: the AND of its terms in sorted order (fields.Selector)."""

    requirements: tuple[FieldRequirement, ...] = ()

    @classmethod
    def parse(cls, text: str) -> FieldSelector:
        """Parse a `fieldSelector` query parameter; raises kube-apiserver's 400 BadRequest."""
        try:
            return parse_field_selector(text)
        except SelectorError as e:
            raise bad_request(str(e)) from None

    @property
    def empty(self) -> bool:
        return not self.requirements

    def matches(self, fields: Mapping[str, str]) -> bool:
        return all((fields.get(r.field, "") == r.value) == (r.op == "=") for r in self.requirements)

    def requires_exact_match(self, field: str) -> str | None:
        return next((r.value for r in self.requirements if r.op == "=" and r.field == field), None)

    def single_name(self) -> str | None:
        """The name RequestInfo takes from `metadata.name=X` (only a valid, non-empty path segment)."""
        name = self.requires_exact_match("metadata.name")
        if not name or name in (".", "..") or "/" in name or "%" in name:
            return None
        return name

    def transform(self, fn: Callable[[str, str], tuple[str, str]]) -> FieldSelector:
        """fields.Selector.Transform: map every (field, value); a term mapped to ("", "") is dropped."""
        out: list[FieldRequirement] = []
        for r in self.requirements:
            field, value = fn(r.field, r.value)
            if field or value:
                out.append(FieldRequirement(field, r.op, value))
        return FieldSelector(tuple(out))

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


def _unescape(value: str) -> str:
    if not any(c in value for c in "\\,="):
        return value
    out: list[str] = []
    slash = False
    for c in value:
        if slash:
            if c not in "\\,=":
                raise SelectorError(f"invalid field selector: invalid escape sequence: \\{c}")
            out.append(c)
            slash = False
        elif c == "\\":
            slash = True
        elif c in ",=":
            raise SelectorError(f"invalid field selector: unescaped character in value: {ord(c)}")
        else:
            out.append(c)
    if slash:
        raise SelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def _split_terms(text: str) -> list[str]:
    terms, start, slash = [], 0, False
    for i, c in enumerate(text):
        if slash:
            slash = False
        elif c == "\\":
            slash = True
        elif c == ",":
            terms.append(text[start:i])
            start = i + 1
    return [*terms, text[start:]] if text else []


def parse_field_selector(text: str) -> FieldSelector:
    """fields.ParseSelector; raises SelectorError with its exact error text."""
    reqs: list[FieldRequirement] = []
    for part in sorted(_split_terms(text)):
        if not part:
            continue
        for i in range(len(part)):
            op = next((o for o in ("!=", "==", "=") if part.startswith(o, i)), None)
            if op:
                lhs, rhs = part[:i], _unescape(part[i + len(op) :])
                if lhs or rhs:
                    reqs.append(FieldRequirement(lhs, "!=" if op == "!=" else "=", rhs))
                break
        else:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
    return FieldSelector(tuple(reqs))


def parse_list_selectors(label: str | None, field: str | None) -> tuple[LabelSelector, FieldSelector]:
    """Both list/watch selectors in kube-apiserver's order (labelSelector is decoded first); 400 on error."""
    labels = LabelSelector.parse(label) if label else LabelSelector()
    fields = FieldSelector.parse(field) if field else FieldSelector()
    return labels, fields
