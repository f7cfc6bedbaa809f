"""What the Chinese tour found on 2026-12-07 (`lastmile demo --tour`, english-in-chinese.txt):
the urge round's text in the queue's "needs a person" column kept an English sentence in
Chinese, because the backend nested the bilingual deadline reason inside the bilingual urge
text. It now builds the urge as one `中文 (English)`: each language whole in its part.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from console.language import Language, pick
from console.tour_text import english_sentence
from core.services.sla.urging import _alert_text
from core.sla.limit_types import Level, Step


def test_a_breach_urge_holds_one_language_in_each_part() -> None:
    row: Any = SimpleNamespace(step=Step.ACCEPT.value, level=Level.SEVERE.value,
                               due=datetime(2026, 12, 7, 11, 35, tzinfo=UTC))
    text = _alert_text(row, timedelta(0), None)

    chinese, english = pick(text, Language.ZH), pick(text, Language.EN)
    assert english_sentence(chinese) is None
    assert chinese.startswith("催单（不催）：已超时，请主管介入。接单严重：剩余 0 秒")
    assert chinese.endswith("截止 12-07 19:35")  # the deadline in Beijing time
    assert not any("\u4e00" <= c <= "\u9fff" for c in english), english
