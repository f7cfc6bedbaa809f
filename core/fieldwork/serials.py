"""The appliance's serial number: one per unit of the order, as printed on its nameplate.

A technician types or scans it; `normalize` makes the forms of one serial the same text (full
width to half width, upper case, spaces and the separators makers print between groups taken
out), `check` refuses what cannot be a serial (too short or long, letters and digits only, some
digits, not one character repeated or a straight run like 123456 or ABCDEF) with a reason,
Chinese first. The same serial on two orders is one appliance worked twice, or a copied
serial: flagged (SERIAL_REUSED), never refused, since a second visit to one appliance happens.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise

from core.errors import Invalid

MIN_LENGTH = 6
MAX_LENGTH = 32
MAX_TYPED = 120  # what we keep of the text as typed
SEPARATORS = frozenset(" -_/.\t·")
MIN_DIGITS = 2
MIN_DISTINCT = 3


class BadSerial(Invalid):
    """Not a plausible serial number (422, naming the field)."""

    def __init__(self, zh: str, en: str, loc: tuple[str | int, ...] = ("body", "serial")) -> None:
        super().__init__(f"序列号无效：{zh} (not a serial number: {en})", loc=loc)


def normalize(typed: str) -> str:
    """One text per serial: NFKC (full-width forms fold), upper case, separators removed."""
    folded = unicodedata.normalize("NFKC", typed).upper()
    return "".join(ch for ch in folded if ch not in SEPARATORS and not ch.isspace())


def _straight_run(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return steps in ({1}, {-1})


def check(typed: str, loc: tuple[str | int, ...] = ("body", "serial")) -> str:
    """The normalized serial, or BadSerial saying what is wrong with it."""
    if len(typed) > MAX_TYPED:
        raise BadSerial(f"输入过长（最多 {MAX_TYPED} 个字符）",
                        f"too long as typed (at most {MAX_TYPED} characters)", loc)
    serial = normalize(typed)
    if not serial:
        raise BadSerial("为空", "empty", loc)
    if not (serial.isascii() and serial.isalnum()):
        raise BadSerial("只能包含字母和数字（可有空格或连字符）",
                        "letters and digits only (spaces or hyphens between groups)", loc)
    if not MIN_LENGTH <= len(serial) <= MAX_LENGTH:
        raise BadSerial(f"长度应为 {MIN_LENGTH} 到 {MAX_LENGTH} 位，实际 {len(serial)} 位",
                        f"{MIN_LENGTH} to {MAX_LENGTH} characters, not {len(serial)}", loc)
    if sum(ch.isdigit() for ch in serial) < MIN_DIGITS:
        raise BadSerial(f"至少应含 {MIN_DIGITS} 位数字", f"at least {MIN_DIGITS} digits", loc)
    if len(set(serial)) < MIN_DISTINCT or _straight_run(serial):
        raise BadSerial("看起来是随意填写的（重复或连续字符）",
                        "looks made up (one character repeated, or a straight run)", loc)
    return serial
