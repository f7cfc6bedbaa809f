"""The tour in Chinese at 1366×768 (issue 13): pictures of that size, and no English sentence
from the backend on any of them (console.tour_text's rule; the findings file names them).

One size and one language here to keep the e2e run short: 1920×1080 and English take the same
path with other arguments (`lastmile demo --tour DIR --tour-size 1920x1080 --tour-language en`).
"""

from __future__ import annotations

from pathlib import Path

from e2e_support import Backend
from PySide6.QtGui import QImage

from console.app import run_console
from console.language import Language, current
from console.tour import TOUR_ROLES
from console.tour_text import ENGLISH_REPORT


async def test_the_chinese_tour_at_1366x768_shows_no_english_sentence(
    backend: Backend, tmp_path: Path
) -> None:
    tour = tmp_path / "tour"
    before = current()

    result = await run_console(backend.url, tour_dir=tour, tour_size=(1366, 768),
                               tour_language="zh_CN")

    findings = (tour / ENGLISH_REPORT).read_text(encoding="utf-8")
    assert findings == "", findings
    assert result == 0
    for role in TOUR_ROLES:
        image = QImage(str(tour / f"{role}.png"))
        size = image.size() / image.devicePixelRatio()
        assert (size.width(), size.height()) == (1366, 768), role
    assert current() is before  # the tour's language was for the tour only
    assert before is Language.EN or before is Language.ZH
