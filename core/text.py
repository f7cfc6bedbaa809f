"""Text people send and see: which characters a text field refuses, when a reason says
something, and how stored text is shown inert.

One rule for the whole project: the wire schemas (core.contracts) and the server's query
guard refuse with `refusal`, the order rules ask `says_something` of a reason, and the console
shows stored text through `inert`. Pure Python, so rules, contracts and ui can all import it.
"""

from __future__ import annotations

import unicodedata

# Bidi embeddings, overrides and isolates reorder what follows them on screen ("Trojan Source"),
# and the marks nudge neutral characters; Chinese text never needs them.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Line breaks a multi-line text (a reason typed in a text box, a payload) may carry.
TEXT_BREAKS = frozenset("\t\n\r")
# Other characters that break a line when shown (a one-line field refuses them as well).
LINE_SEPARATORS = frozenset("\u2028\u2029")
# Letters and symbols that draw nothing (Hangul fillers, the blank braille pattern).
_BLANK_GRAPHICS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_VISIBLE_CATEGORIES = ("L", "N", "P", "S")
# How the console shows a character it must not act on (control pictures: U+2400 + code).
_BREAK_MARK = "⏎"
_HIDDEN_MARK = "\ufffd"


def _name(char: str) -> str:
    return f"U+{ord(char):04X}"


def refusal(text: str, *, multiline: bool = False) -> str | None:
    """Why `text` cannot be taken as a text field, or None: control characters (NUL, ESC and
    the rest), bidi controls, and line breaks unless the field is `multiline`."""
    for char in text:
        if multiline and char in TEXT_BREAKS:
            continue
        if unicodedata.category(char) == "Cc":
            return f"含有控制字符 {_name(char)} (contains the control character {_name(char)})"
        if char in BIDI_CONTROLS:
            return (f"含有双向文本控制符 {_name(char)} (contains the bidi control "
                    f"{_name(char)})")
        if char in LINE_SEPARATORS and not multiline:
            return f"不能换行 (must be one line: {_name(char)})"
    return None


def _visible(char: str) -> bool:
    return (unicodedata.category(char).startswith(_VISIBLE_CATEGORIES)
            and char not in _BLANK_GRAPHICS)


def says_something(text: str) -> bool:
    """Whether a reason has a character one can see (not only spaces, zero-width characters,
    control characters or marks)."""
    return any(_visible(char) for char in text)


NEEDS_VISIBLE = "须包含可见文字 (needs visible characters)"


def inert(text: str, *, multiline: bool = False) -> str:
    """`text` as the console shows it: control characters as their pictures (ESC as ␛, so an
    ANSI escape shows as written), bidi controls as �, line breaks kept only if `multiline`."""
    if multiline:
        text = text.replace("\r\n", "\n")
    out: list[str] = []
    for char in text:
        if char == "\n" and multiline:
            out.append(char)
        elif char in "\n\r" or char in LINE_SEPARATORS:
            out.append(_BREAK_MARK)
        elif char == "\t":
            out.append(" ")
        elif char in BIDI_CONTROLS:
            out.append(_HIDDEN_MARK)
        elif unicodedata.category(char) == "Cc":
            code = ord(char)
            out.append(chr(0x2400 + code) if code < 0x20 else
                       "\u2421" if code == 0x7F else _HIDDEN_MARK)
        else:
            out.append(char)
    return "".join(out)
