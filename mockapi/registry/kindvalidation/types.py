"""The validator signature shared by the per-kind modules."""

from __future__ import annotations

from collections.abc import Callable

from mockapi.api.errors import FieldError
from mockapi.api.types import Obj

Validator = Callable[[Obj, Obj | None], list[FieldError]]
"""(new object, stored object on update or None on create) -> field errors."""
