"""What Qt needs from a Linux system before the console opens a window, and how to get it.

Qt's pip wheels bring Qt but not the system libraries its platform plugins load. When one is
missing, Qt aborts the process with a message naming a different library (the xcb plugin names
libxcb-cursor0 whatever is missing). So the console looks for each library first, with the
system's own loader, and prints one `apt-get install` line (Debian/Ubuntu package names) for
all that are missing. Nothing here imports Qt: a missing library must not stop the check.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

# Loads a shared library by soname; raises OSError when the system has none (ctypes.CDLL does).
Loader = Callable[[str], object]
# Whether an X server answers at a DISPLAY value.
DisplayProbe = Callable[[str], bool]


@dataclass(frozen=True)
class Library:
    soname: str
    package: str  # the Debian/Ubuntu package that ships it


def _libs(*pairs: str) -> tuple[Library, ...]:
    return tuple(Library(*pair.split()) for pair in pairs)


# NEEDED entries of PySide6 6.11's libQt6Core/Gui/Widgets/DBus beyond the C/C++ runtime.
QT_GUI = _libs(
    "libGL.so.1 libgl1", "libEGL.so.1 libegl1", "libfontconfig.so.1 libfontconfig1",
    "libfreetype.so.6 libfreetype6", "libX11.so.6 libx11-6", "libglib-2.0.so.0 libglib2.0-0",
    "libgthread-2.0.so.0 libglib2.0-0", "libxkbcommon.so.0 libxkbcommon0",
    "libdbus-1.so.3 libdbus-1-3", "libz.so.1 zlib1g", "libzstd.so.1 libzstd1",
)
# NEEDED entries of plugins/platforms/libqxcb.so and libQt6XcbQpa.so.6 (the X11 platform).
XCB = _libs(
    "libxcb.so.1 libxcb1", "libX11-xcb.so.1 libx11-xcb1", "libxcb-cursor.so.0 libxcb-cursor0",
    "libxcb-icccm.so.4 libxcb-icccm4", "libxcb-image.so.0 libxcb-image0",
    "libxcb-keysyms.so.1 libxcb-keysyms1", "libxcb-randr.so.0 libxcb-randr0",
    "libxcb-render.so.0 libxcb-render0", "libxcb-render-util.so.0 libxcb-render-util0",
    "libxcb-shape.so.0 libxcb-shape0", "libxcb-shm.so.0 libxcb-shm0",
    "libxcb-sync.so.1 libxcb-sync1", "libxcb-util.so.1 libxcb-util1",
    "libxcb-xfixes.so.0 libxcb-xfixes0", "libxcb-xkb.so.1 libxcb-xkb1",
    "libxkbcommon-x11.so.0 libxkbcommon-x11-0",
)
# NEEDED entries of plugins/platforms/libqwayland.so and libQt6WaylandClient.so.6.
WAYLAND = _libs("libwayland-client.so.0 libwayland-client0",
                "libwayland-cursor.so.0 libwayland-cursor0")
# libQt6WebEngineCore.so.6 (the map): without these the console runs with the map off.
MAP = _libs(
    "libnss3.so libnss3", "libnspr4.so libnspr4", "libsmime3.so libnss3", "libgbm.so.1 libgbm1",
    "libXcomposite.so.1 libxcomposite1", "libXdamage.so.1 libxdamage1",
    "libXext.so.6 libxext6", "libXfixes.so.3 libxfixes3", "libXrandr.so.2 libxrandr2",
    "libXtst.so.6 libxtst6", "libasound.so.2 libasound2", "libxkbfile.so.1 libxkbfile1",
    "libxcb-dri3.so.0 libxcb-dri3-0", "libexpat.so.1 libexpat1", "libudev.so.1 libudev1",
)
# Offscreen and other plugins that need nothing beyond QtGui.
_PLATFORM_LIBRARIES: Mapping[str, tuple[Library, ...]] = {"xcb": XCB, "wayland": WAYLAND}


def _load(soname: str) -> object:
    return ctypes.CDLL(soname)


def x_server_answers(display: str) -> bool:
    """Connect to the display with libxcb as Qt will (a stale DISPLAY makes Qt abort with a
    message about libxcb-cursor0)."""
    xcb = ctypes.CDLL("libxcb.so.1")
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)  # an error object, never NULL
    try:
        return int(xcb.xcb_connection_has_error(connection)) == 0
    finally:
        xcb.xcb_disconnect(connection)


def missing(libraries: Iterable[Library], load: Loader = _load) -> list[Library]:
    """The libraries the system's loader cannot find (each soname tried once)."""
    absent: list[Library] = []
    for library in dict.fromkeys(libraries):
        try:
            load(library.soname)
        except OSError:
            absent.append(library)
    return absent


