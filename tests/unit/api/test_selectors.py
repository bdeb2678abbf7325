"""Label and field selector parsing, errors and matching (table-driven, as in apimachinery)."""

from __future__ import annotations

from typing import Any

import pytest

from mockapi.api.errors import ApiError
from mockapi.api.golang import go_quote
from mockapi.api.selectors import (
    FieldRequirement,
    FieldSelector,
    LabelSelector,
    Operator,
    SelectorError,
    label_selector_from_json,
    parse_field_selector,
    parse_label_selector,
    parse_list_selectors,
)

QNAME_REGEX = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
VALUE_REGEX = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
    "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
DNS_REGEX = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
REQ = "unable to parse requirement: "


# --- label selectors: parsing --------------------------------------------------------------------------

LABEL_VALID = [
    # (input, canonical String(), empty)
    ("", "", True),
    ("   ", "", True),
    ("a", "a", False),
    ("!a", "!a", False),
    ("a=b", "a=b", False),
    ("a==b", "a==b", False),
    ("a!=b", "a!=b", False),
    ("a=", "a=", False),
    ("a in (b,c)", "a in (b,c)", False),
    ("a in (c,b,b)", "a in (b,c)", False),
    ("a notin (b)", "a notin (b)", False),
    ("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()", False),
    ("a in (,)", "a in ()", False),
    ("a in (in)", "a in (in)", False),
    ("in=notin", "in=notin", False),
    ("a>1", "a>1", False),
    ("a<20", "a<20", False),
    ("b=1,a=2", "a=2,b=1", False),
    (" a = b , c ", "a=b,c", False),
    ("\ta\t=\tb\n", "a=b", False),
    ("example.com/app=web", "example.com/app=web", False),
    ("a=b,!c", "a=b,!c", False),
]


@pytest.mark.parametrize(("text", "canonical", "empty"), LABEL_VALID)
def test_label_parse_valid(text: str, canonical: str, empty: bool) -> None:
    sel = parse_label_selector(text)
    assert str(sel) == canonical
    assert sel.empty is empty
    assert str(parse_label_selector(canonical)) == canonical


LABEL_INVALID = [
    ("a b", REQ + "found 'b', expected: in, notin, =, ==, !=, gt, lt"),
    ("a (b)", REQ + "found '(', expected: in, notin, =, ==, !=, gt, lt"),
    ("a=(", REQ + "found '(', expected: identifier"),
    ("a>=1", REQ + "found '=', expected: identifier"),
    ("a in b", REQ + "found 'b' expected: '('"),
    ("a in (b", REQ + "found '', expected: ',' or ')'"),
    ("a in (b c)", REQ + "found 'c', expected: ',' or ')'"),
    ("a in (b,=)", REQ + "found '=', expected: ',', or identifier"),
    ("a in (=)", REQ + "found '=', expected: ',', ')' or identifier"),
    ("!", REQ + "found '', expected: identifier"),
    ("!=a", "found '!=', expected: !, identifier, or 'end of string'"),
    ("=a", "found '=', expected: !, identifier, or 'end of string'"),
    (",a", "found ',', expected: !, identifier, or 'end of string'"),
    ("a=b,", "found '', expected: identifier after ','"),
    ("a=b,,c", "found ',', expected: identifier after ','"),
    ("a=b c", "found 'c', expected: ',' or 'end of string'"),
    ("!a=b", "found '=', expected: ',' or 'end of string'"),
    ("a=b\x00c", "found 'c', expected: ',' or 'end of string'"),
    ("-a", REQ + '<nil>: Invalid value: "-a": name part ' + QNAME_REGEX),
    (
        "a/b/c",
        REQ
        + '<nil>: Invalid value: "a/b/c": a qualified name '
        + QNAME_REGEX
        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ),
    ("/a", REQ + '<nil>: Invalid value: "/a": prefix part must be non-empty'),
    ("a/", REQ + '<nil>: Invalid value: "a/": name part must be non-empty; name part ' + QNAME_REGEX),
    ("A_/b", REQ + '<nil>: Invalid value: "A_/b": prefix part ' + DNS_REGEX),
    ("k" * 64, REQ + f'<nil>: Invalid value: "{"k" * 64}": name part must be no more than 63 characters'),
    ("a=-x", REQ + 'values[0][a]: Invalid value: "-x": ' + VALUE_REGEX),
    ("a in (ok,-x)", REQ + 'values[0][a]: Invalid value: "-x": ' + VALUE_REGEX),
    ("a=" + "v" * 64, REQ + f'values[0][a]: Invalid value: "{"v" * 64}": must be no more than 63 characters'),
    ("a>x", REQ + "values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
    ("a<", REQ + "values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer"),
    ("a>-1", REQ + 'values[0][a]: Invalid value: "-1": ' + VALUE_REGEX),
    (
        "a>99999999999999999999",
        REQ + 'values[0]: Invalid value: "99999999999999999999": '
        "for 'Gt', 'Lt' operators, the value must be an integer",
    ),
    (
        "a>_x",
        REQ + '[values[0]: Invalid value: "_x": '
        "for 'Gt', 'Lt' operators, the value must be an integer, "
        'values[0][a]: Invalid value: "_x": ' + VALUE_REGEX + "]",
    ),
]


@pytest.mark.parametrize(("text", "message"), LABEL_INVALID)
def test_label_parse_errors(text: str, message: str) -> None:
    with pytest.raises(SelectorError) as err:
        parse_label_selector(text)
    assert str(err.value) == message


def test_label_query_parameter_error_is_kube_apiserver_400() -> None:
    with pytest.raises(ApiError) as err:
        LabelSelector.parse("app=a b")
    assert err.value.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "found 'b', expected: ',' or 'end of string'",
        "reason": "BadRequest",
        "code": 400,
    }


