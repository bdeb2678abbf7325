"""The error selector parsing raises."""

from __future__ import annotations


class SelectorError(ValueError):
    """A selector kube-apiserver refuses; `str(err)` is its Go error text."""
