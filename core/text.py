"""Text people send and see: which characters a text field refuses, when a reason says
something, how stored text is shown inert, what a bilingual `中文 (English)` text is, and how
a person's words join the backend's text.

One rule for the whole project: the wire schemas (core.contracts) and the server's query
guard refuse with `refusal`, the order rules ask `says_something` of a reason, the console
shows stored text through `inert`, every text that quotes a person is `with_words`, and
`bilingual` says which part is which (the console picks one; the demo's staff type Chinese).
Pure Python, so rules, contracts and ui can all import it.
"""

from __future__ import annotations

import re
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


# -- a person's words inside the backend's text ----------------------------------------------
# `<中文 (English)>：「<the person's words>」`: the console picks the system part and shows the
# words as written in either language (console.language.pick). The boundary is the FIRST `)：「`:
# the system part is ours and never holds it, the words may hold anything (parentheses, 」).
WORDS_BOUNDARY = ")：「"
WORDS_END = "」"
CUT = "…"  # where a text was cut to fit


def with_words(system: str, words: str, limit: int | None = None) -> str:
    """The backend's bilingual `system` text followed by a person's `words` (left out when they
    say nothing); with a `limit`, the words are cut (…) so the whole fits, never the system
    part."""
    if not system.endswith(")") or WORDS_BOUNDARY in system:
        raise ValueError(f"not a bilingual system text: {system!r}")
    said = words.strip()
    if not says_something(said):
        return system
    if limit is not None:
        room = limit - len(system) - len("：「") - len(WORDS_END)
        if room < 1 + len(CUT):
            return system
        if len(said) > room:
            said = said[:room - len(CUT)] + CUT
    return f"{system}：「{said}{WORDS_END}"


def split_words(text: str) -> tuple[str, str] | None:
    """(system text, the person's words) of a `with_words` text, or None when it is not one."""
    at = text.find(WORDS_BOUNDARY)
    if at < 0 or not text.endswith(WORDS_END) or len(text) < at + len(WORDS_BOUNDARY) + 1:
        return None
    return text[:at + 1], text[at + len(WORDS_BOUNDARY):-len(WORDS_END)]


# -- the backend's bilingual text -------------------------------------------------------------
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
LATIN = re.compile(r"[A-Za-z]")
ENDING = ".。"


def bilingual(text: str) -> tuple[str, str, str] | None:
    """(Chinese, English, ending) of `中文 (English).`, or None when the text is not both.

    The English is the last parenthesised group at the top level (parentheses inside either
    part are matched); it counts as English when it starts with no Chinese character, has an
    English word and more Latin letters than Chinese characters (a place's name may appear in
    it), so `上门 (A 区)` and `预约 (3 次)` stay whole.
    """
    body = text.rstrip()
    ending = ""
    while body and body[-1] in ENDING:
        ending = body[-1] + ending
        body = body[:-1].rstrip()
    if not body.endswith(")"):
        return None
    depth = 0
    start = -1
    for index in range(len(body) - 1, -1, -1):
        char = body[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                start = index
                break
    if start <= 0:
        return None
    chinese, english = body[:start].rstrip(), body[start + 1:-1].strip()
    if (not CJK.search(chinese) or not english or CJK.match(english)
            or not LATIN_WORD.search(english)
            or len(LATIN.findall(english)) < len(CJK.findall(english))):
        return None
    return chinese, english, ending


def both(chinese: str, english: str) -> str:
    """One text in both languages, `中文 (English)`, from its two parts (so nothing nests)."""
    return f"{chinese} ({english})"


def around(text: str, before: tuple[str, str] = ("", ""),
           after: tuple[str, str] = ("", "")) -> str:
    """A bilingual `text` between words before and after it, each in its language:
    `此单未向你开放：` + `中文 (English)` is `此单未向你开放：中文 (not open to you: English)`.
    A person's words the text quotes (with_words) stay quoted at the end; a text in one
    language only is kept whole in both parts."""
    system, words = split_words(text) or (text, "")
    parts = bilingual(system)
    zh, en = (parts[0], parts[1]) if parts else (system, system)
    return with_words(both(before[0] + zh + after[0], before[1] + en + after[1]), words)
