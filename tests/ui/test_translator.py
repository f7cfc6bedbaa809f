"""The zh_CN catalogue loads for a Chinese locale and translates the console's words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from console.app import install_translator
from ui import labels
from ui.formatting import duration


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()


def test_chinese_locale_installs_the_catalogue(app: QApplication) -> None:
    assert install_translator(app, "zh_CN")
    assert QCoreApplication.translate("Labels", "Dispatching") == "待派单"
    assert labels.state_labels()["checked_in"] == "已上门"
    assert duration(12 * 60) == "12 分钟"
    assert QCoreApplication.translate("Workspace", "Dispatch desk") == "调度工作台"


def test_locale_comes_from_the_environment(
    app: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LASTMILE_LOCALE", "zh_CN.UTF-8")
    assert install_translator(app)
    assert QCoreApplication.translate("ConnectionIndicator", "Offline") == "离线"


def test_other_locales_stay_english(app: QApplication) -> None:
    assert not install_translator(app, "en_GB")
    assert QCoreApplication.translate("Labels", "Dispatching") == "Dispatching"
