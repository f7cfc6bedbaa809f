"""The completion code: a number the customer holds and reads out to the technician when the
work is done, so a completion cannot be claimed from afar.

A code is drawn from the operating system's secure source (`secrets`): 4 digits by default (read
out over the counter), 10 where a client asks. It is valid for 24 h by default after the later
of its issue and the appointment's end, and takes a few wrong tries before it locks (a person
then issues a new one, which voids the old). The code itself is never stored: only
HMAC-SHA256 under a server key kept outside the database, over a random salt, the order and the
code; a check compares in constant time. The SMS that carries it waits in the outbox with the
code sealed under the same key (`seal`), so neither the database nor the API gives it away.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum

from core.errors import Conflict, Gone, Invalid, NotFound

DIGIT_CHOICES = (4, 10)
MAX_DIGITS = max(DIGIT_CHOICES)
SALT_BYTES = 16
KEY_BYTES = 32  # the least key material a server key may have
MAX_VALID_HOURS = 7 * 24
MAX_ATTEMPTS_LIMIT = 10
CODE_LOC: tuple[str, ...] = ("body", "code")
_HASH_LABEL = b"lastmile/verification-code/v1\x00"
_SEAL_LABEL = b"lastmile/sms-seal/v1\x00"
_CHINA = timezone(timedelta(hours=8))  # the customer's clock (no daylight saving)


@dataclass(frozen=True)
class CodePolicy:
    """A client's codes: how many digits, how long they stay valid, how many wrong tries."""

    digits: int = 4
    valid_for: timedelta = timedelta(hours=24)
    max_attempts: int = 5

    def __post_init__(self) -> None:
        if self.digits not in DIGIT_CHOICES:
            raise ValueError(f"digits must be one of {DIGIT_CHOICES}, not {self.digits}")
        if not timedelta(hours=1) <= self.valid_for <= timedelta(hours=MAX_VALID_HOURS):
            raise ValueError(f"valid_for must be 1 to {MAX_VALID_HOURS} hours")
        if not 1 <= self.max_attempts <= MAX_ATTEMPTS_LIMIT:
            raise ValueError(f"max_attempts must be 1 to {MAX_ATTEMPTS_LIMIT}")


class CodeState(StrEnum):
    ISSUED = "issued"  # waiting for the customer to read it out
    USED = "used"  # the technician submitted it: the completion is verified
    EXPIRED = "expired"
    LOCKED = "locked"  # too many wrong tries
    VOIDED = "voided"  # replaced by a newer code


@dataclass(frozen=True)
class NewCode:
    """A code just drawn: the code (sent once, by SMS), its salt and its hash (stored)."""

    code: str = field(repr=False)
    salt: bytes
    digest: bytes

    @property
    def digits(self) -> int:
        return len(self.code)


def draw(digits: int) -> str:
    """A uniformly random code of `digits` digits from the secure source (leading zeros kept)."""
    if digits not in DIGIT_CHOICES:
        raise ValueError(f"digits must be one of {DIGIT_CHOICES}, not {digits}")
    return f"{secrets.randbelow(10 ** digits):0{digits}d}"


def digest(key: bytes, salt: bytes, order_id: int, code: str) -> bytes:
    """What is stored for a code: HMAC-SHA256 under the server key of salt, order and code.

    Without the key a stolen database cannot be searched through the few thousand codes."""
    if len(key) < KEY_BYTES:
        raise ValueError(f"the code key must have at least {KEY_BYTES} bytes")
    message = _HASH_LABEL + salt + order_id.to_bytes(8, "big", signed=True) + code.encode()
    return hmac.new(key, message, hashlib.sha256).digest()


def new_code(key: bytes, order_id: int, digits: int) -> NewCode:
    code = draw(digits)
    salt = secrets.token_bytes(SALT_BYTES)
    return NewCode(code, salt, digest(key, salt, order_id, code))


def matches(key: bytes, salt: bytes, order_id: int, submitted: str, stored: bytes) -> bool:
    """Whether the submitted code is the stored one, in time independent of where they differ."""
    return hmac.compare_digest(digest(key, salt, order_id, submitted), stored)