def test_label_requirements_are_sorted_by_key_and_typed() -> None:
    sel = parse_label_selector("z!=1,a in (y,x),m,!n,q>3")
    assert [(r.key, r.operator, r.values) for r in sel.requirements] == [
        ("a", Operator.IN, ("x", "y")),
        ("m", Operator.EXISTS, ()),
        ("n", Operator.DOES_NOT_EXIST, ()),
        ("q", Operator.GREATER_THAN, ("3",)),
        ("z", Operator.NOT_EQUALS, ("1",)),
    ]


# --- label selectors: matching -------------------------------------------------------------------------

LABEL_MATCHES: list[tuple[str, dict[str, str], bool]] = [
    ("", {}, True),
    ("", {"a": "b"}, True),
    ("a=b", {"a": "b"}, True),
    ("a=b", {"a": "c"}, False),
    ("a=b", {}, False),
    ("a==b", {"a": "b", "x": "y"}, True),
    ("a=", {"a": ""}, True),
    ("a=", {}, False),
    # != and notin match objects without the label
    ("a!=b", {}, True),
    ("a!=b", {"a": "c"}, True),
    ("a!=b", {"a": "b"}, False),
    ("a notin (b,c)", {}, True),
    ("a notin (b,c)", {"a": "c"}, False),
    ("a notin (b,c)", {"a": "d"}, True),
    ("a in (b,c)", {"a": "c"}, True),
    ("a in (b,c)", {"a": "d"}, False),
    ("a in (b,c)", {}, False),
    ("a in (,b)", {"a": ""}, True),
    ("a", {"a": ""}, True),
    ("a", {"b": "a"}, False),
    ("!a", {"b": "a"}, True),
    ("!a", {"a": "x"}, False),
    ("a>1", {"a": "2"}, True),
    ("a>1", {"a": "1"}, False),
    ("a>1", {"a": "x"}, False),
    ("a>1", {}, False),
    ("a<10", {"a": "-3"}, True),
    ("a<10", {"a": "+9"}, True),
    ("a<10", {"a": "10"}, False),
    ("a=b,c!=d", {"a": "b"}, True),
    ("a=b,c!=d", {"a": "b", "c": "d"}, False),
]


@pytest.mark.parametrize(("text", "labels", "expected"), LABEL_MATCHES)
def test_label_matches(text: str, labels: dict[str, str], expected: bool) -> None:
    assert parse_label_selector(text).matches(labels) is expected


def test_label_requires_exact_match() -> None:
    sel = parse_label_selector("a=1,b in (2),c in (3,4),d!=5")
    assert [sel.requires_exact_match(k) for k in "abcdz"] == ["1", "2", None, None, None]


