"""Rebuild the console's CJK fonts: Noto Sans CJK SC subset to what the product can show.

The source is Debian's fonts-noto-cjk (SIL OFL 1.1), unpacked without installing it:

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto
    python resources/fonts/build.py /tmp/noto/usr/share/fonts/opentype/noto

Run from the repository root (needs fontTools). Kept characters: ASCII and Latin-1, general and
CJK punctuation, full-width forms, every GB 2312 character (levels 1 and 2: 6,763 hanzi plus
symbols), and every CJK character found in the repository's own text (region names such as 硚口
lie outside GB 2312).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
# The face taken from each NotoSansCJK-*.ttc (which also holds JP, KR, TC, HK and Mono).
SC_FAMILY = "Noto Sans CJK SC"
# Regular only (3 MB); Qt emboldens it where a label is bold.
WEIGHTS = ("Regular",)
SCANNED = ("core", "console", "ui", "resources")
SCANNED_SUFFIXES = {".py", ".csv", ".json", ".ts", ".md", ".qss", ".txt"}
RANGES = (
    (0x20, 0x7E), (0xA0, 0xFF),  # ASCII and Latin-1 (¥, ×, ·)
    (0x2000, 0x206F),  # general punctuation: — ‘ ’ “ ” …
    (0x2190, 0x21FF), (0x2460, 0x24FF), (0x25A0, 0x25FF),  # arrows, circled numbers, shapes
    (0x3000, 0x303F),  # CJK punctuation: 、。《》「」【】
    (0xFF00, 0xFFEF),  # full-width forms: ，：；（）
)


def gb2312() -> Iterator[str]:
    """Every character GB 2312 encodes in its two-byte rows 0xA1-0xF7."""
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                yield bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x2FFFF or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF)


def repository_characters(roots: Iterable[Path]) -> set[str]:
    """CJK characters in the repository's own source, translations and data."""
    found: set[str] = set()
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix not in SCANNED_SUFFIXES or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="ignore")
            found.update(ch for ch in text if _is_cjk(ch))
    return found


def wanted_characters() -> set[str]:
    chars = set(gb2312()) | repository_characters(REPO / name for name in SCANNED)
    for first, last in RANGES:
        chars.update(chr(code) for code in range(first, last + 1))
    return chars


def _sc_face(collection: Path) -> TTFont:
    for font in TTCollection(str(collection)).fonts:
        if font["name"].getDebugName(1) == SC_FAMILY:
            return font
    raise SystemExit(f"{collection} holds no {SC_FAMILY} face")


def build(source_dir: Path, out_dir: Path) -> list[Path]:
    chars = wanted_characters()
    options = subset.Options()
    options.layout_features = ["*"]  # keep vertical forms, proportional punctuation
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    written: list[Path] = []
    for weight in WEIGHTS:
        font = _sc_face(source_dir / f"NotoSansCJK-{weight}.ttc")
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(ch) for ch in chars])
        subsetter.subset(font)
        target = out_dir / f"NotoSansCJKsc-{weight}-subset.otf"
        font.save(str(target))
        written.append(target)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for path in build(Path(sys.argv[1]), HERE):
        print(f"{path.relative_to(REPO)}: {path.stat().st_size / 1e6:.1f} MB")
