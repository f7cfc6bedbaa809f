"""How the tour reports texts in the wrong language (console.tour_text.report): one file per
check in the tour's folder, the check's exit code when it lists anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.language import Language
from console.tour_text import (
    CHINESE_IN_ENGLISH,
    CHINESE_IN_ENGLISH_EXIT,
    CHINESE_REPORT,
    ENGLISH_IN_CHINESE,
    ENGLISH_IN_CHINESE_EXIT,
    ENGLISH_REPORT,
    check_for,
    report,
)


@pytest.mark.parametrize(("language", "file", "code"), [
    (Language.ZH, ENGLISH_REPORT, ENGLISH_IN_CHINESE_EXIT),
    (Language.EN, CHINESE_REPORT, CHINESE_IN_ENGLISH_EXIT),
])
def test_findings_go_to_the_languages_file_and_give_its_exit_code(
    tmp_path: Path, language: Language, file: str, code: int
) -> None:
    line = "agent.png\tQPushButton\tx\tx"

    result = report(tmp_path, check_for(language), [line])

    assert result == code
    assert (tmp_path / file).read_text(encoding="utf-8") == f"{line}\n"


def test_no_finding_leaves_an_empty_file_and_removes_the_other_checks(tmp_path: Path) -> None:
    (tmp_path / ENGLISH_IN_CHINESE.report).write_text("an older Chinese run's\n")

    result = report(tmp_path, CHINESE_IN_ENGLISH, [])

    assert result == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [CHINESE_REPORT]
    assert (tmp_path / CHINESE_REPORT).read_text(encoding="utf-8") == ""
