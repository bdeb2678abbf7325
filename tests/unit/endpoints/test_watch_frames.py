"""Watch frames are encoded once per event for all the watchers that send it (`watch.SharedFrames`), and
are the bytes each watcher would have encoded itself."""

from __future__ import annotations

import pytest

from mockapi.api.types import Obj
from mockapi.endpoints import watch
from mockapi.endpoints.negotiation import DEFAULT, Representation, encode
from mockapi.endpoints.watch import SharedFrames


def _own(type_: str, obj: Obj) -> bytes:
    return encode({"type": type_, "object": obj}, DEFAULT)


def test_a_frame_is_the_encoding_of_the_event() -> None:
    frames = SharedFrames()
    obj: Obj = {"kind": "ConfigMap", "metadata": {"name": "a<b>"}, "data": {"k": "\u2028"}}
    assert frames.frame("ADDED", obj) == _own("ADDED", obj)
    assert frames.frame("ADDED", obj) == _own("ADDED", obj)
    assert frames.frame("DELETED", obj) == _own("DELETED", obj), "the type is part of the frame"
    assert _own("ADDED", obj) == encode({"type": "ADDED", "object": obj}, Representation("json", "partial"))


def test_watchers_share_one_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def counting(value: Obj, rep: Representation) -> bytes:
        calls.append(value)
        return encode(value, rep)

    monkeypatch.setattr(watch, "encode", counting)
    frames = SharedFrames()
    obj: Obj = {"metadata": {"name": "a"}}
    sent = [frames.frame("MODIFIED", obj) for _watcher in range(50)]
    assert len(calls) == 1
    assert len(set(sent)) == 1


def test_equal_objects_are_still_encoded_each_and_old_frames_leave() -> None:
    frames = SharedFrames(size=2)
    first: Obj = {"n": 1}
    second: Obj = {"n": 1}
    third: Obj = {"n": 3}
    one = frames.frame("ADDED", first)
    assert frames.frame("ADDED", second) == one  # equal content, its own entry
    frames.frame("ADDED", third)
    assert len(frames._frames) == 2
    assert ("ADDED", id(first)) not in frames._frames, "the oldest went"
    assert frames.frame("ADDED", first) == one


def test_large_frames_are_not_kept_long() -> None:
    frames = SharedFrames(size=100, max_bytes=300)
    big: Obj = {"data": "x" * 200}
    small: Obj = {"data": "y"}
    frames.frame("ADDED", big)
    frames.frame("ADDED", small)
    frames.frame("MODIFIED", big)  # over the budget: the oldest frames go
    assert frames._bytes <= 300
    assert ("ADDED", id(big)) not in frames._frames
    huge: Obj = {"data": "z" * 1000}
    assert frames.frame("ADDED", huge) == _own("ADDED", huge)
    assert ("ADDED", id(huge)) not in frames._frames, "larger than the whole budget: not kept"
