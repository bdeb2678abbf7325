"""What an admission plugin sees and implements; the types live in the vocabulary (`mockapi.api.admission`,
`mockapi.api.informers`) so the registry and other stages share them without importing this package."""

from __future__ import annotations

from mockapi.api.admission import (
    Admission,
    AdmissionAttributes,
    AdmissionPlugin,
    MutatingPlugin,
    Recorder,
    ValidatingPlugin,
)
from mockapi.api.informers import ObjectReader

__all__ = [
    "Admission",
    "AdmissionAttributes",
    "AdmissionPlugin",
    "MutatingPlugin",
    "ObjectReader",
    "Recorder",
    "ValidatingPlugin",
]
