"""GET through the whole chain with a bearer token against the same GET with a client certificate, on one
server, in interleaved rounds (the median round's ratio is shown): a static token (`--token-auth-file`) and
a bound service-account token (TokenRequest) and an OIDC token of the built-in test issuer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

from mockapi.authn import testissuer
from mockapi.pki import client_ssl_context, ensure_state

CONFIGMAPS = "/api/v1/namespaces/default/configmaps"
TOKEN = "bench-static-token"


def _get(path: str, headers: dict[str, str]) -> Callable[[aiohttp.ClientSession, int], Awaitable[int]]:
    async def run(session: aiohttp.ClientSession, _i: int) -> int:
        async with session.get(path, headers={"Accept": "application/json", **headers}) as resp:
            await resp.read()
            return resp.status

    return run


async def token_vs_certificate(state: Path, requests: int, concurrency: int, rounds: int) -> dict[str, float]:
    """{"static token": median ratio of token req/s to certificate req/s, "service-account token": ...}."""
    from benchmarks.__main__ import drive, spawn

    pki = ensure_state(state)
    tokens = state / "bench-tokens.csv"
    tokens.write_text(f'{TOKEN},admin,1,"system:masters"\n')
    with_cert = client_ssl_context(pki, "admin", ["system:masters"])
    without_cert = client_ssl_context(pki, None)
    serve = ["-m", "mockapi", "serve", "--state-dir", str(state), "--port", "0", "--token-auth-file", str(tokens),
             "--oidc-test-issuer"]  # fmt: skip
    proc, url = spawn(serve, "serving on")
    try:
        async with aiohttp.ClientSession(url, connector=aiohttp.TCPConnector(ssl=with_cert)) as s:
            await s.post(CONFIGMAPS, json={"metadata": {"name": "bench"}, "data": {"key": "value"}})
            request = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}}
            async with s.post("/api/v1/namespaces/default/serviceaccounts/default/token", json=request) as reply:
                sa_token = (await reply.json())["status"]["token"]
        path = f"{CONFIGMAPS}/bench"
        per_round = max(requests // rounds, concurrency)
        oidc_token = testissuer.mint(state, "admin", ("system:masters",))
        bearers = {"static token": TOKEN, "service-account token": sa_token, "OIDC token": oidc_token}
        ratios: dict[str, list[float]] = {name: [] for name in bearers}
        for _ in range(rounds):
            for name, token in bearers.items():
                bearer = _get(path, {"Authorization": f"Bearer {token}"})
                with_token = await drive(url, without_cert, per_round, concurrency, bearer)
                cert = await drive(url, with_cert, per_round, concurrency, _get(path, {}))
                ratios[name].append(with_token / cert)
        return {name: sorted(values)[len(values) // 2] for name, values in ratios.items()}
    finally:
        proc.terminate()
        proc.wait(10)
