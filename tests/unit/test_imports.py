"""Every module of the product imports on its own in a fresh interpreter.

Import order bugs (pydantic imported after PySide6 broke `import console.client`) only show
when a module is the first thing a process imports.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _modules() -> list[str]:
    names = []
    # The product's folders, not whatever `console` / `ui` resolve to on pytest's sys.path
    # (tests/unit/console and tests/ui are folders of the same names).
    for package in ("console", "ui"):
        names += [m.name for m in pkgutil.walk_packages([str(REPO / package)], package + ".")]
    # A package is imported first by importing any module inside it (its __init__ runs before
    # the module): only packages without modules of their own need a run of their own.
    parents = {name.rsplit(".", 1)[0] for name in names}
    return sorted(n for n in names if n not in parents)


def _import_alone(module: str) -> tuple[str, int, str]:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    return module, done.returncode, done.stderr[-800:]


def test_every_console_and_ui_module_imports_first() -> None:
    modules = _modules()
    assert "console.client.lastmile" in modules and "ui.map_view" in modules
    with ThreadPoolExecutor(max_workers=2) as pool:
        failures = [r for r in pool.map(_import_alone, modules) if r[1] != 0]
    assert failures == []
