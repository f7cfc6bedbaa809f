"""The console brings its own CJK font: Chinese shows even where the system has none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QImage, QPainter, QRawFont
from PySide6.QtWidgets import QApplication

from console.fonts import CJK_FONT, install_cjk_font

TITLE = "派单工作台"


@pytest.fixture
def cjk_app(qapp: QApplication) -> Iterator[tuple[QApplication, bool]]:
    """The app with the font installed; says whether the system itself had a CJK font."""
    had_system_cjk = bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    before = QFont(qapp.font())
    substituted = {family: QFont.substitutes(family) for family in QFont.substitutions()}
    yield qapp, had_system_cjk
    # Leave the shared app as other tests expect it.
    qapp.setFont(before)
    for family in QFont.substitutions():
        QFont.removeSubstitutions(family)
        if family in substituted:
            QFont.insertSubstitutions(family, substituted[family])
    QFontDatabase.removeAllApplicationFonts()


def _glyph(font: QFont, text: str) -> QImage:
    image = QImage(48, 48, QImage.Format.Format_Grayscale8)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return image


def test_the_bundled_font_is_small_and_licensed() -> None:
    assert CJK_FONT.stat().st_size < 4_000_000
    licence = (CJK_FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def test_chinese_glyphs_come_from_the_application_font(
    cjk_app: tuple[QApplication, bool],
) -> None:
    app, had_system_cjk = cjk_app
    if not had_system_cjk:  # as on a fresh machine: boxes before
        assert not any(QFontMetrics(app.font()).inFont(ch) for ch in TITLE)
    family = install_cjk_font(app)

    assert family == "Noto Sans CJK SC"
    assert app.font().families()[-1] == family
    metrics = QFontMetrics(app.font())
    assert all(metrics.inFont(ch) for ch in TITLE)
    assert metrics.inFont("A")
    raw = QRawFont.fromFont(QFont(family))
    # The int overload: PySide6 takes some one-character strings for another QChar.
    assert all(raw.supportsCharacter(ord(ch)) for ch in TITLE + "硚口，。¥")
    # Drawn with the application font, each character is its own shape: no row of equal boxes.
    images = [_glyph(app.font(), ch) for ch in TITLE]
    blank = _glyph(app.font(), " ")
    assert all(image != blank for image in images)
    assert len({bytes(image.constBits()) for image in images}) == len(TITLE)


def test_a_missing_font_file_leaves_the_system_fonts(
    cjk_app: tuple[QApplication, bool],
) -> None:
    app, _ = cjk_app
    families = app.font().families()
    assert install_cjk_font(app, CJK_FONT.parent / "missing.otf") is None
    assert app.font().families() == families
