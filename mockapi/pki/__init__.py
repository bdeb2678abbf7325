"""PKI for mockapi: cluster CA, serving certificate, service-account signing keys and kubeconfigs.

:func:`ensure_state` fills a state directory the way kubeadm fills ``/etc/kubernetes/pki``::

    ca.crt / ca.key                 cluster CA, CN=mockapi-ca, 10 years, ECDSA P-256
    apiserver.crt / apiserver.key   serving certificate, CN=kube-apiserver, serverAuth, SANs
                                    127.0.0.1, ::1, localhost, kubernetes[.default[.svc[.cluster.local]]]
                                    plus any extra SANs
    sa.key / sa.pub                 service-account token signing pair (RSA 2048, PKCS8 / SPKI PEM):
                                    --service-account-signing-key-file / --service-account-key-file
    admin.kubeconfig                user CN=admin, O=system:masters, credentials inline

Existing files are reused, so a restart keeps kubeconfigs and tokens valid. The serving
certificate is re-issued when it lacks a requested SAN, does not chain to the CA, does not match
its key or is about to expire. A CA that cannot be read, or whose key does not match its
certificate, is a :class:`PkiError`: regenerating it would silently invalidate every credential
issued so far. Private keys and kubeconfigs are created 0600, every write is atomic (temporary
file, fsync, rename) and an ``flock`` serialises processes sharing one directory.

Modules: ``certs`` (building, loading and checking keys and certificates; no file writes),
``state`` (:class:`Pki`, :func:`ensure_state`, kubeconfigs), ``tls`` (``ssl.SSLContext``
factories), ``_files`` (atomic writes, lock). Imports only ``cryptography``, ``yaml`` and the
standard library; nothing from the rest of mockapi.
"""

from mockapi.pki.certs import PkiError, SigningKey, peer_identity
from mockapi.pki.state import DEFAULT_SANS, Pki, ensure_state
from mockapi.pki.tls import client_ssl_context, server_ssl_context

__all__ = [
    "DEFAULT_SANS",
    "Pki",
    "PkiError",
    "SigningKey",
    "client_ssl_context",
    "ensure_state",
    "peer_identity",
    "server_ssl_context",
]
