"""Go's encoding/csv rules, as kube-apiserver reads its token and password files with them."""

from __future__ import annotations

import pytest

from mockapi.authn.gocsv import CsvError, read_records


@pytest.mark.parametrize(
    ("text", "records"),
    [
        ("a,b,c\n", [(1, ["a", "b", "c"])]),
        ("a,b,c", [(1, ["a", "b", "c"])]),  # no final newline
        ('t,u,1,"g1,g2"\n', [(1, ["t", "u", "1", "g1,g2"])]),
        ("a,b\r\n\r\nc,d,\n", [(1, ["a", "b"]), (3, ["c", "d", ""])]),  # \r\n; empty lines skipped
        ('"a ""quoted"" b",c\n', [(1, ['a "quoted" b', "c"])]),
        ('"multi\nline",x\ny,z\n', [(1, ["multi\nline", "x"]), (3, ["y", "z"])]),
        (" a , b ", [(1, [" a ", " b "])]),  # spaces are kept
        ('"",""\n', [(1, ["", ""])]),
        ("a,\n", [(1, ["a", ""])]),
    ],
)
def test_records(text: str, records: list[tuple[int, list[str]]]) -> None:
    assert [(r.line, r.fields) for r in read_records(text)] == records


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('ok,1\nab"c,d\n', 'parse error on line 2, column 3: bare " in non-quoted-field'),
        ('"a"b,c\n', 'parse error on line 1, column 3: extraneous or missing " in quoted-field'),
        (
            'x\n"open,\nstill\n',
            'record on line 2; parse error on line 3, column 6: extraneous or missing " in quoted-field',
        ),
    ],
)
def test_files_go_refuses(text: str, message: str) -> None:
    with pytest.raises(CsvError) as caught:
        list(read_records(text))
    assert str(caught.value) == message
