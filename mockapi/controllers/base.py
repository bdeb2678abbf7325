"""What every controller shares: its identity, and handlers that follow the state of objects."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from mockapi.api.informers import HandlerRegistration, Informer
from mockapi.api.types import Obj, UserInfo
from mockapi.registry.options import OpContext

StateHandler = Callable[[Obj], Awaitable[None]]


def controller_identity(name: str) -> OpContext:
    """The service-account identity kube-controller-manager's controllers use."""
    return OpContext(
        user=UserInfo(
            name=f"system:serviceaccount:kube-system:{name}",
            groups=("system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"),
        )
    )


def on_each_state(informer: Informer, handle: StateHandler) -> HandlerRegistration:
    """Call `handle` with every object's state as it is listed, created and updated (deletions are not
    passed): for level-triggered controllers, which act on what an object is, not on how it changed."""

    async def on_update(_old: Obj, new: Obj) -> None:
        await handle(new)

    return informer.add_handler(on_add=handle, on_update=on_update)