def install_line(libraries: Iterable[Library]) -> str:
    packages = sorted({library.package for library in libraries})
    return "sudo apt-get install -y " + " ".join(packages)


def platforms(env: Mapping[str, str]) -> list[str]:
    """The Qt platform plugins Qt will try here, in its order (only those this check knows)."""
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        names = [part.split(":")[0].strip() for part in chosen.split(";")]
    else:  # Qt prefers Wayland in a Wayland session and falls back to X11.
        names = []
        if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
            names.append("wayland")
        if env.get("DISPLAY"):
            names.append("xcb")
    return [name for name in names if name]


@dataclass(frozen=True)
class Report:
    required: list[Library]  # without these no window opens
    optional: list[Library]  # without these the map is off
    dead_display: str | None = None  # a DISPLAY where no X server answers

    @property
    def can_start(self) -> bool:
        return not self.required and self.dead_display is None

    def message(self) -> str:
        if self.dead_display is not None:
            return (f"The console cannot open a window: no X server answers at DISPLAY="
                    f"{self.dead_display}. Run it inside the desktop session (over ssh: "
                    "`ssh -X`), or unset DISPLAY: `lastmile demo` then keeps the backend "
                    "running for consoles elsewhere.")
        if self.required:
            names = ", ".join(library.soname for library in self.required)
            return ("The console cannot open a window: Qt needs system libraries this machine "
                    f"lacks ({names}). Install them with:\n\n"
                    f"    {install_line(self.required + self.optional)}\n")
        if self.optional:
            return ("The map is off: QtWebEngine needs system libraries this machine lacks. "
                    f"Install them with:\n\n    {install_line(self.optional)}\n")
        return ""


def check(
    env: Mapping[str, str] | None = None, load: Loader = _load, system: str | None = None,
    probe: DisplayProbe = x_server_answers,
) -> Report:
    """What the console would miss on this system (nothing outside Linux: wheels bring all)."""
    env = os.environ if env is None else env
    if not (system or sys.platform).startswith("linux"):
        return Report([], [])
    required = missing(QT_GUI, load)
    tried: Sequence[str] = platforms(env)
    lacking = [missing(_PLATFORM_LIBRARIES.get(name, ()), load) for name in tried]
    if lacking and all(lacking):  # any one platform that loads will do
        required += lacking[0]
    usable = [name for name, lack in zip(tried, lacking, strict=True) if not lack]
    dead = None
    if not required and usable[:1] == ["xcb"] and not probe(env.get("DISPLAY", "")):
        dead = env.get("DISPLAY", "")
    return Report(required, missing(MAP, load), dead)


CANNOT_START_EXIT = 3


def console_can_start(
    env: Mapping[str, str] | None = None, load: Loader = _load,
    say: Callable[[str], None] = print, probe: DisplayProbe = x_server_answers,
) -> bool:
    """Check before Qt loads; say what to do. False when no window could open."""
    report = check(env, load, probe=probe)
    if report.message():
        say(report.message())
    return report.can_start