# --- metav1.LabelSelector objects ----------------------------------------------------------------------

FROM_JSON_VALID: list[tuple[dict[str, Any] | None, str, dict[str, str], bool]] = [
    # (selector object, String(), labels, matches)
    (None, "", {}, False),
    ({}, "", {"x": "y"}, True),
    ({"matchLabels": {"b": "2", "a": "1"}}, "a=1,b=2", {"a": "1", "b": "2"}, True),
    (
        {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "db"]}]},
        "tier in (db,web)",
        {"tier": "db"},
        True,
    ),
    ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["web"]}]}, "tier notin (web)", {}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, "tier", {"tier": ""}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}, "!tier", {"tier": ""}, False),
    (
        {"matchLabels": {"z": "1"}, "matchExpressions": [{"key": "a", "operator": "Exists"}]},
        "a,z=1",
        {"a": "x", "z": "1"},
        True,
    ),
]


@pytest.mark.parametrize(("obj", "text", "labels", "expected"), FROM_JSON_VALID)
def test_label_selector_from_json(
    obj: dict[str, Any] | None, text: str, labels: dict[str, str], expected: bool
) -> None:
    sel = label_selector_from_json(obj)
    assert str(sel) == text
    assert sel.matches(labels) is expected
    assert sel.empty is (obj == {})


FROM_JSON_INVALID: list[tuple[dict[str, Any], str]] = [
    (
        {"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]},
        '"Gt" is not a valid pod selector operator',
    ),
    (
        {"matchExpressions": [{"key": "a", "operator": "In", "values": []}]},
        "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    ),
    (
        {"matchExpressions": [{"key": "a", "operator": "NotIn"}]},
        "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    ),
    (
        {"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x", "<y>"]}]},
        '[values: Invalid value: ["x","\\u003cy\\u003e"]: '
        "values set must be empty for exists and does not exist, "
        'values[1][a]: Invalid value: "<y>": ' + VALUE_REGEX + "]",
    ),
    ({"matchLabels": {"-bad": "ok"}}, 'key: Invalid value: "-bad": name part ' + QNAME_REGEX),
    ({"matchLabels": {"app": "no way"}}, 'values[0][app]: Invalid value: "no way": ' + VALUE_REGEX),
    (
        {"matchExpressions": [{"key": "", "operator": "DoesNotExist", "values": ["v"]}]},
        '[key: Invalid value: "": name part must be non-empty; name part '
        + QNAME_REGEX
        + ', values: Invalid value: ["v"]: values set must be empty for exists and does not exist]',
    ),
]


@pytest.mark.parametrize(("obj", "message"), FROM_JSON_INVALID)
def test_label_selector_from_json_errors(obj: dict[str, Any], message: str) -> None:
    with pytest.raises(SelectorError) as err:
        label_selector_from_json(obj)
    assert str(err.value) == message


# --- field selectors -----------------------------------------------------------------------------------

FIELD_VALID: list[tuple[str, str, tuple[FieldRequirement, ...]]] = [
    ("", "", ()),
    ("=", "", ()),
    (",,", "", ()),
    ("a=b", "a=b", (FieldRequirement("a", "=", "b"),)),
    ("a==b", "a=b", (FieldRequirement("a", "=", "b"),)),
    ("a!=b", "a!=b", (FieldRequirement("a", "!=", "b"),)),
    ("a=", "a=", (FieldRequirement("a", "=", ""),)),
    ("=x", "=x", (FieldRequirement("", "=", "x"),)),
    ("b=1,a=2,", "a=2,b=1", (FieldRequirement("a", "=", "2"), FieldRequirement("b", "=", "1"))),
    ("a!b=c", "a!b=c", (FieldRequirement("a!b", "=", "c"),)),
    ("a=x\\=y", "a=x\\=y", (FieldRequirement("a", "=", "x=y"),)),
    ("a=x\\,y,b=z", "a=x\\,y,b=z", (FieldRequirement("a", "=", "x,y"), FieldRequirement("b", "=", "z"))),
    ("a=x\\\\y", "a=x\\\\y", (FieldRequirement("a", "=", "x\\y"),)),
    (
        "status.phase!=Failed,status.phase!=Succeeded",
        "status.phase!=Failed,status.phase!=Succeeded",
        (FieldRequirement("status.phase", "!=", "Failed"), FieldRequirement("status.phase", "!=", "Succeeded")),
    ),
]


