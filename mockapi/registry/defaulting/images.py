"""The tag of a container image reference, as kubelet's `parsers.ParseImageName` finds it.

`SetDefaults_Container` picks `imagePullPolicy: Always` when the tag is `latest` and `IfNotPresent`
otherwise. ParseImageName normalizes with the Docker reference grammar: no tag and no digest means the
tag `latest`; a digest alone means no tag; a reference that does not parse (uppercase repository,
empty string, ...) also yields no tag.
"""

from __future__ import annotations

import re

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_PATH = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_DOMAIN_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(rf"^(?:{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
_HEX64 = re.compile(r"^[a-f0-9]{64}$")


def image_tag(image: object) -> str:
    """The tag ParseImageName returns: `latest` when none is given, "" for digests and bad references."""
    if not isinstance(image, str) or not image:
        return ""
    name, _, digest = image.partition("@")
    if digest and not _DIGEST.match(digest):
        return ""
    tag = ""
    slash, colon = name.rfind("/"), name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
        if not _TAG.match(tag):
            return ""
    if not _valid_name(name):
        return ""
    if not tag and not digest:
        return "latest"
    return tag


def _valid_name(name: str) -> bool:
    if not name or len(name) > 255 or _HEX64.match(name):
        return False
    first, sep, rest = name.partition("/")
    has_domain = bool(sep) and (any(c in first for c in ".:") or first == "localhost" or first.lower() != first)
    if has_domain:
        return bool(_DOMAIN.match(first)) and bool(_PATH.match(rest))
    return bool(_PATH.match(name))
