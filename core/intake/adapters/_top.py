"""Taobao Open Platform (TOP) conventions the Tmall and Taobao adapters share.

Signature: the TOP SDKs' `signTopRequest` (TaobaoUtils), described in "API调用方法详解 / 签名算法"
https://open.taobao.com/doc.htm?docId=101617&docType=1 (mirror:
https://api.1688.com/doc2/detail.htm?articleId=101617&docType=1&treeId=154): every parameter but
`sign`, with non-empty name and value, sorted by name and joined as name+value; a request that
carries a body (batch API, 奇门 / SPI pushes) appends the body text after the parameters; then
  md5:         MD5(secret + joined + secret)
  hmac:        HMAC-MD5(key=secret, joined)
  hmac-sha256: HMAC-SHA256(key=secret, joined)
as upper-case hex. Text is UTF-8.

A push here carries its business data as a JSON body, signed as its text. Form posts are
refused: TOP signs a form's fields as parameters (and drops the empty ones), so a JSON text
posted as a form would be signed as a field name with no value, i.e. not at all, and then read
as JSON. The signed time is the `timestamp` parameter (Beijing time), which every signature
covers; a push without one is not fresh (core.intake.freshness).

TMC messages (`topic` + `content`, the content a JSON string) come one at a time from a push
relay or as a page from `taobao.tmc.messages.consume`
(`{"tmc_messages_consume_response": {"messages": {"tmc_message": [...]}}}`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from core.intake.adapters import _payload
from core.intake.adapters._fields import SHANGHAI, decode, obj
from core.intake.errors import PayloadRejected
from core.intake.freshness import SignedTime, beijing_time
from core.intake.model import RawRecord, SignedRequest

SIGN_METHODS = ("md5", "hmac", "hmac-sha256")
FORM = "application/x-www-form-urlencoded"
TMC_CONSUME = "tmc_messages_consume_response"
DEMO_APP_KEY = "12345678"


def _body_text(body: bytes) -> str | None:
    """The body as the platform signed it: text in its charset (UTF-8, else GB18030)."""
    for charset in ("utf-8", "gb18030"):
        try:
            return body.decode(charset)
        except UnicodeDecodeError:
            continue
    return None


def sign(params: Mapping[str, str], body: str | None, secret: str, method: str = "md5") -> str:
    """TOP's signature over parameters (and the body text, when there is one)."""
    joined = "".join(f"{key}{value}" for key, value in sorted(params.items())
                     if key != "sign" and key and value)
    if body:
        joined += body
    if method == "md5":
        digest = hashlib.md5((secret + joined + secret).encode("utf-8")).digest()
    elif method == "hmac":
        digest = hmac.new(secret.encode("utf-8"), joined.encode("utf-8"), hashlib.md5).digest()
    elif method == "hmac-sha256":
        digest = hmac.new(secret.encode("utf-8"), joined.encode("utf-8"),
                          hashlib.sha256).digest()
    else:
        raise ValueError(f"unknown TOP sign_method {method!r}")
    return digest.hex().upper()


def verify(request: SignedRequest, secret: str) -> bool:
    """Whether a TOP push carries the signature of this app secret."""
    provided = request.query.get("sign", "")
    method = request.query.get("sign_method", "md5").lower() or "md5"
    if not provided or method not in SIGN_METHODS or not secret:
        return False
    if request.headers.get("content-type", "").strip().lower().startswith(FORM):
        return False  # its fields would be signed, its text read: two readings of one body
    body: str | None = _body_text(request.body) if request.body else None
    if request.body and body is None:
        return False
    expected = sign(request.query, body, secret, method)
    return hmac.compare_digest(expected.encode("ascii"),
                               provided.strip().upper().encode("utf-8", "replace"))


def signed_time(request: SignedRequest) -> SignedTime:
    """The `timestamp` parameter: every parameter but `sign` is signed."""
    return beijing_time(request.query.get("timestamp"))


def signed_request(body: bytes, secret: str, now: datetime, method: str,
                   extra: Mapping[str, str] | None = None) -> SignedRequest:
    """What a TOP push with this body looks like: system parameters in the query, signed."""
    query = {"app_key": DEMO_APP_KEY, "format": "json", "v": "2.0", "sign_method": method,
             "timestamp": beijing(now), **(extra or {})}
    text = _body_text(body) if body else None
    query["sign"] = sign(query, text, secret, method)
    return SignedRequest(query=query, headers={"content-type": "application/json;charset=utf-8"},
                         body=body)


def beijing(moment: datetime) -> str:
    """TOP's time format: 'yyyy-MM-dd HH:mm:ss' in GMT+8."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def yuan(fen: int) -> str:
    """Integer fen as TOP's yuan text ("200.07"), without float arithmetic."""
    sign_ = "-" if fen < 0 else ""
    return f"{sign_}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def refuse_error(data: Any) -> None:
    """A TOP error envelope is no order: refuse the whole payload, naming TOP's codes."""
    if isinstance(data, dict) and "error_response" in data:
        error = data["error_response"]
        if isinstance(error, dict):
            parts = [str(error.get(key, ""))[:80] for key in ("code", "msg", "sub_code",
                                                               "sub_msg")]
            detail = " ".join(part for part in parts if part)
        else:
            detail = str(error)[:80]
        raise PayloadRejected("error_response",
                              f"平台返回错误 (the platform answered with an error: {detail})")


def tmc_messages(data: dict[str, Any]) -> list[Any]:
    """The messages of a `taobao.tmc.messages.consume` page."""
    page = obj(data[TMC_CONSUME], TMC_CONSUME)
    messages = _payload.child(page, "messages", TMC_CONSUME, required=False)
    if messages is None:
        return []
    return _payload.items(messages, "tmc_message", f"{TMC_CONSUME}.messages",
                          limit=_payload.MAX_RECORDS)


def message_content(message: dict[str, Any]) -> dict[str, Any]:
    """A TMC message's content: a JSON string holding an object."""
    return _payload.node(message, "content")


def top_level(data: Any) -> list[tuple[str, Any]]:
    """A payload's top-level values, each with its path: one object, or a JSON list of them."""
    if isinstance(data, list):
        if len(data) > _payload.MAX_RECORDS:
            raise PayloadRejected("", f"记录过多 ({len(data)} records, more than "
                                      f"{_payload.MAX_RECORDS})")
        return [(f"[{index}]", value) for index, value in enumerate(data)]
    return [("", data)]


def cut_records(payload: bytes, cut: Callable[[Any, str], list[tuple[str, Any]]],
                key: Callable[[Any], str]) -> list[RawRecord]:
    """The records of a TOP response or TMC page: error responses refused, envelopes opened,
    each record cut out by the adapter's `cut` and named by its `key`."""
    data = _payload.load(decode(payload))
    refuse_error(data)
    found = [hit for path, value in top_level(data) for hit in cut(value, path)]
    if len(found) > _payload.MAX_RECORDS:
        raise PayloadRejected("", f"记录过多 ({len(found)} records, more than "
                                  f"{_payload.MAX_RECORDS})")
    return [RawRecord(index, _payload.record_text(value, path), value, key=key(value))
            for index, (path, value) in enumerate(found)]
