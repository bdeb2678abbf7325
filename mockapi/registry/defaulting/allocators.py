"""ClusterIP and NodePort allocators (pkg/registry/core/service/ipallocator and portallocator).

    ServiceIPAllocator       one service CIDR (default 10.96.0.0/12), single stack; owns a NodePortAllocator
    NodePortAllocator        one port range (default 30000-32767)

Errors, as kube-apiserver 1.33 reports them:

    ValueError
      AllocationError        422 Invalid: str() is the field error text, e.g.
                             spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP
                             10.96.0.1: provided IP is already allocated
    RuntimeError
      AllocationInternalError  500 InternalError: a range is full

Dynamic picks are random (seedable) and come from above a small static band first, as upstream's
`calculateRangeOffset` reserves the low addresses/ports for explicit requests. The first address
(10.96.0.1) is the `kubernetes` Service's: whoever creates that Service allocates `kubernetes_service_ip`.
In 1.33 (MultiCIDRServiceAllocator GA) an address outside the CIDR fails with the MetaAllocator's
"the provided network does not match the current range".
"""

from __future__ import annotations

import contextlib
import ipaddress
import random
from collections.abc import Iterator
from typing import Any

from mockapi.api.errors import ApiError, FieldError, aggregate, internal, invalid_object

DEFAULT_SERVICE_CIDR = "10.96.0.0/12"
DEFAULT_NODE_PORT_RANGE = "30000-32767"
INVALID_IP_DETAIL = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


def go_value(value: Any) -> str:
    """How a 1.33 field.Error prints a bad value: %q for strings, %v for numbers, %#v for []string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[]string{" + ", ".join(go_value(str(v)) for v in value) + "}"
    return repr(value)


class AllocationError(ValueError):
    """A 422 Invalid for a Service; `errors` are its causes, str() their aggregate."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__(aggregate([str(e) for e in errors]))

    @classmethod
    def invalid(cls, field: str, value: Any, detail: str) -> AllocationError:
        return cls([FieldError("FieldValueInvalid", field, f"Invalid value: {go_value(value)}: {detail}")])

    def api_error(self, name: str) -> ApiError:
        return invalid_object("Service", "", name, self.errors)


class AllocationInternalError(RuntimeError):
    """A 500: str() is the error kube-apiserver wraps as `Internal error occurred: ...`."""

    def api_error(self) -> ApiError:
        return internal(str(self))


class _Band:
    """Random-then-scan picking over [offset, size) first, then [0, offset)."""

    def __init__(self, size: int, offset: int, rng: random.Random) -> None:
        self.size, self.offset, self.rng = size, offset, rng

    def pick(self, taken: set[int]) -> int | None:
        for low, high in ((self.offset, self.size), (0, self.offset)):
            if high <= low:
                continue
            start = self.rng.randrange(low, high)
            for index in _wrap(start, low, high):
                if index not in taken:
                    return index
        return None


def _wrap(start: int, low: int, high: int) -> Iterator[int]:
    yield from range(start, high)
    yield from range(low, start)


def _range_offset(size: int, minimum: int, maximum: int, step: int) -> int:
    """calculateRangeOffset: min(max(minimum, size/step), maximum), 0 for tiny ranges."""
    if size <= minimum:
        return 0
    return max(minimum, min(size // step, maximum))


class NodePortAllocator:
    """Node ports from an inclusive range such as `30000-32767`."""

    def __init__(self, port_range: str = DEFAULT_NODE_PORT_RANGE, *, seed: int | None = None) -> None:
        base, _, last = port_range.partition("-")
        self.base = int(base)
        self.size = (int(last) if last else self.base) - self.base + 1
        self.range = port_range
        self._taken: set[int] = set()
        self._band = _Band(self.size, _range_offset(self.size, 16, 128, 32), random.Random(seed))

    def allocate(self, requested: int | None = None, *, field: str = "spec.ports[0].nodePort") -> int:
        """`requested` or a free port; raises AllocationError (reported at `field`) / AllocationInternalError."""
        if requested is None:
            return self.allocate_next()
        detail = self.try_reserve(requested)
        if detail is not None:
            raise AllocationError.invalid(field, requested, detail)
        return requested

    def allocate_next(self) -> int:
        index = self._band.pick(self._taken)
        if index is None:
            raise AllocationInternalError("failed to allocate a nodePort: range is full")
        self._taken.add(index)
        return self.base + index

    def try_reserve(self, port: int) -> str | None:
        """Take `port`; the portallocator's error text when that is impossible."""
        index = port - self.base
        if not 0 <= index < self.size:
            return f"provided port is not in the valid range. The range of valid ports is {self.range}"
        if index in self._taken:
            return "provided port is already allocated"
        self._taken.add(index)
        return None

    def release(self, port: int) -> None:
        self._taken.discard(port - self.base)

    def has(self, port: int) -> bool:
        return port - self.base in self._taken


class ServiceIPAllocator:
    """ClusterIPs from one service CIDR, plus the node ports (`node_ports`) Services allocate alongside."""

    def __init__(
        self,
        cidr: str = DEFAULT_SERVICE_CIDR,
        *,
        seed: int | None = None,
        node_port_range: str = DEFAULT_NODE_PORT_RANGE,
    ) -> None:
        self.network = ipaddress.ip_network(cidr, strict=False)
        self.family = "IPv4" if self.network.version == 4 else "IPv6"
        self.cidr = str(self.network)
        self._first = int(self.network.network_address) + 1
        last = int(self.network.broadcast_address) - (1 if self.network.version == 4 else 0)
        self.size = max(0, last - self._first + 1)
        rng = random.Random(seed)
        self._band = _Band(self.size, _range_offset(self.network.num_addresses, 16, 256, 16), rng)
        self._taken: set[int] = set()
        self.node_ports = NodePortAllocator(node_port_range, seed=None if seed is None else seed + 1)

    @property
    def kubernetes_service_ip(self) -> str:
        """The first address, reserved by convention for `default/kubernetes`."""
        return str(ipaddress.ip_address(self._first))

    def allocate(self, requested: str | None = None) -> str:
        """`requested` (static) or a free address (dynamic); raises AllocationError / AllocationInternalError."""
        if not requested:
            return self.allocate_next()
        detail = self.try_reserve(requested)
        if detail is not None:
            raise AllocationError.invalid(
                "spec.clusterIPs", [requested], f"failed to allocate IP {requested}: {detail}"
            )
        return str(ipaddress.ip_address(requested))

    def allocate_next(self) -> str:
        index = self._band.pick(self._taken)
        if index is None:
            raise AllocationInternalError("failed to allocate a serviceIP: range is full")
        self._taken.add(index)
        return str(ipaddress.ip_address(self._first + index))

    def try_reserve(self, requested: str) -> str | None:
        """Take `requested`; the allocator's error text when that is impossible."""
        try:
            address = ipaddress.ip_address(requested)
        except ValueError:
            return INVALID_IP_DETAIL
        if address not in self.network:
            return "the provided network does not match the current range"
        index = int(address) - self._first
        if not 0 <= index < self.size:
            return f"the provided IP ({address}) is not in the valid range. The range of valid IPs is {self.cidr}"
        if index in self._taken:
            return "provided IP is already allocated"
        self._taken.add(index)
        return None

    def release(self, ip: str) -> None:
        with contextlib.suppress(ValueError):
            self._taken.discard(int(ipaddress.ip_address(ip)) - self._first)

    def has(self, ip: str) -> bool:
        try:
            return int(ipaddress.ip_address(ip)) - self._first in self._taken
        except ValueError:
            return False