def _pad(key: bytes, nonce: bytes, digits: int) -> int:
    stream = hmac.new(key, _SEAL_LABEL + nonce, hashlib.sha256).digest()
    return int.from_bytes(stream, "big") % 10 ** digits  # 256 bits: the bias is nil


def seal(key: bytes, code: str) -> str:
    """The code enciphered for the outbox: "nonce.digits", a one-time pad keyed by HMAC."""
    nonce = secrets.token_bytes(12)
    n = len(code)
    return f"{nonce.hex()}.{(int(code) + _pad(key, nonce, n)) % 10 ** n:0{n}d}"


def unseal(key: bytes, sealed: str) -> str:
    nonce_hex, _, cipher = sealed.partition(".")
    n = len(cipher)
    return f"{(int(cipher) - _pad(key, bytes.fromhex(nonce_hex), n)) % 10 ** n:0{n}d}"


def valid_until(policy: CodePolicy, issued_at: datetime,
                appointment_end: datetime | None = None) -> datetime:
    """When a code stops being accepted: `valid_for` after the later of issue and visit."""
    start = issued_at if appointment_end is None else max(issued_at, appointment_end)
    return start + policy.valid_for


def state_of(*, voided: bool, used: bool, locked: bool, expires_at: datetime,
             now: datetime) -> CodeState:
    """A code's state now: voided, used and locked are facts; expiry is read off the clock."""
    if voided:
        return CodeState.VOIDED
    if used:
        return CodeState.USED
    if locked:
        return CodeState.LOCKED
    if now >= expires_at:
        return CodeState.EXPIRED
    return CodeState.ISSUED


def locks_after(attempts: int, max_attempts: int) -> bool:
    """Whether a code that has had `attempts` wrong tries is locked."""
    return attempts >= max_attempts


def sms_text(expires_at: datetime) -> str:
    """The customer's SMS, with `{code}` where the code goes when it is sent."""
    until = expires_at.astimezone(_CHINA).strftime("%m月%d日%H:%M")
    return ("【Lastmile】您的上门服务完工核销码为 {code}，" + f"{until}前有效。"
            "请在师傅完工后当面告知，切勿提前透露。")


def with_code(text: str, code: str) -> str:
    return text.replace("{code}", code)


class NoCode(NotFound):
    def __init__(self, order_id: int) -> None:
        super().__init__(f"工单 {order_id} 还没有核销码 (order {order_id} has no verification "
                         "code yet)")


class CodeExpired(Gone):
    def __init__(self) -> None:
        super().__init__("核销码已过期，请联系客服重新发码 (the verification code has expired; "
                         "ask the desk to issue a new one)")


class CodeLocked(Conflict):
    def __init__(self) -> None:
        super().__init__("核销码错误次数过多已锁定，请联系客服重新发码 (too many wrong codes: "
                         "the code is locked; ask the desk to issue a new one)")


class CodeUsed(Conflict):
    def __init__(self) -> None:
        super().__init__("核销码已使用，工单已核销 (the verification code was already used)")


class WrongLength(Invalid):
    """A code of the wrong length: refused without counting a try (a slip, not a guess)."""

    def __init__(self, digits: int) -> None:
        super().__init__(f"核销码应为 {digits} 位数字 (the code has {digits} digits)",
                         loc=CODE_LOC)


class WrongCode(Invalid):
    def __init__(self, attempts_left: int) -> None:
        super().__init__(f"核销码不正确，还可尝试 {attempts_left} 次 (wrong code; "
                         f"{attempts_left} tries left)", loc=CODE_LOC)
        self.attempts_left = attempts_left


def refuse_unless_issued(state: CodeState) -> None:
    """The refusal for a submission to a code that no longer takes one."""
    if state is CodeState.USED:
        raise CodeUsed()
    if state is CodeState.LOCKED:
        raise CodeLocked()
    if state is CodeState.EXPIRED:
        raise CodeExpired()
