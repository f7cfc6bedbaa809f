"""Every text the backend wrote for people in the simulated world reads whole in each language
(issue 13 item 3): the system's timeline reasons, the intake's results and the urges are
`中文 (English)`, or that followed by a person's quoted words (core.text.with_words), with no
English sentence in the Chinese part, so the console's pick shows one language and loses no
words. A person's own entries are not checked:
they stay as typed."""

from __future__ import annotations

import re
from collections import Counter

from simulated_world import Simulated
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.language import Language, pick
from console.tour_text import english_sentence
from core.storage.sla.urges import SlaUrgeRecord
from core.storage.tables import IntakeMessageRecord, OrderEventRecord
from core.text import bilingual, split_words

# Lower-case English in parentheses with no Chinese in them ("(evidence complete)"); product
# codes are capitals ("(KT-STOVE)").
GLOSS = re.compile(r"\([^()\u3400-\u9fff]*[a-z]{2,}[^()\u3400-\u9fff]*\)")


def _whole_in_each_language(text: str) -> bool:
    """Bilingual (words quoted after it aside), and its Chinese part holds neither an English
    sentence nor an English gloss in parentheses (one bilingual text nested in another would
    leave its English in the Chinese)."""
    quoted = split_words(text)
    system = quoted[0] if quoted else text
    if bilingual(system) is None:
        return False
    chinese = pick(system, Language.ZH)
    return english_sentence(chinese) is None and GLOSS.search(chinese) is None


def _not_bilingual(texts: list[tuple[str, str]]) -> Counter[str]:
    """The texts that are not, by kind, with one example each (for the failure's message)."""
    found: Counter[str] = Counter()
    for kind, text in texts:
        if text and not _whole_in_each_language(text):
            found[f"{kind}: {text[:120]}"] += 1
    return found


def test_the_systems_timeline_reasons_read_in_each_language(simulated: Simulated) -> None:
    with Session(simulated.engine) as session:
        rows = session.execute(select(OrderEventRecord.kind, OrderEventRecord.reason)
                               .where(OrderEventRecord.actor_role == "system")).all()
    assert len(rows) > 300  # the world's two days: intake, dispatch, SLA, review periods
    assert {kind for kind, _ in rows} >= {"created", "audit", "place", "classify", "assign"}
    assert _not_bilingual([(kind, reason) for kind, reason in rows]) == Counter()


def test_intake_results_and_urges_read_in_each_language(simulated: Simulated) -> None:
    with Session(simulated.engine) as session:
        results = session.execute(select(IntakeMessageRecord.outcome,
                                         IntakeMessageRecord.reason)).all()
        urges = session.scalars(select(SlaUrgeRecord.text)).all()
    assert results and urges
    texts = [(f"intake {outcome}", reason) for outcome, reason in results]
    texts += [("urge", text) for text in urges]
    assert _not_bilingual(texts) == Counter()
