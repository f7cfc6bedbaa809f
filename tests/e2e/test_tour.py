"""The screenshot tour against a real backend: every desk role and dock pictured, exit code 0.

Issue 13: the tour at 1366×768 and 1920×1080 in both languages, nothing in the wrong language
on any picture — in Chinese no English sentence from the backend, in English no Chinese among
the console's own words (console.tour_text). One run per language photographs both sizes
(each picture staged once, grabbed at each size); both runs share one backend, as a tour
takes a while.
"""

from __future__ import annotations

from pathlib import Path

from e2e_support import Backend
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from console.app import run_console
from console.language import Language, current
from console.tour import TOUR_ROLES, picture_folder, run_tour
from console.tour_shots import EXTRAS
from console.tour_text import check_for

SIZES = [QSize(1366, 768), QSize(1920, 1080)]
PICTURES = sorted([f"{r}.png" for r in TOUR_ROLES]
                  + [f"{role}-{name}.png" for role, extras in EXTRAS.items() for name, _ in extras])


async def test_the_tour_pictures_every_desk_at_both_sizes_in_each_language_with_none_of_the_other(
    backend: Backend, tmp_path: Path
) -> None:
    before = current()

    results = {language: await run_tour(backend.url, tmp_path / language, size=SIZES,
                                        language=language)
               for language in (Language.ZH, Language.EN)}

    for language, result in results.items():
        tour = tmp_path / language
        findings = (tour / check_for(language).report).read_text(encoding="utf-8")
        assert findings == "", findings
        assert result == 0, language
        for size in SIZES:
            folder = picture_folder(tour, size, SIZES)
            assert sorted(p.name for p in folder.iterdir()) == PICTURES, (language, size)
            for name in PICTURES:
                image = QImage(str(folder / name))
                # grab() renders at the device pixel ratio; offscreen and in CI that is 1.
                assert image.size() / image.devicePixelRatio() == size, (language, name)
    assert current() is before  # the tour's language was for the tour only


async def test_the_tour_fails_clearly_when_it_cannot_sign_in(tmp_path: Path) -> None:
    # Nothing listens on port 9 (discard): the first sign-in fails.
    result = await run_console("http://127.0.0.1:9", tour_dir=tmp_path / "tour")

    assert result == 1
