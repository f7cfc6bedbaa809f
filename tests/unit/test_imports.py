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
PACKAGES = ("console", "ui")


def _modules() -> list[str]:
    names = []
    # The product's folders, not whatever `console` / `ui` resolve to on pytest's sys.path
    # (tests/unit/console and tests/ui are folders of the same names).
    for package in PACKAGES:
        names += [m.name for m in pkgutil.walk_packages([str(REPO / package)], package + ".")]
    # A package is imported first by importing any module inside it (its __init__ runs before
    # the module): only packages without modules of their own need a run of their own.
    parents = {name.rsplit(".", 1)[0] for name in names}
    return sorted(n for n in names if n not in parents)


def _parents_that_import_their_own(modules: list[str]) -> list[str]:
    """Packages whose __init__ imports one of their own modules: worth a run of their own.

    Only the cost depends on this choice: a run covers just what it really loaded.
    """
    def init(package: str) -> str:
        return (REPO / package.replace(".", "/") / "__init__.py").read_text("utf-8")

    return sorted(p for p in {m.rsplit(".", 1)[0] for m in modules} if f"from {p}." in init(p))


def _import_alone(module: str) -> tuple[str, int, str, set[str]]:
    """Import `module` first in a new interpreter; say how it ended and what it loaded."""
    loaded = f"import sys; print(*(m for m in sys.modules if m.startswith({PACKAGES!r})))"
    done = subprocess.run([sys.executable, "-c", f"import {module}; {loaded}"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    return module, done.returncode, done.stderr[-800:], set(done.stdout.split())


def test_every_console_and_ui_module_imports_first() -> None:
    modules = _modules()
    assert "console.client.lastmile" in modules and "ui.map_view" in modules
    with ThreadPoolExecutor(max_workers=2) as pool:
        # `import a.b.c` runs a, then a.b, then a.b.c unless a.b's __init__ already loaded it:
        # for a module its package loads, the package's run is exactly the module's own run.
        parents = list(pool.map(_import_alone, _parents_that_import_their_own(modules)))
        covered = {m for package, code, _, loaded in parents if code == 0
                   for m in loaded if m.startswith(package + ".")}
        alone = list(pool.map(_import_alone, [m for m in modules if m not in covered]))
    failures = [run[:3] for run in parents + alone if run[1] != 0]
    assert failures == []