@pytest.mark.parametrize(("text", "canonical", "reqs"), FIELD_VALID)
def test_field_parse_valid(text: str, canonical: str, reqs: tuple[FieldRequirement, ...]) -> None:
    sel = parse_field_selector(text)
    assert sel.requirements == reqs
    assert str(sel) == canonical
    assert sel.empty is (not reqs)


FIELD_INVALID = [
    ("a", "invalid selector: 'a'; can't understand 'a'"),
    ("x=1,b", "invalid selector: 'x=1,b'; can't understand 'b'"),
    ("a=b=c", "invalid field selector: unescaped character in value: 61"),
    ("a=b==c", "invalid field selector: unescaped character in value: 61"),
    ("a=b\\x", "invalid field selector: invalid escape sequence: \\x"),
    ("a=b\\", "invalid field selector: invalid escape sequence: \\"),
]


@pytest.mark.parametrize(("text", "message"), FIELD_INVALID)
def test_field_parse_errors(text: str, message: str) -> None:
    with pytest.raises(SelectorError) as err:
        parse_field_selector(text)
    assert str(err.value) == message
    with pytest.raises(ApiError) as api_err:
        FieldSelector.parse(text)
    assert (api_err.value.code, api_err.value.reason, api_err.value.message) == (400, "BadRequest", message)
    assert api_err.value.details is None


FIELD_MATCHES: list[tuple[str, dict[str, str], bool]] = [
    ("", {}, True),
    ("a=b", {"a": "b"}, True),
    ("a=b", {"a": "c"}, False),
    ("a=", {}, True),
    ("a=b", {}, False),
    ("a!=b", {}, True),
    ("a!=b", {"a": "b"}, False),
    ("status.phase!=Failed,status.phase!=Succeeded", {"status.phase": "Running"}, True),
    ("status.phase!=Failed,status.phase!=Succeeded", {"status.phase": "Failed"}, False),
    ("status.phase!=Failed,status.phase!=Succeeded", {"status.phase": "Succeeded"}, False),
    ("a=x\\,y", {"a": "x,y"}, True),
]


@pytest.mark.parametrize(("text", "fields", "expected"), FIELD_MATCHES)
def test_field_matches(text: str, fields: dict[str, str], expected: bool) -> None:
    assert parse_field_selector(text).matches(fields) is expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("metadata.name=web", "web"),
        ("metadata.namespace=ns,metadata.name==web", "web"),
        ("metadata.name=b,metadata.name=a", "a"),
        ("metadata.name!=web", None),
        ("metadata.name=", None),
        ("metadata.name=..", None),
        ("metadata.name=a/b", None),
        ("metadata.name=50%", None),
        ("spec.nodeName=n1", None),
    ],
)
def test_field_single_name(text: str, name: str | None) -> None:
    assert parse_field_selector(text).single_name() == name


def test_field_transform_drops_terms_mapped_to_nothing() -> None:
    sel = parse_field_selector("spec.host=n1,drop=me")
    out = sel.transform(lambda f, v: ("", "") if f == "drop" else ("spec.nodeName", v))
    assert out.requirements == (FieldRequirement("spec.nodeName", "=", "n1"),)


def test_list_selectors_report_the_label_selector_first() -> None:
    with pytest.raises(ApiError) as err:
        parse_list_selectors("a b", "nonsense")
    assert err.value.message == REQ + "found 'b', expected: in, notin, =, ==, !=, gt, lt"
    labels, fields = parse_list_selectors(None, "a=b")
    assert labels.empty and str(fields) == "a=b"


@pytest.mark.parametrize(
    ("raw", "quoted"),
    [
        ("spec.foo", '"spec.foo"'),
        ('a"b\\', '"a\\"b\\\\"'),
        ("tab\there", '"tab\\there"'),
        ("\x01é", '"\\x01é"'),
    ],
)
def test_go_quote(raw: str, quoted: str) -> None:
    assert go_quote(raw) == quoted
