"""Package layering is a checked contract: the import-linter contracts in pyproject.toml ([tool.importlinter]),
which scripts/check runs as `lint-imports`. Run here as well, so a plain `pytest` enforces them too; the
contracts themselves live only in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"  # the test extras' console script
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
