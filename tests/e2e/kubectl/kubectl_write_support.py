"""Helpers for the kubectl write-command tests: running kubectl with extra environment (an EDITOR script,
a private TMPDIR), reading objects and list resourceVersions, and parsing `kubectl diff` output.

Not a test module; imported as a top-level module like kubectl_e2e_support.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mockapi.testing.kubectl import Kubectl

CLUSTER_IP = re.compile(r"^10\.(9[6-9]|10[0-9]|11[01])\.\d{1,3}\.\d{1,3}$")
"""An address in kube-apiserver's default --service-cluster-ip-range, 10.96.0.0/12."""


def run(
    k: Kubectl, *args: str, env: Mapping[str, str] | None = None, input: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Like `k(*args)`, with `env` added to the runner's environment (same binary, kubeconfig and home)."""
    full_env = {
        "HOME": str(k.home),
        "KUBECONFIG": str(k.kubeconfig),
        "KUBECACHEDIR": str(k.home / "cache"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **(env or {}),
    }
    return subprocess.run(
        [str(k.binary), *args], input=input, capture_output=True, text=True, timeout=timeout, env=full_env
    )


def editor(directory: Path, name: str, *sed_expressions: str) -> Path:
    """An executable EDITOR script that applies `sed -e <expr>...` in place to the file kubectl hands it.

    Every invocation appends one line to `<name>.calls` and keeps a copy of the file as kubectl wrote it
    (`<name>.<n>.yaml`), so a test can see how often kubectl reopened the editor and with what header.
    """
    script = directory / f"{name}.sh"
    calls = directory / f"{name}.calls"
    sed = " ".join(f"-e {shlex.quote(e)}" for e in sed_expressions) if sed_expressions else "-e ''"
    script.write_text(
        "#!/bin/sh\nset -e\n"
        f"echo call >> {shlex.quote(str(calls))}\n"
        f'cp "$1" {shlex.quote(str(directory))}/{name}.$(wc -l < {shlex.quote(str(calls))} | tr -d " ").yaml\n'
        f'sed -i {sed} "$1"\n'
    )
    script.chmod(0o755)
    return script


def editor_calls(directory: Path, name: str) -> list[str]:
    """What kubectl handed the editor script, one file's text per invocation."""
    calls = directory / f"{name}.calls"
    count = len(calls.read_text().splitlines()) if calls.exists() else 0
    return [(directory / f"{name}.{i}.yaml").read_text() for i in range(1, count + 1)]


def get(k: Kubectl, *args: str) -> Any:
    """`kubectl get <args> -o json`, decoded (several targets give a `List`)."""
    return json.loads(k.ok("get", *args, "-o", "json"))


def list_resource_version(k: Kubectl, path: str) -> str:
    """The resourceVersion of a list as the server returns it (`kubectl get -o json` drops it)."""
    return str(json.loads(k.ok("get", "--raw", path))["metadata"]["resourceVersion"])


def diff_changes(output: str) -> dict[str, list[str]]:
    """`kubectl diff` output as {object file name (`apps.v1.Deployment.default.web`): changed lines}.

    Changed lines are the unified diff's `-`/`+` lines in order, without the `---`/`+++` file headers.
    """
    changes: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        if line.startswith("diff "):
            current = changes.setdefault(Path(line.split()[-2]).name, [])
        elif line.startswith(("---", "+++", "@@")):
            continue
        elif line.startswith(("-", "+")):
            assert current is not None, output
            current.append(line)
    return changes
