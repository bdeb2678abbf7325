"""Label selectors (apimachinery `pkg/labels/selector.go` lexer, parser and `NewRequirement` validation;
`LabelSelectorAsSelector` for the JSON form)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mockapi.api.errors import aggregate, bad_request
from mockapi.api.golang import go_quote
from mockapi.api.selectors.errors import SelectorError
from mockapi.api.selectors.names import label_value_errors, qualified_name_errors


def _go_json(values: Sequence[str] | None) -> str:
    """encoding/json of a []string (`null` for nil), with Go's HTML-safe escapes."""
    text = json.dumps(None if values is None else list(values), ensure_ascii=False, separators=(",", ":"))
    for ch in "<>&\u2028\u2029":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    return text


def _invalid(path: str, bad_value: str, detail: str) -> str:
    """field.Invalid(...).Error() with a string bad value."""
    return f"{path}: Invalid value: {go_quote(bad_value)}: {detail}"


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
