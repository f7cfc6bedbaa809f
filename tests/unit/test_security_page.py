"""docs/security.md names a test for every promise: each named test must exist."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "security.md"


def _named_tests() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for row in PAGE.read_text(encoding="utf-8").splitlines():
        if not row.startswith("|"):
            continue
        cell = row.rstrip(" |").rsplit("|", 1)[-1]
        for part in cell.split(";"):
            part = part.strip()
            if not part:
                continue
            if part.startswith("::"):
                found.append((found[-1][0], part[2:]))
            elif ".py" in part:
                path, _, name = part.partition("::")
                found.append((path, name or None))
    return found


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")}


def test_the_security_page_names_tests_that_exist() -> None:
    named = _named_tests()
    assert len(named) > 60  # the page was read, not skipped over
    missing = []
    for path, name in named:
        file = ROOT / "tests" / path
        if not file.is_file():
            missing.append(path)
        elif name is not None and name not in _tests_in(file):
            missing.append(f"{path}::{name}")
    assert not missing, missing
