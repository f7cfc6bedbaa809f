"""The screenshot tour against a real backend: one picture per desk role and dock, exit code 0.

One run, in Chinese at 1366×768 (issue 13): pictures of that size, and no English sentence from
the backend on any of them (console.tour_text's rule; the findings file names them). A tour
takes most of a minute, so one size and one language here: 1920×1080 and English take the same
path with other arguments (`lastmile demo --tour DIR --tour-size 1920x1080 --tour-language en`).
"""

from __future__ import annotations

from pathlib import Path

from e2e_support import Backend
from PySide6.QtGui import QImage

from console.app import run_console
from console.language import current
from console.tour import EXTRAS, TOUR_ROLES
from console.tour_text import ENGLISH_REPORT


async def test_the_chinese_tour_at_1366x768_pictures_every_desk_with_no_english_sentence(
    backend: Backend, tmp_path: Path
) -> None:
    tour = tmp_path / "tour"
    before = current()

    result = await run_console(backend.url, tour_dir=tour, tour_size=(1366, 768),
                               tour_language="zh_CN")

    findings = (tour / ENGLISH_REPORT).read_text(encoding="utf-8")
    assert findings == "", findings
    assert result == 0
    assert sorted(p.name for p in tour.iterdir()) == sorted(
        [f"{r}.png" for r in TOUR_ROLES] + [ENGLISH_REPORT]
        + [f"{role}-{name}.png" for role, extras in EXTRAS.items() for name, _ in extras])
    for role in TOUR_ROLES:
        image = QImage(str(tour / f"{role}.png"))
        assert not image.isNull(), role
        # grab() renders at the device pixel ratio; offscreen and in CI that is 1.
        size = image.size() / image.devicePixelRatio()
        assert (size.width(), size.height()) == (1366, 768), role
    assert current() is before  # the tour's language was for the tour only


async def test_the_tour_fails_clearly_when_it_cannot_sign_in(tmp_path: Path) -> None:
    # Nothing listens on port 9 (discard): the first sign-in fails.
    result = await run_console("http://127.0.0.1:9", tour_dir=tmp_path / "tour")

    assert result == 1
