"""The completion code's rule (core.fieldwork.codes) and the SMS provider's pieces: drawn from
the secure source, stored only as a keyed hash, compared in constant time, sealed for the
outbox, valid until its time, locked after its tries."""

from __future__ import annotations

import hmac
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.errors import Conflict, Gone
from core.fieldwork import codes
from core.fieldwork.codes import CodePolicy, CodeState
from core.services.fieldwork.sms import SimulatedSms, SmsRejected, SmsUnavailable, retry_delay
from core.storage.fieldwork.codes import KEY_ENV, code_key

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("digits", [4, 10])
def test_a_code_has_the_policys_digits_and_nothing_else(digits: int) -> None:
    for _ in range(50):
        code = codes.draw(digits)
        assert len(code) == digits and code.isascii() and code.isdigit()


def test_a_code_comes_from_the_secure_source_and_keeps_its_leading_zeros(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    def randbelow(n: int) -> int:
        asked.append(n)
        return 7

    monkeypatch.setattr(codes.secrets, "randbelow", randbelow)
    assert codes.draw(4) == "0007"
    assert codes.draw(10) == "0000000007"
    assert asked == [10 ** 4, 10 ** 10]  # one draw over the whole range: uniform


def test_codes_spread_over_their_range() -> None:
    drawn = [codes.draw(4) for _ in range(1000)]
    # 1000 uniform draws from 10,000 give about 952 distinct codes (sd about 7).
    assert len(set(drawn)) > 900
    assert {c[0] for c in drawn} == set("0123456789")


@pytest.mark.parametrize("digits", [0, 3, 6, 11])
def test_only_four_or_ten_digits(digits: int) -> None:
    with pytest.raises(ValueError):
        codes.draw(digits)
    with pytest.raises(ValueError):
        CodePolicy(digits=digits)


@pytest.mark.parametrize("policy", [
    {"valid_for": timedelta(minutes=59)}, {"valid_for": timedelta(days=8)},
    {"max_attempts": 0}, {"max_attempts": 11},
])
def test_a_policy_keeps_within_bounds(policy: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        CodePolicy(**policy)  # type: ignore[arg-type]


def test_the_default_policy_is_four_digits_a_day_and_five_tries() -> None:
    assert CodePolicy() == CodePolicy(4, timedelta(hours=24), 5)


def test_the_stored_hash_is_neither_the_code_nor_found_without_the_key() -> None:
    new = codes.new_code(KEY, 41, 4)
    assert len(new.digest) == 32 and len(new.salt) == codes.SALT_BYTES
    assert new.code.encode() not in new.digest and new.digest != new.code.encode()
    assert new.code not in repr(new)
    assert codes.matches(KEY, new.salt, 41, new.code, new.digest)
    # The same code under another key, salt or order hashes to something else.
    assert codes.digest(OTHER_KEY, new.salt, 41, new.code) != new.digest
    assert codes.digest(KEY, b"\x00" * 16, 41, new.code) != new.digest
    assert codes.digest(KEY, new.salt, 42, new.code) != new.digest


def test_two_codes_alike_are_stored_differently() -> None:
    first, second = codes.new_code(KEY, 1, 10), codes.new_code(KEY, 1, 10)
    assert first.salt != second.salt
    assert codes.digest(KEY, first.salt, 1, "1234") != codes.digest(KEY, second.salt, 1, "1234")


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError):
        codes.digest(b"short", b"s" * 16, 1, "1234")


def test_a_check_compares_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    new = codes.new_code(KEY, 7, 4)
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(codes.hmac, "compare_digest", spy)
    wrong = f"{(int(new.code) + 1) % 10_000:04d}"
    assert codes.matches(KEY, new.salt, 7, new.code, new.digest)
    assert not codes.matches(KEY, new.salt, 7, wrong, new.digest)
    assert len(compared) == 2 and all(stored == new.digest for _, stored in compared)


def test_a_sealed_code_opens_only_with_its_key() -> None:
    code = "0123456789"
    sealed = codes.seal(KEY, code)
    assert codes.unseal(KEY, sealed) == code
    assert codes.unseal(OTHER_KEY, sealed) != code
    assert codes.seal(KEY, code).split(".")[1] != sealed.split(".")[1]  # a new pad each time


def test_a_sealed_short_code_keeps_its_leading_zeros() -> None:
    for code in ("0000", "0042", "9999"):
        assert codes.unseal(KEY, codes.seal(KEY, code)) == code


def test_a_code_is_valid_a_day_after_issue_or_after_a_later_visit() -> None:
    policy = CodePolicy()
    assert codes.valid_until(policy, AT) == AT + timedelta(hours=24)
    visit_end = AT + timedelta(days=2)
    assert codes.valid_until(policy, AT, visit_end) == visit_end + timedelta(hours=24)
    assert codes.valid_until(policy, AT, AT - timedelta(hours=3)) == AT + timedelta(hours=24)


@pytest.mark.parametrize(("facts", "now", "state"), [
    ({}, AT, CodeState.ISSUED),
    ({}, AT + timedelta(hours=24) - timedelta(seconds=1), CodeState.ISSUED),
    ({}, AT + timedelta(hours=24), CodeState.EXPIRED),
    ({"locked": True}, AT, CodeState.LOCKED),
    ({"used": True}, AT + timedelta(days=3), CodeState.USED),
    ({"voided": True, "used": True}, AT, CodeState.VOIDED),
    ({"locked": True}, AT + timedelta(days=3), CodeState.LOCKED),
])
def test_a_codes_state(facts: dict[str, bool], now: datetime, state: CodeState) -> None:
    known = {"voided": False, "used": False, "locked": False} | facts
    assert codes.state_of(**known, expires_at=AT + timedelta(hours=24), now=now) is state


@pytest.mark.parametrize(("attempts", "locked"), [(0, False), (4, False), (5, True), (6, True)])
def test_a_code_locks_at_its_tries(attempts: int, locked: bool) -> None:
    assert codes.locks_after(attempts, 5) is locked


@pytest.mark.parametrize(("state", "refusal", "status"), [
    (CodeState.USED, codes.CodeUsed, 409), (CodeState.LOCKED, codes.CodeLocked, 409),
    (CodeState.EXPIRED, codes.CodeExpired, 410),
])
def test_a_code_past_taking_submissions_is_refused(
        state: CodeState, refusal: type[Exception], status: int) -> None:
    with pytest.raises(refusal) as caught:
        codes.refuse_unless_issued(state)
    assert isinstance(caught.value, Conflict | Gone) and caught.value.status == status
    codes.refuse_unless_issued(CodeState.ISSUED)


def test_the_sms_names_its_end_in_china_time_and_carries_no_code_until_sent() -> None:
    text = codes.sms_text(datetime(2026, 3, 2, 16, 30, tzinfo=UTC))
    assert "{code}" in text and "03月03日00:30" in text
    assert codes.with_code(text, "0042").count("0042") == 1 and "{code}" not in \
        codes.with_code(text, "0042")


def test_wrong_tries_and_lengths_name_the_code_field() -> None:
    assert codes.WrongCode(3).loc == ("body", "code") and "3" in codes.WrongCode(3).message
    assert codes.WrongLength(4).status == 422 and "4" in codes.WrongLength(4).message


@pytest.mark.parametrize(("tries", "delay"), [
    (1, timedelta(seconds=30)), (2, timedelta(seconds=60)), (3, timedelta(minutes=2)),
    (7, timedelta(minutes=30)), (40, timedelta(minutes=30)),
])
def test_retries_wait_longer_each_time_up_to_half_an_hour(tries: int, delay: timedelta) -> None:
    assert retry_delay(tries) == delay


def test_the_simulated_provider_keeps_what_it_sent_and_can_be_down() -> None:
    sms = SimulatedSms()
    first = sms.send("13800000001", "hello")
    sms.down = True
    with pytest.raises(SmsUnavailable):
        sms.send("13800000001", "again")
    sms.down = False
    sms.refused_numbers.add("1")
    with pytest.raises(SmsRejected):
        sms.send("1", "nobody")
    assert [(s.message_id, s.text) for s in sms.to("13800000001")] == [(first, "hello")]


def test_the_code_key_is_made_once_outside_the_database_and_kept_private(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LASTMILE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(KEY_ENV, raising=False)

    key = code_key()

    path = tmp_path / "code.key"
    assert len(key) >= codes.KEY_BYTES and path.read_bytes().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["code.key"]  # no draft left behind
    assert code_key() == key


def test_the_code_key_from_the_environment_wins_and_must_be_long(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "x" * 40)
    assert code_key() == b"x" * 40
    monkeypatch.setenv(KEY_ENV, "too short")
    with pytest.raises(RuntimeError):
        code_key()
