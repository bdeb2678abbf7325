"""Command line: `mockapi serve` (kube-apiserver's flag names) and `mockapi kubeconfig`."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mockapi.api.golang import parse_duration
from mockapi.config import ServerConfig, parse_feature_gates
from mockapi.resources.catalog import parse_runtime_config

if TYPE_CHECKING:
    from mockapi.pki import Pki


def _bool(value: str) -> bool:
    if value.lower() in ("true", "1", "t", "yes"):
        return True
    if value.lower() in ("false", "0", "f", "no"):
        return False
    raise argparse.ArgumentTypeError(f"invalid boolean value {value!r}")


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockapi", description="A kube-apiserver emulator.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the API server")
    serve.add_argument(
        "--state-dir",
        type=Path,
        default=Path("certs"),
        help="PKI and kubeconfigs are created here on first start (default: ./certs)",
    )
    serve.add_argument("--bind-address", default="127.0.0.1")
    serve.add_argument(
        "--secure-port",
        "--port",
        dest="port",
        type=int,
        default=6443,
        help="HTTPS port; 0 picks a free one (default: 6443)",
    )
    serve.add_argument("--anonymous-auth", type=_bool, default=True, metavar="BOOL")
    serve.add_argument(
        "--authorization-mode",
        type=_list,
        default=["AlwaysAllow"],
        metavar="MODES",
        help="comma-separated, in order: AlwaysAllow, AlwaysDeny (default: AlwaysAllow)",
    )
    serve.add_argument("--enable-admission-plugins", type=_list, default=[], metavar="PLUGINS")
    serve.add_argument("--disable-admission-plugins", type=_list, default=[], metavar="PLUGINS")
    serve.add_argument(
        "--audit-log-path", type=Path, default=None, help="write audit.k8s.io/v1 events as JSON lines here"
    )
    serve.add_argument("--emulated-version", default="1.33")
    serve.add_argument("--runtime-config", default="", metavar="KEY=VALUE,...")
    serve.add_argument("--client-ca-file", type=Path, default=None)
    serve.add_argument(
        "--api-audiences",
        type=_list,
        default=None,
        metavar="AUDIENCES",
        help="audiences a token must be valid for (default: the --service-account-issuer values)",
    )
    serve.add_argument("--token-auth-file", type=Path, default=None, help='CSV: token,user,uid[,"group1,group2"]')
    serve.add_argument(
        "--basic-auth-file",
        type=Path,
        default=None,
        help='legacy (kube-apiserver <= 1.18): CSV password,user,uid[,"group1,group2"] for Basic auth',
    )
    serve.add_argument("--service-account-issuer", action="append", default=[], metavar="URL", help="repeatable")
    serve.add_argument("--service-account-key-file", action="append", type=Path, default=[], help="repeatable")
    serve.add_argument("--service-account-signing-key-file", type=Path, default=None)
    serve.add_argument("--service-account-max-token-expiration", default="0s", metavar="DURATION")
    serve.add_argument("--service-account-extend-token-expiration", type=_bool, default=True, metavar="BOOL")
    serve.add_argument("--service-account-lookup", type=_bool, default=True, metavar="BOOL")
    serve.add_argument("--authentication-token-webhook-config-file", type=Path, default=None)
    serve.add_argument("--authentication-token-webhook-cache-ttl", default="2m", metavar="DURATION")
    serve.add_argument("--authentication-token-webhook-version", default="v1beta1", choices=("v1", "v1beta1"))
    serve.add_argument("--oidc-issuer-url", default="")
    serve.add_argument("--oidc-client-id", default="")
    serve.add_argument("--oidc-username-claim", default="sub")
    serve.add_argument("--oidc-username-prefix", default="")
    serve.add_argument("--oidc-groups-claim", default="")
    serve.add_argument("--oidc-groups-prefix", default="")
    serve.add_argument("--oidc-signing-algs", type=_list, default=["RS256"], metavar="ALGS")
    serve.add_argument("--oidc-required-claim", action="append", default=[], metavar="KEY=VALUE")
    serve.add_argument("--oidc-ca-file", type=Path, default=None)
    serve.add_argument("--oidc-jwks-file", type=Path, default=None, help="mockapi's own: the issuer's keys (JWKS)")
    serve.add_argument(
        "--oidc-test-issuer", type=_bool, nargs="?", const=True, default=False, metavar="BOOL",
        help="mockapi's own: accept tokens from `mockapi oidc-token`",
    )  # fmt: skip
    serve.add_argument("--token-success-cache-ttl", default="10s", metavar="DURATION")
    serve.add_argument("--token-failure-cache-ttl", default="0s", metavar="DURATION")
    serve.add_argument("--requestheader-client-ca-file", type=Path, default=None)
    for name in ("allowed-names", "username-headers", "uid-headers", "group-headers", "extra-headers-prefix"):
        serve.add_argument(f"--requestheader-{name}", type=_list, default=[], metavar="LIST")
    serve.add_argument(
        "--enable-bootstrap-token-auth", type=_bool, nargs="?", const=True, default=False, metavar="BOOL"
    )
    serve.add_argument("--tls-cert-file", type=Path, default=None)
    serve.add_argument("--tls-private-key-file", type=Path, default=None)
    serve.add_argument("--service-cluster-ip-range", default="10.96.0.0/12")
    serve.add_argument(
        "--feature-gates",
        default="",
        metavar="GATE=BOOL,...",
        help="AggregatedDiscoveryRemoveBetaType=false serves aggregated discovery v2beta1 too; "
        "WatchList=true lets a watch ask for sendInitialEvents",
    )
    serve.add_argument(
        "--tls-san",
        action="append",
        default=[],
        metavar="IP_OR_DNS",
        help="extra SAN for the generated serving certificate (repeatable)",
    )
    serve.add_argument("-v", "--v", dest="verbosity", type=int, default=0, help="log verbosity")

    kubeconfig = sub.add_parser(
        "kubeconfig", help="print a kubeconfig: a fresh client certificate for --user, or one presenting --token"
    )
    kubeconfig.add_argument("--state-dir", type=Path, default=Path("certs"))
    kubeconfig.add_argument("--user", default=None, help="the certificate's user (with --token: the entry's name)")
    kubeconfig.add_argument("--token", default=None, help="a bearer token (e.g. from the --token-auth-file)")
    kubeconfig.add_argument(
        "--service-account",
        default=None,
        metavar="NAMESPACE/NAME",
        help="a token minted for this service account by the running --server (TokenRequest, as the admin)",
    )
    kubeconfig.add_argument("--group", action="append", default=[], help="repeatable")
    kubeconfig.add_argument("--server", default="https://127.0.0.1:6443")
    kubeconfig.add_argument("--out", type=Path, default=None, help="write here instead of standard output")
    oidc = sub.add_parser("oidc-token", help="print an ID token from the built-in test issuer (--oidc-test-issuer)")
    oidc.add_argument("--state-dir", type=Path, default=Path("certs"))
    oidc.add_argument("--user", required=True, help="the token's subject (`sub`)")
    oidc.add_argument("--group", action="append", default=[], help="repeatable: the `groups` claim")
    oidc.add_argument("--claim", action="append", default=[], metavar="KEY=VALUE", help="repeatable: another claim")
    oidc.add_argument("--expires-in", default="1h", metavar="DURATION")
    return parser


def config_from_args(args: argparse.Namespace) -> ServerConfig:
    if (args.tls_cert_file is None) != (args.tls_private_key_file is None):
        raise SystemExit("mockapi: --tls-cert-file and --tls-private-key-file go together")
    config = ServerConfig(
        state_dir=args.state_dir,
        bind_address=args.bind_address,
        port=args.port,
        anonymous_auth=args.anonymous_auth,
        authorization_modes=tuple(args.authorization_mode),
        enable_admission_plugins=tuple(args.enable_admission_plugins),
        disable_admission_plugins=tuple(args.disable_admission_plugins),
        audit_log_path=args.audit_log_path,
        emulated_version=args.emulated_version,
        runtime_config=parse_runtime_config(args.runtime_config) if args.runtime_config else {},
        client_ca_file=args.client_ca_file,
        tls_cert_file=args.tls_cert_file,
        tls_private_key_file=args.tls_private_key_file,
        service_cluster_ip_range=args.service_cluster_ip_range,
        feature_gates=parse_feature_gates(args.feature_gates),
        tls_sans=tuple(args.tls_san),
        token_auth_file=args.token_auth_file,
        basic_auth_file=args.basic_auth_file,
        requestheader_client_ca_file=args.requestheader_client_ca_file,
        requestheader_allowed_names=tuple(args.requestheader_allowed_names),
        requestheader_username_headers=tuple(args.requestheader_username_headers),
        requestheader_uid_headers=tuple(args.requestheader_uid_headers),
        requestheader_group_headers=tuple(args.requestheader_group_headers),
        requestheader_extra_headers_prefix=tuple(args.requestheader_extra_headers_prefix),
        enable_bootstrap_token_auth=args.enable_bootstrap_token_auth,
    )
    if args.service_account_issuer:
        # kube-apiserver's --api-audiences default: the issuers
        config = dataclasses.replace(
            config,
            service_account_issuers=tuple(args.service_account_issuer),
            api_audiences=tuple(args.service_account_issuer),
        )
    if args.api_audiences:
        config = dataclasses.replace(config, api_audiences=tuple(args.api_audiences))
    max_expiration = parse_duration(args.service_account_max_token_expiration)
    if max_expiration and not 3600 <= max_expiration <= 1 << 32:
        raise ValueError("the service-account-max-token-expiration must be between 1 hour and 2^32 seconds")
    return dataclasses.replace(
        config,
        service_account_key_files=tuple(args.service_account_key_file),
        service_account_signing_key_file=args.service_account_signing_key_file,
        service_account_max_token_expiration=max_expiration,
        service_account_extend_token_expiration=args.service_account_extend_token_expiration,
        service_account_lookup=args.service_account_lookup,
        token_success_cache_ttl=parse_duration(args.token_success_cache_ttl),
        token_failure_cache_ttl=parse_duration(args.token_failure_cache_ttl),
        authentication_token_webhook_config_file=args.authentication_token_webhook_config_file,
        authentication_token_webhook_cache_ttl=parse_duration(args.authentication_token_webhook_cache_ttl),
        authentication_token_webhook_version=args.authentication_token_webhook_version,
        oidc_issuer_url=args.oidc_issuer_url,
        oidc_client_id=args.oidc_client_id,
        oidc_username_claim=args.oidc_username_claim,
        oidc_username_prefix=args.oidc_username_prefix,
        oidc_groups_claim=args.oidc_groups_claim,
        oidc_groups_prefix=args.oidc_groups_prefix,
        oidc_signing_algs=tuple(args.oidc_signing_algs),
        oidc_required_claims=tuple(_key_value(c, "--oidc-required-claim") for c in args.oidc_required_claim),
        oidc_ca_file=args.oidc_ca_file,
        oidc_jwks_file=args.oidc_jwks_file,
        oidc_test_issuer=args.oidc_test_issuer,
    )


async def _serve(config: ServerConfig) -> None:
    from mockapi.server import MockApiServer

    server = MockApiServer(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    url = await server.start()
    kubeconfig = server.components.pki.admin_kubeconfig
    print(f"mockapi serving on {url}", flush=True)
    print(f"export KUBECONFIG={kubeconfig}", flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()


def _key_value(text: str, flag: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise ValueError(f"{flag} takes key=value, not {text!r}")
    return key, value


def _mint_token(pki: Pki, server: str, service_account: str) -> str:
    """`kubectl create token`: a TokenRequest to the running server, as the state directory's admin."""
    import json
    import urllib.error
    import urllib.request

    from mockapi.pki import client_ssl_context

    namespace, _, name = service_account.partition("/")
    if not namespace or not name:
        raise ValueError(f"--service-account is NAMESPACE/NAME, not {service_account!r}")
    body = json.dumps({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}}).encode()
    request = urllib.request.Request(
        f"{server}/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token",
        data=body,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    context = client_ssl_context(pki, "admin", ["system:masters"])
    try:
        with urllib.request.urlopen(request, context=context, timeout=30) as reply:
            answer = json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        try:
            status = json.loads(exc.read())
        except ValueError:
            status = None
        message = status.get("message") if isinstance(status, dict) else None
        raise ValueError(f"failed to create token: {message or f'HTTP {exc.code} {exc.reason}'}") from None
    status = answer.get("status") if isinstance(answer, dict) else None
    token = status.get("token") if isinstance(status, dict) else None
    if not isinstance(token, str) or not token:
        raise ValueError("failed to create token: the server answered no token")
    return token


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        logging.basicConfig(
            level=logging.DEBUG if args.verbosity >= 4 else logging.WARNING,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        try:
            config = config_from_args(args)
            from mockapi.server import run

            run(_serve(config))
        except (ValueError, OSError) as exc:
            print(f"mockapi: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.command == "oidc-token":
        from mockapi.authn import testissuer

        try:
            claims = dict(_key_value(c, "--claim") for c in args.claim)
            token = testissuer.mint(
                args.state_dir, args.user, tuple(args.group), claims, parse_duration(args.expires_in)
            )
        except (ValueError, OSError) as exc:
            print(f"mockapi: {exc}", file=sys.stderr)
            return 1
        print(token)
        return 0
    if args.command == "kubeconfig":
        from mockapi.pki import ensure_state

        pki = ensure_state(args.state_dir)
        if args.service_account is not None:
            try:
                args.token = _mint_token(pki, args.server, args.service_account)
            except (ValueError, OSError) as exc:
                print(f"mockapi: {exc}", file=sys.stderr)
                return 1
            args.user = args.user or args.service_account.replace("/", "-")
        if args.token is not None:
            if args.group:
                print(
                    "mockapi: --group goes with a client certificate; a token's groups are the server's to say",
                    file=sys.stderr,
                )
                return 1
            text = pki.token_kubeconfig(args.server, args.token, args.user or "token-user")
        elif not args.user:
            print("mockapi: kubeconfig needs --user (a client certificate) or --token", file=sys.stderr)
            return 1
        else:
            text = pki.kubeconfig(args.server, args.user, args.group)
        if args.out is None:
            sys.stdout.write(text)
        else:
            args.out.write_text(text)
            args.out.chmod(0o600)
        return 0
    return 2
