"""Package layering is a checked contract: each package imports only the packages below it, and only the
web layer (plus the assembler, server.py) imports aiohttp."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mockapi"

ALLOWED: dict[str, set[str]] = {
    "api": set(),
    "storage": {"api"},
    "resources": {"api"},
    "protobuf": {"api"},
    "audit": {"api"},
    "authn": {"api"},
    "authz": {"api"},
    "pki": {"api"},
    "config": {"api", "resources"},
    "admission": {"api", "resources"},
    "registry": {"api", "storage", "resources", "protobuf", "admission"},
    "controllers": {"api", "storage", "resources", "registry"},
    "endpoints": {"api", "storage", "resources", "protobuf", "audit", "authn", "authz", "registry"},
}
"""What each package may import; server.py and cli.py assemble everything, testing drives the server."""

AIOHTTP_IMPORTERS = {"endpoints", "server"}


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def _modules() -> list[tuple[str, Path]]:
    return [(path.relative_to(PACKAGE).parts[0].removesuffix(".py"), path) for path in sorted(PACKAGE.rglob("*.py"))]


@pytest.mark.parametrize(("package", "path"), _modules(), ids=lambda v: str(v) if isinstance(v, str) else v.name)
def test_each_module_imports_only_what_its_package_may(package: str, path: Path) -> None:
    imported = _imports(path)
    if package in ALLOWED:
        used = {name.split(".")[1] for name in imported if name.startswith("mockapi.")} - {package}
        assert used <= ALLOWED[package], f"{path.relative_to(PACKAGE)} imports {sorted(used - ALLOWED[package])}"
    if any(name == "aiohttp" or name.startswith("aiohttp.") for name in imported):
        assert package in AIOHTTP_IMPORTERS, f"{path.relative_to(PACKAGE)} imports aiohttp"
