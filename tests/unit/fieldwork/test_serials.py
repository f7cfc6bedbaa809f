"""The serial number rule: one text per serial (full width, case, separators), and what cannot
be a serial refused with a reason, Chinese first."""

from __future__ import annotations

import pytest

from core.fieldwork.serials import MAX_TYPED, BadSerial, check, normalize


@pytest.mark.parametrize(("typed", "serial"), [
    ("kfr-35gw/12345abc", "KFR35GW12345ABC"),
    ("ＫＦＲ３５ＧＷ　１２３４５", "KFR35GW12345"),  # full width, as a Chinese keyboard types
    (" SN 2026 000123 ", "SN2026000123"),
    ("ab.12_34·56", "AB123456"),
])
def test_the_forms_of_one_serial_are_one_text(typed: str, serial: str) -> None:
    assert normalize(typed) == serial
    assert check(typed) == serial


@pytest.mark.parametrize(("typed", "zh"), [
    ("", "为空"), (" - ", "为空"),
    ("12345", "长度应为 6 到 32 位，实际 5 位"),
    ("A1" * 17, "长度应为 6 到 32 位，实际 34 位"),
    ("序列号12345678", "只能包含字母和数字"), ("AB1234<script>", "只能包含字母和数字"),
    ("ABCDEFG1", "至少应含 2 位数字"), ("NONE-NA-NULL", "至少应含 2 位数字"),
    ("00000000", "看起来是随意填写的"), ("12121212", "看起来是随意填写的"),
    ("123456789", "看起来是随意填写的"), ("987654", "看起来是随意填写的"),
    ("X" * (MAX_TYPED + 1), "输入过长"),
])
def test_what_cannot_be_a_serial_is_refused_with_a_reason(typed: str, zh: str) -> None:
    with pytest.raises(BadSerial) as refused:
        check(typed)
    assert zh in refused.value.message
    assert refused.value.message.startswith("序列号无效：")
    assert refused.value.loc == ("body", "serial") and refused.value.status == 422


def test_real_nameplates_pass() -> None:
    for typed in ("0A1B2C3D4E5F", "GREE-KFR-35GW-(35592)FNhAa-B1".replace("(", "").replace(
            ")", ""), "Midea 2103 4567 8901", "E12345678901234567"):
        check(typed)
