"""Test support: a real mockapi server in a background thread, a kubectl runner, and the pytest plugin.

from mockapi.testing import ServerThread
with ServerThread() as server:           # a fresh TLS server on a random loopback port
    print(server.url, server.kubeconfig("alice", ["dev"]))
"""

from mockapi.testing.kubectl import Kubectl, kubectl_binary
from mockapi.testing.server import ServerThread

__all__ = ["Kubectl", "ServerThread", "kubectl_binary"]
