"""Whether this machine can show the console's window."""

from __future__ import annotations

import os
import sys


def has_screen() -> bool:
    """Whether Qt can open a window here (a platform plugin was chosen, or a display exists)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
