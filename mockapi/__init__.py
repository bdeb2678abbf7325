"""mockapi: a kube-apiserver emulator.

TLS -> authentication -> authorization -> admission -> an in-memory store with real API semantics.
`mockapi.server` assembles the pipeline; `mockapi.cli` is the command line.
"""

__version__ = "0.1.0"
