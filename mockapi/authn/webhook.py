"""Webhook token authentication (`--authentication-token-webhook-config-file`, apiserver/plugin/pkg/authenticator/
token/webhook): a bearer token nobody else accepted is sent to a remote service as a TokenReview, and its
answer decides.

As upstream: the kubeconfig names the service and how to reach it; `--authentication-token-webhook-version`
picks the TokenReview version (v1beta1 by default); transient failures (500, 504, 429, a reset connection) are
retried with client-go's webhook backoff (0.5 s, factor 1.5, five tries), other failures are errors (401); an
answer for other audiences is "not mine"; `authenticated: false` is "not mine", or an error when the status
says why; accepted tokens and "not mine" answers are cached for `--authentication-token-webhook-cache-ttl`.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from mockapi.api.types import UserInfo
from mockapi.api.webhooks import WebhookClient, WebhookError, WebhookTarget
from mockapi.authn.interface import Authenticated, AuthenticationError, NotMine

REQUEST_TIMEOUT = 30.0
RETRIED_STATUS = (429, 500, 504)
BACKOFF = (0.5, 0.75, 1.125, 1.6875)
"""Waits between the five tries (DefaultRetryBackoff: 500 ms, factor 1.5, 5 steps)."""


class WebhookTokenAuthenticator:
    name = "webhook"

    def __init__(
        self,
        target: WebhookTarget,
        client: WebhookClient,
        api_audiences: tuple[str, ...],
        version: str = "v1beta1",
        backoff: tuple[float, ...] = BACKOFF,
    ) -> None:
        if version not in ("v1", "v1beta1"):
            raise ValueError(f'unsupported authentication webhook version "{version}"')
        self.target = target
        self.client = client
        self.api_audiences = api_audiences
        self.version = version
        self.backoff = backoff

    async def authenticate_token(self, token: str, audiences: tuple[str, ...]) -> Authenticated | None:
        wanted = audiences or self.api_audiences
        spec: dict[str, Any] = {"token": token}
        if wanted:
            spec["audiences"] = list(wanted)
        review = {
            "kind": "TokenReview",
            "apiVersion": f"authentication.k8s.io/{self.version}",
            "metadata": {"creationTimestamp": None},
            "spec": spec,
            "status": {"user": {}},
        }
        status = _status(await self._call(orjson.dumps(review)))
        accepted = wanted
        if wanted:
            answered = _strings(status.get("audiences")) or self.api_audiences
            accepted = tuple(a for a in wanted if a in answered)
            if not accepted:
                raise NotMine(f"the webhook answered for other audiences {list(answered)}")
        if status.get("authenticated") is not True:
            error = status.get("error")
            if isinstance(error, str) and error:
                raise AuthenticationError(error)
            return None
        user = _mapping(status.get("user"))
        extra = _mapping(user.get("extra"))
        info = UserInfo(
            name=str(user.get("username") or ""),
            uid=str(user.get("uid") or ""),
            groups=_strings(user.get("groups")),
            extra={str(k): _strings(v) for k, v in extra.items()},
        )
        return Authenticated(info, self.name, accepted)

    async def _call(self, body: bytes) -> bytes:
        """The TokenReview's answer, tries and waits as WithExponentialBackoff makes them."""
        for attempt in range(len(self.backoff) + 1):
            try:
                status, answer = await self.client.post(
                    self.target.url,
                    body,
                    ssl_context=self.target.ssl_context,
                    headers=self.target.headers,
                    timeout=REQUEST_TIMEOUT,
                )
            except WebhookError as exc:
                if "connection reset" not in str(exc).lower() or attempt == len(self.backoff):
                    raise AuthenticationError(str(exc)) from None
            else:
                if 200 <= status < 300:
                    return answer
                if status not in RETRIED_STATUS or attempt == len(self.backoff):
                    raise AuthenticationError(_http_error(status, answer))
            await asyncio.sleep(self.backoff[attempt])
        raise AssertionError("unreachable")


def _status(answer: bytes) -> dict[str, Any]:
    try:
        review = orjson.loads(answer)
    except orjson.JSONDecodeError as exc:
        raise AuthenticationError(f"the webhook's answer is not a TokenReview: {exc}") from None
    status = review.get("status") if isinstance(review, dict) else None
    return status if isinstance(status, dict) else {}


def _http_error(status: int, answer: bytes) -> str:
    """What client-go says of a failed create: the Status's message, or that there was none."""
    try:
        body = orjson.loads(answer)
    except orjson.JSONDecodeError:
        body = None
    if isinstance(body, dict) and body.get("kind") == "Status" and isinstance(body.get("message"), str):
        return str(body["message"])
    return (
        f"the server responded with the status code {status} but did not return more information "
        "(post tokenreviews.authentication.k8s.io)"
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()
