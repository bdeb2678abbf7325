"""Defaulters for scheduling.k8s.io/v1: a PriorityClass preempts lower priorities unless told otherwise.

A Pod's `priority` and `preemptionPolicy` are not defaults: the Priority admission plugin resolves them
from `priorityClassName`, so they belong to admission, not here.
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.registry.defaulting._fields import Obj, set_if_unset


def priority_class(obj: Obj) -> None:
    set_if_unset(obj, "preemptionPolicy", "PreemptLowerPriority")


DEFAULTERS: dict[str, Callable[[Obj], None]] = {"PriorityClass": priority_class}
