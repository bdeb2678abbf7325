"""In-process controllers: what kube-controller-manager would do for a cluster with no nodes.

Namespace finalization, the `default` ServiceAccount and `kube-root-ca.crt` ConfigMap in every namespace,
and garbage collection (orphan / foreground / background propagation). Controllers write through the
ResourceStore as their own identities, so admission sees their requests as it would on a real cluster.
They learn of changes through handlers on the server's shared informers, and read their caches.
May import `mockapi.api`, `mockapi.resources`, `mockapi.registry` and `mockapi.informers`.
"""
