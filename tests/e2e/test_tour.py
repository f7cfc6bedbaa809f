"""The screenshot tour against a real backend: one picture per desk role, exit code 0."""

from __future__ import annotations

from pathlib import Path

from e2e_support import Backend
from PySide6.QtGui import QImage

from console.app import run_console
from console.tour import EXTRAS, TOUR_ROLES
from ui.main_window import DEFAULT_SIZE


async def test_the_tour_saves_a_window_sized_picture_per_role(
    backend: Backend, tmp_path: Path
) -> None:
    tour = tmp_path / "tour"

    result = await run_console(backend.url, tour_dir=tour)

    assert result == 0
    assert sorted(p.name for p in tour.iterdir()) == sorted(
        [f"{r}.png" for r in TOUR_ROLES]
        + [f"{role}-{name}.png" for role, extras in EXTRAS.items() for name, _ in extras])
    for role in TOUR_ROLES:
        image = QImage(str(tour / f"{role}.png"))
        assert not image.isNull(), role
        # grab() renders at the device pixel ratio; offscreen and in CI that is 1.
        size = image.size() / image.devicePixelRatio()
        assert (size.width(), size.height()) == (DEFAULT_SIZE.width(), DEFAULT_SIZE.height())


async def test_the_tour_fails_clearly_when_it_cannot_sign_in(tmp_path: Path) -> None:
    # Nothing listens on port 9 (discard): the first sign-in fails.
    result = await run_console("http://127.0.0.1:9", tour_dir=tmp_path / "tour")

    assert result == 1
