"""Field selectors (apimachinery `pkg/fields/selector.go`: comma-AND of `=`, `==`, `!=` with backslash
escaping)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mockapi.api.errors import bad_request
from mockapi.api.selectors.errors import SelectorError


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
