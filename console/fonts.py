"""The console's own CJK font, so Chinese shows on a machine that has no CJK font installed."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication

log = logging.getLogger(__name__)
FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"
CJK_FONT = FONTS / "NotoSansCJKsc-Regular-subset.otf"


def install_cjk_font(app: QGuiApplication, path: Path = CJK_FONT) -> str | None:
    """Register the bundled CJK font and make it the application font's fallback.

    The system's own font stays first (Latin text looks as everywhere else on the desktop);
    characters it lacks come from the bundled font. Returns the family registered, or None
    when the file could not be loaded (then the console keeps the system's fonts, logged).
    """
    # Resolve the system's font before ours exists: fontconfig may otherwise pick ours for a
    # generic name such as "Sans Serif", and Latin text would change its look.
    primary = QFontInfo(app.font()).family()
    fixed = QFontInfo(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)).family()
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("could not load the CJK font %s; Chinese may show as boxes", path)
        return None
    cjk = families[0]
    font = QFont(app.font())
    font.setFamilies([primary, cjk])
    app.setFont(font)
    # Widgets that ask for a family by name (the fixed-width font of payloads) fall back to
    # ours too, on platforms whose own fallback would not look at application fonts.
    for family in {primary, fixed} - {cjk}:
        if cjk not in QFont.substitutes(family):
            QFont.insertSubstitution(family, cjk)
    return cjk
