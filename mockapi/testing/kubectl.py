"""Running real kubectl binaries against a server, each invocation isolated (own HOME and cache)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

VERSIONED_DIR = Path("/usr/lib/google-cloud-sdk/bin")
VERSIONS = ("1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33")
"""The kubectl matrix, oldest first: one `kubectl.<version>` binary each."""
EDGE_VERSIONS = (VERSIONS[0], VERSIONS[-1])
"""The oldest and newest kubectl: enough where the server sees the same requests from every version."""


class KubectlMissing(RuntimeError):
    pass


def kubectl_binary(version: str | None = None) -> Path:
    """`kubectl.<version>` from the Cloud SDK directory, or plain kubectl on PATH when version is None."""
    if version is None:
        found = shutil.which("kubectl")
        if found is None:
            raise KubectlMissing("kubectl is not on PATH")
        return Path(found)
    candidate = VERSIONED_DIR / f"kubectl.{version}"
    if candidate.exists():
        return candidate
    found = shutil.which(f"kubectl.{version}")
    if found is None:
        raise KubectlMissing(f"kubectl.{version} not found in {VERSIONED_DIR} or on PATH")
    return Path(found)


class Kubectl:
    """`kubectl(...)` runs one command with this kubeconfig and version; returns the CompletedProcess."""

    def __init__(self, kubeconfig: Path, version: str | None = None, home: Path | None = None) -> None:
        self.kubeconfig = kubeconfig
        self.binary = kubectl_binary(version)
        self.version = version
        self.home = home or Path(tempfile.mkdtemp(prefix="kubectl-home-"))

    def __call__(
        self, *args: str, input: str | None = None, timeout: float = 60, check: bool = False
    ) -> subprocess.CompletedProcess[str]:
        env = {
            "HOME": str(self.home),
            "KUBECONFIG": str(self.kubeconfig),
            "KUBECACHEDIR": str(self.home / "cache"),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        }
        result = subprocess.run(
            [str(self.binary), *args], input=input, capture_output=True, text=True, timeout=timeout, env=env
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"kubectl {' '.join(args)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result

    def ok(self, *args: str, input: str | None = None, timeout: float = 60) -> str:
        """Run and require exit status 0; returns standard output."""
        return self(*args, input=input, timeout=timeout, check=True).stdout

    def popen(self, *args: str) -> subprocess.Popen[str]:
        env = {
            "HOME": str(self.home),
            "KUBECONFIG": str(self.kubeconfig),
            "KUBECACHEDIR": str(self.home / "cache"),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        }
        return subprocess.Popen(
            [str(self.binary), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )


def all_versions() -> Sequence[str]:
    return VERSIONS
