"""What Qt needs from a Linux system, checked before Qt loads, with one line that fixes it."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from console.system_check import (
    MAP,
    QT_GUI,
    XCB,
    Library,
    Loader,
    check,
    console_can_start,
    install_line,
    missing,
    x_server_answers,
)


def loader_without(*absent: str) -> tuple[list[str], Loader]:
    """A loader that fails (as ctypes.CDLL does) for the given sonames; records every call."""
    calls: list[str] = []

    def load(soname: str) -> object:
        calls.append(soname)
        if soname in absent:
            raise OSError(f"{soname}: cannot open shared object file")
        return object()

    return calls, load


def x_up(display: str) -> bool:
    return True


def sonames(libraries: Iterable[Library]) -> list[str]:
    return [library.soname for library in libraries]


def test_a_fresh_debian_desktop_gets_the_exact_line() -> None:
    # What the issue met: the xcb plugin lacked these two, and Qt named libxcb-cursor0.
    _, load = loader_without("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    report = check({"DISPLAY": ":0"}, load, system="linux")
    assert sonames(report.required) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert report.optional == []
    assert "\n    sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1\n" in report.message()
    assert "cannot open a window" in report.message()


def test_nothing_missing_says_nothing() -> None:
    calls, load = loader_without()
    said: list[str] = []
    assert console_can_start({"DISPLAY": ":0"}, load, said.append, x_up)
    assert said == []
    assert set(sonames(XCB)) <= set(calls) and set(sonames(QT_GUI)) <= set(calls)


def test_offscreen_needs_no_x11_libraries() -> None:
    _, load = loader_without(*sonames(XCB))
    report = check({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, load,
                   system="linux")
    assert report.required == []


def test_qt_gui_libraries_are_needed_on_every_platform() -> None:
    _, load = loader_without("libGL.so.1", "libEGL.so.1")
    report = check({"QT_QPA_PLATFORM": "offscreen"}, load, system="linux")
    assert sonames(report.required) == ["libGL.so.1", "libEGL.so.1"]
    assert "sudo apt-get install -y libegl1 libgl1" in report.message()


def test_a_wayland_session_may_fall_back_to_x11() -> None:
    env = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}
    _, load = loader_without("libwayland-cursor.so.0")
    assert check(env, load, system="linux", probe=x_up).required == []
    _, load = loader_without("libwayland-cursor.so.0", "libxcb-icccm.so.4")
    assert sonames(check(env, load, system="linux").required) == [
        "libwayland-cursor.so.0"]


def test_explicit_platforms_are_followed_with_their_fallback() -> None:
    _, load = loader_without("libxcb-icccm.so.4")
    report = check({"QT_QPA_PLATFORM": "xcb:nograb"}, load, system="linux")
    assert sonames(report.required) == ["libxcb-icccm.so.4"]
    # Qt would fall back to offscreen, which needs no more: no crash to prevent.
    assert check({"QT_QPA_PLATFORM": "xcb;offscreen"}, load, system="linux").required == []


def test_map_libraries_only_warn_and_join_the_one_line() -> None:
    _, load = loader_without("libnss3.so", "libxkbfile.so.1")
    said: list[str] = []
    assert console_can_start({"DISPLAY": ":0"}, load, said.append, x_up)
    assert "The map is off" in said[0]
    assert "sudo apt-get install -y libnss3 libxkbfile1" in said[0]
    _, load = loader_without("libnss3.so", "libxcb-keysyms.so.1")
    said.clear()
    assert not console_can_start({"DISPLAY": ":0"}, load, said.append, x_up)
    assert "sudo apt-get install -y libnss3 libxcb-keysyms1" in said[0]


@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_other_systems_are_not_checked(system: str) -> None:
    calls, load = loader_without(*sonames(QT_GUI))
    assert check({}, load, system=system) == check({}, load, system=system)
    assert check({}, load, system=system).required == [] and calls == []


def test_the_real_loader_finds_the_c_library_and_not_a_made_up_one() -> None:
    assert missing([Library("libc.so.6", "libc6")]) == []
    absent = Library("liblastmile-none.so.9", "lastmile-none")
    assert missing([absent]) == [absent]


def test_install_line_names_each_package_once_in_order() -> None:
    assert install_line(QT_GUI).count("libglib2.0-0") == 1
    assert install_line([MAP[1], MAP[0]]) == "sudo apt-get install -y libnspr4 libnss3"


def test_a_display_where_no_x_server_answers_is_said_plainly() -> None:
    _, load = loader_without()
    asked: list[str] = []

    def x_down(display: str) -> bool:
        asked.append(display)
        return False

    said: list[str] = []
    assert not console_can_start({"DISPLAY": ":7"}, load, said.append, x_down)
    assert asked == [":7"]
    assert "no X server answers at DISPLAY=:7" in said[0]
    # Offscreen, or a usable Wayland session, never asks the X server.
    assert check({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":7"}, load, system="linux",
                 probe=x_down).can_start
    wayland = {"WAYLAND_DISPLAY": "w", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":7"}
    assert check(wayland, load, system="linux", probe=x_down).can_start
    assert asked == [":7"]
    # Missing libraries come first: they are what to fix before any display can help.
    _, load = loader_without("libxcb-icccm.so.4")
    assert "libxcb-icccm4" in check({"DISPLAY": ":7"}, load, system="linux",
                                    probe=x_down).message()


def test_the_real_probe_finds_no_x_server_on_an_unused_display() -> None:
    assert not x_server_answers(":4711")
