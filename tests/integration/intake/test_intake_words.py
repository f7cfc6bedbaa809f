"""What intake writes for people is `中文 (English)`: the console shows either part whole."""

from __future__ import annotations

from fastapi.testclient import TestClient
from intake_support import Login, Post, own_order

from console.language import Language, pick, split


def test_the_classification_note_on_the_timeline_has_an_english_part(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    (outcome,) = post_own(own_order("WORDS1")).json()["outcomes"]
    order_id = outcome["order_ids"][0]

    timeline = api.get(f"/v1/orders/{order_id}", headers=auth("agent")).json()["timeline"]

    classify = next(e for e in timeline if e["kind"] == "classify")
    english = pick(classify["reason"], Language.EN)
    assert english.startswith("classified by the catalogue; service type: ")
    assert "skills: " in english
    assert not any(0x4E00 <= ord(ch) <= 0x9FFF for ch in english.split('"')[0])
    received = next(e for e in timeline if e["kind"] == "created")
    assert split(received["reason"].split("；")[0]) is not None


def test_an_intake_refusal_has_an_english_part(post_own: Post) -> None:
    (outcome,) = post_own(own_order("NOSUCH", intent="cancel")).json()["outcomes"]

    assert outcome["outcome"] == "refused"
    assert pick(outcome["reason"], Language.EN) == (
        "no service order comes from own order NOSUCH: cannot cancel")
    assert pick(outcome["reason"], Language.ZH).startswith("未找到")
