"""A benchmark's --help, read in this process: what `python -m bench.<name> --help` prints.

Each benchmark's quick run already starts it as `python -m`; a fresh interpreter per --help
would only import the same modules again (about 2 s each).
"""

from __future__ import annotations

import contextlib
import importlib
import io

import pytest


def help_of(name: str) -> str:
    """bench.<name>'s --help text; its argument parser exits 0 after printing it."""
    bench = importlib.import_module(f"bench.{name}")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as ended:
        bench.parse_args(["--help"])
    assert ended.value.code == 0
    return out.getvalue()
