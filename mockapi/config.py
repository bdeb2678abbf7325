"""The server's whole configuration as one frozen dataclass, named after kube-apiserver's flags."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

KNOWN_FEATURE_GATES: dict[str, bool] = {
    # on by default since 1.33 (Deprecated): aggregated discovery apidiscovery.k8s.io/v2beta1 is not served
    "AggregatedDiscoveryRemoveBetaType": True,
    # beta and off by default in 1.33: a watch may not ask for sendInitialEvents (422)
    "WatchList": False,
}
"""Feature gates mockapi models, with their 1.33 defaults."""


def parse_feature_gates(flag: str) -> dict[str, bool]:
    """`A=true,B=false`, as kube-apiserver's --feature-gates; unknown gates are an error."""
    gates: dict[str, bool] = {}
    for item in filter(None, (part.strip() for part in flag.split(","))):
        name, sep, value = item.partition("=")
        if not sep or value.lower() not in ("true", "false"):
            raise ValueError(f"invalid value of {item}, err: missing bool value for {name}")
        if name not in KNOWN_FEATURE_GATES:
            raise ValueError(f"unrecognized feature gate: {name} (mockapi models: {', '.join(KNOWN_FEATURE_GATES)})")
        gates[name] = value.lower() == "true"
    return gates


@dataclass(frozen=True, slots=True)
class ServerConfig:
    state_dir: Path = Path("certs")
    """Where the PKI and kubeconfigs live (mockapi's own; kube-apiserver has no such flag)."""
    bind_address: str = "127.0.0.1"
    """--bind-address"""
    port: int = 6443
    """--secure-port (mockapi also accepts --port); 0 picks a free port."""
    anonymous_auth: bool = True
    """--anonymous-auth"""
    authorization_modes: tuple[str, ...] = ("AlwaysAllow",)
    """--authorization-mode, in order."""
    enable_admission_plugins: tuple[str, ...] = ()
    """--enable-admission-plugins"""
    disable_admission_plugins: tuple[str, ...] = ()
    """--disable-admission-plugins"""
    audit_log_path: Path | None = None
    """--audit-log-path; "-" means standard output."""
    emulated_version: str = "1.33"
    """--emulated-version"""
    runtime_config: dict[str, str] = field(default_factory=dict)
    """--runtime-config, parsed (`api/all=true`, `batch/v1=false`, ...)."""
    client_ca_file: Path | None = None
    """--client-ca-file; defaults to the generated cluster CA."""
    tls_cert_file: Path | None = None
    """--tls-cert-file; defaults to the generated serving certificate."""
    tls_private_key_file: Path | None = None
    """--tls-private-key-file"""
    feature_gates: dict[str, bool] = field(default_factory=dict)
    """--feature-gates, only for gates mockapi models (see KNOWN_FEATURE_GATES)."""
    service_cluster_ip_range: str = "10.96.0.0/12"
    """--service-cluster-ip-range"""
    tls_sans: tuple[str, ...] = ()
    """Extra SANs for the generated serving certificate (IPs or DNS names)."""
    audit_in_memory: bool = False
    """Keep recent audit events in memory (the pytest plugin reads them); off for `mockapi serve`."""
    namespace_deletion_grace_period: float = 5.0
    """Seconds the namespace controller waits before emptying a deleted namespace (namespaceDeletionGracePeriod)."""
    watch_history: int = 10_000
    """How many recent changes a watch can resume from (the watch cache window)."""
    api_audiences: tuple[str, ...] = ()
    """--api-audiences; empty means the service-account issuers, as kube-apiserver defaults it."""
    service_account_issuers: tuple[str, ...] = ("https://kubernetes.default.svc.cluster.local",)
    """--service-account-issuer, repeatable: the first names the tokens issued, all are accepted."""
    service_account_signing_key_file: Path | None = None
    """--service-account-signing-key-file; the generated sa.key by default."""
    service_account_key_files: tuple[Path, ...] = ()
    """--service-account-key-file, repeatable: keys that verify tokens; the generated sa.pub by default."""
    service_account_max_token_expiration: float = 0.0
    """--service-account-max-token-expiration in seconds (0: no maximum)."""
    service_account_extend_token_expiration: bool = True
    """--service-account-extend-token-expiration: pod tokens asking for 3607 s live a year, warning after 3607 s."""
    service_account_lookup: bool = True
    """--service-account-lookup (legacy Secret-based tokens only; bound tokens are always looked up)."""
    token_auth_file: Path | None = None
    """--token-auth-file: static bearer tokens (CSV token,user,uid[,"groups"])."""
    basic_auth_file: Path | None = None
    """--basic-auth-file: the legacy password file of kube-apiserver <= 1.18 (CSV password,user,uid[,"groups"])."""
    requestheader_client_ca_file: Path | None = None
    """--requestheader-client-ca-file: the authenticating proxy's CA (off when unset)."""
    requestheader_allowed_names: tuple[str, ...] = ()
    """--requestheader-allowed-names: proxy certificate CNs accepted (empty: any from that CA)."""
    requestheader_username_headers: tuple[str, ...] = ()
    """--requestheader-username-headers (kubeadm: X-Remote-User)"""
    requestheader_uid_headers: tuple[str, ...] = ()
    """--requestheader-uid-headers (X-Remote-Uid)"""
    requestheader_group_headers: tuple[str, ...] = ()
    """--requestheader-group-headers (kubeadm: X-Remote-Group)"""
    requestheader_extra_headers_prefix: tuple[str, ...] = ()
    """--requestheader-extra-headers-prefix (kubeadm: X-Remote-Extra-)"""
    authentication_token_webhook_config_file: Path | None = None
    """--authentication-token-webhook-config-file: a kubeconfig naming the TokenReview webhook."""
    authentication_token_webhook_cache_ttl: float = 120.0
    """--authentication-token-webhook-cache-ttl in seconds (2m)."""
    authentication_token_webhook_version: str = "v1beta1"
    """--authentication-token-webhook-version: the TokenReview version sent."""
    oidc_issuer_url: str = ""
    """--oidc-issuer-url (with --oidc-client-id: OpenID Connect tokens)."""
    oidc_client_id: str = ""
    oidc_username_claim: str = "sub"
    oidc_username_prefix: str = ""
    """--oidc-username-prefix; empty: `<issuer>#` unless the claim is email; `-`: none."""
    oidc_groups_claim: str = ""
    oidc_groups_prefix: str = ""
    oidc_signing_algs: tuple[str, ...] = ("RS256",)
    oidc_required_claims: tuple[tuple[str, str], ...] = ()
    """--oidc-required-claim key=value, repeatable."""
    oidc_ca_file: Path | None = None
    """--oidc-ca-file: the CA the issuer's discovery and keys are fetched with (default: the system's roots)."""
    oidc_jwks_file: Path | None = None
    """mockapi's own: the issuer's keys from a JWKS file instead of its discovery document."""
    oidc_test_issuer: bool = False
    """mockapi's own: accept tokens of the built-in test issuer (`mockapi oidc-token`)."""
    token_success_cache_ttl: float = 10.0
    """--token-success-cache-ttl in seconds: how long an accepted token is not checked again (0: always)."""
    token_failure_cache_ttl: float = 0.0
    """--token-failure-cache-ttl in seconds: how long a refused token is refused from memory (0: never)."""
    enable_bootstrap_token_auth: bool = False
    """--enable-bootstrap-token-auth: Secrets of type bootstrap.kubernetes.io/token in kube-system."""


def feature_enabled(config: ServerConfig, gate: str) -> bool:
    return config.feature_gates.get(gate, KNOWN_FEATURE_GATES[gate])
