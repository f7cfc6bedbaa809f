"""One language per person: which one the console speaks, and the server's text in it.

The backend writes what a person reads as `中文 (English)` (core's refusals are checked Chinese
first by tests/unit/test_messages_chinese_first.py). The console shows one of the two:
`pick(text)` keeps the Chinese or the English part for the console's language. Text that is in
one language only (and a person's own words, which callers never pass here) comes back as it is.
A person's words inside the backend's text (core.text.with_words: `中文 (English)：「words」`)
are kept as written in both languages; only the backend's part is picked.

The language is Chinese unless the person chose English (Session > Language): the console's
users are Chinese call-centre staff, so a machine with a C or English locale still starts in
Chinese. The choice is kept per person in QSettings and applies from the next sign-in
(`console.app` installs the catalogue before the workspace is built); before anyone signs in,
the last choice made on this machine (or LASTMILE_LOCALE) decides the sign-in dialog's language.
"""

from __future__ import annotations

import logging
import os
import re
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from core.text import bilingual as split
from core.text import split_words

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
CATALOGUE = Path(__file__).resolve().parent.parent / "resources" / "i18n" / "lastmile_zh_CN.qm"
TRANSLATOR_NAME = "lastmile-language"  # the translators `speak` installs, found to remove


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


DEFAULT = Language.ZH  # what the console speaks when nobody chose (console.app.main)
# No catalogue installed (a test building widgets directly): labels are the English source
# strings, so the server's text is English too. console.app sets it on start and sign-in.
_current = [Language.EN]

# A field or order number before the Chinese ("items.0.quantity: 数量…"): kept in English too.
PREFIX = re.compile(r"^[^\u3400-\u9fff]*?[:：]\s*")
SEPARATOR = "；"  # how the server and the console join several messages


def current() -> Language:
    return _current[0]


def set_current(language: Language) -> None:
    _current[0] = Language(language)


def of_locale(name: str) -> Language | None:
    """"zh_CN.UTF-8" -> ZH, "en_GB" -> EN; anything else (C, POSIX, "") -> None."""
    lowered = name.strip().lower()
    if lowered.startswith("zh"):
        return Language.ZH
    if lowered.startswith("en"):
        return Language.EN
    return None


def pick(text: str, language: Language | None = None) -> str:
    """The server's text in the person's language (the console's current one by default)."""
    language = current() if language is None else language
    if not text:
        return text
    quoted = quoting(text)
    if quoted is not None:
        system, words = quoted
        picked = pick(system, language)
        return f"{picked}：「{words}」" if language is Language.ZH else f'{picked}: "{words}"'
    pieces = text.split(SEPARATOR)
    if len(pieces) > 1 and all(split(piece.strip()) for piece in pieces):
        joiner = SEPARATOR if language is Language.ZH else "; "
        return joiner.join(_pick_one(piece.strip(), language) for piece in pieces)
    return _pick_one(text, language)


def quoting(text: str) -> tuple[str, str] | None:
    """(the backend's bilingual text, the person's words) when `text` quotes a person in the
    backend's form (core.text.with_words), else None."""
    quoted = split_words(text)
    if quoted is None:
        return None
    system = quoted[0]
    if split(system) or all(split(piece.strip()) for piece in system.split(SEPARATOR)):
        return quoted
    return None


def pick_label(text: str, language: Language | None = None) -> str:
    """The server's name of a thing (a step, a target) for a cell or a title: picked, and in
    English with a capital first letter ("接单 (accept)" -> "Accept")."""
    language = current() if language is None else language
    picked = pick(text, language)
    return picked[:1].upper() + picked[1:] if language is Language.EN else picked


def pick_fields(model: M, names: frozenset[str] = frozenset({"text"}),
                language: Language | None = None) -> M:
    """A copy of a wire model whose string fields called `names` (at any depth: lists and
    nested models too) are picked. Only for answers whose such fields are the backend's own
    judgements (a review's evidence), never where a person's words share the name."""
    update: dict[str, object] = {}
    for name, value in model:
        if name in names and isinstance(value, str):
            update[name] = pick(value, language)
        elif isinstance(value, BaseModel):
            update[name] = pick_fields(value, names, language)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            update[name] = [pick_fields(v, names, language) if isinstance(v, BaseModel) else v
                            for v in value]
    return model.model_copy(update=update) if update else model


def _pick_one(text: str, language: Language) -> str:
    parts = split(text)
    if parts is None:
        return text
    chinese, english, ending = parts
    if language is Language.ZH:
        return chinese + ending
    prefix = PREFIX.match(chinese)
    if prefix and not english.startswith(prefix.group().rstrip()):
        english = prefix.group() + english
    return english + ending


# -- the person's choice ---------------------------------------------------------------------

LAST_KEY = "language/last"


def _person_key(username: str) -> str:
    return f"people/{username}/language"


def _read(settings: QSettings, key: str) -> Language | None:
    value = settings.value(key)
    return of_locale(value) if isinstance(value, str) else None


def chosen(settings: QSettings, username: str | None = None) -> Language:
    """The person's own choice, else LASTMILE_LOCALE (a desk can choose), else Chinese.

    Before sign-in (no username): LASTMILE_LOCALE, else the last choice made on this machine,
    else Chinese. LANG/LC_ALL do not count: a C or English system locale is no choice of the
    person's.
    """
    desk = of_locale(os.environ.get("LASTMILE_LOCALE", ""))
    if username:
        return _read(settings, _person_key(username)) or desk or DEFAULT
    return desk or _read(settings, LAST_KEY) or DEFAULT


def remember(settings: QSettings, username: str, language: Language) -> None:
    """Keep the person's choice (and make it the machine's choice before the next sign-in)."""
    settings.setValue(_person_key(username), Language(language).value)
    settings.setValue(LAST_KEY, Language(language).value)
    settings.sync()


def speak(app: QCoreApplication, language: Language) -> Language:
    """Make the console speak `language`: its catalogue and Qt's own (OK, Cancel) for Chinese,
    none for English; returns the language in effect (English if the catalogue is missing).

    Labels follow for widgets built afterwards (the workspace is built after sign-in); server
    text follows at once through pick().
    """
    for old in app.findChildren(QTranslator, TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.deleteLater()
    if Language(language) is Language.ZH:
        ours = QTranslator(app)
        ours.setObjectName(TRANSLATOR_NAME)
        if ours.load(str(CATALOGUE)):
            app.installTranslator(ours)
            qt = QTranslator(app)
            qt.setObjectName(TRANSLATOR_NAME)
            if qt.load("qtbase_zh_CN",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                app.installTranslator(qt)
            QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
            set_current(Language.ZH)
            return Language.ZH
        log.warning("could not load %s", CATALOGUE)
        ours.deleteLater()
    QLocale.setDefault(QLocale.system())
    set_current(Language.EN)
    return Language.EN
