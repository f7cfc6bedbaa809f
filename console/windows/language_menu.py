"""Session > Language: the person chooses Chinese or English; kept per person (QSettings).

The choice applies the next time the console starts (console.app speaks the person's language
once they sign in, before the workspace is built): the workspace's labels are set when it is
built, and half a window in one language and half in another would be worse than waiting.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMenuBar

from console.language import Language, chosen, current, remember
from console.presenters.messages import MessageRoute

translate = QCoreApplication.translate

# Each language named in itself, never translated: a person who cannot read the console's
# current language still finds their own.
NAMES = {Language.ZH: "中文", Language.EN: "English"}


class LanguageMenu(QObject):
    """The Language submenu of the Session menu (before Sign out)."""

    def __init__(self, menu_bar: QMenuBar, username: str,
                 settings_factory: Callable[[], QSettings], route: MessageRoute,
                 before: QAction | None = None) -> None:
        super().__init__(menu_bar)
        self._username = username
        self._settings = settings_factory
        self._route = route
        session = _menu_of(before) if before is not None else None
        self.menu = QMenu(translate("LanguageMenu", "&Language"), session or menu_bar)
        self.menu.setObjectName("languageMenu")
        if session is not None and before is not None:
            session.insertMenu(before, self.menu)
            session.insertSeparator(before)
        else:
            menu_bar.addMenu(self.menu)
        group = QActionGroup(self.menu)
        group.setExclusive(True)
        own = chosen(settings_factory(), username)
        self.actions: dict[Language, QAction] = {}
        for language, name in NAMES.items():
            action = self.menu.addAction(name)
            action.setObjectName(f"language_{language.value}")
            action.setCheckable(True)
            action.setChecked(language is own)
            action.setActionGroup(group)
            action.triggered.connect(lambda _=False, lang=language: self.choose(lang))
            self.actions[language] = action

    def choose(self, language: Language) -> None:
        """Remember the person's language; say when it takes effect."""
        remember(self._settings(), self._username, language)
        self.actions[language].setChecked(True)
        if language is current():
            self._route.info(translate("LanguageMenu", "The console speaks {0}.").format(
                NAMES[language]))
        else:
            self._route.info(translate(
                "LanguageMenu", "The console will speak {0} the next time you start it."
            ).format(NAMES[language]))


def _menu_of(action: QAction) -> QMenu | None:
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu):
            return owner
    return None
