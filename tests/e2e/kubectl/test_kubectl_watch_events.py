"""`kubectl get -w --output-watch-events` sees ADDED, MODIFIED and DELETED."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from kubectl_e2e_support import AGE, LineStream, table

from mockapi.testing.kubectl import Kubectl

pytestmark = pytest.mark.kubectl


def configmap(name: str, **data: str) -> str:
    entries = "".join(f"  {key}: {value!r}\n" for key, value in data.items())
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels: {{app: watched}}\ndata:\n{entries}"


def test_get_watch_output_watch_events(kubectl_version: str, kubectl: Callable[..., Kubectl]) -> None:
    k = kubectl(kubectl_version)
    k.ok("create", "-f", "-", input=configmap("first", a="1"))
    k.ok("create", "-f", "-", input=configmap("unwatched", a="1").replace("app: watched", "app: other"))

    with LineStream(k.popen("get", "cm", "-l", "app=watched", "-w", "--output-watch-events")) as stream:
        # The initial list is printed as ADDED events; the watch starts at the list's resourceVersion,
        # so every change made after this line has been printed must be reported.
        header, initial = table("\n".join(stream.lines(2)))
        assert header == ["EVENT", "NAME", "DATA", "AGE"]
        assert initial[:3] == ["ADDED", "first", "1"] and AGE.match(initial[3])

        patched = k.ok("patch", "cm", "first", "--type", "merge", "-p", '{"data":{"b":"2"}}')
        assert patched == "configmap/first patched\n"
        k.ok("create", "-f", "-", input=configmap("second", x="y"))
        k.ok("patch", "cm", "unwatched", "--type", "merge", "-p", '{"data":{"b":"2"}}')  # filtered out by -l
        assert k.ok("delete", "cm", "first") == 'configmap "first" deleted\n'

        events = [row[:3] for row in table("\n".join(stream.lines(3)))]
        assert events == [
            ["MODIFIED", "first", "2"],
            ["ADDED", "second", "1"],
            ["DELETED", "first", "2"],
        ]
        assert stream.proc.poll() is None, "kubectl get -w must keep watching until interrupted"

    with LineStream(k.popen("get", "cm", "second", "-w", "-o", "name")) as named:
        assert named.next_line() == "configmap/second"
        k.ok("label", "cm", "second", "extra=yes")
        assert named.next_line() == "configmap/second"
