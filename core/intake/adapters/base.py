"""The one small interface every platform adapter implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from core.intake.model import PlatformOrder, RawRecord, SignedRequest

if TYPE_CHECKING:  # freshness reads the Beijing zone from this package
    from core.intake.freshness import SignedTime


class Adapter(Protocol):
    """Turns one platform's payloads into platform orders.

    `records` cuts the envelope into records (raises PayloadRejected when the envelope itself is
    unusable: not JSON / CSV, wrong encoding, an error response); `parse` converts one record
    (raises PayloadRejected naming the field). `verify` checks a webhook's signature: true only
    when everything the backend takes from the request (`payload`, `signed_time`) is covered by
    it, and nothing unsigned could change what is taken.
    """

    name: str  # tmall, taobao, jd, suning, erp, own
    label: str  # shown to agents: 天猫服务工单, 淘宝交易, 京东, 苏宁, 品牌ERP, 自营商城
    content_types: tuple[str, ...]  # what it reads: ("application/json",) or with "text/csv"
    # Headers the signature covers: a request naming one of them twice is refused, since which
    # copy the signature saw and which one is read would be a guess.
    signed_headers: tuple[str, ...]

    def records(self, payload: bytes, content_type: str = "application/json") -> list[RawRecord]:
        ...

    def parse(self, record: RawRecord) -> PlatformOrder:
        ...

    def verify(self, request: SignedRequest, secret: str) -> bool:
        ...

    def signed_time(self, request: SignedRequest) -> SignedTime:
        """When a request was signed, read only from a field its signature covers."""
        ...

    def payload(self, request: SignedRequest) -> bytes:
        """Exactly the bytes the signature covers, to be ingested (of a verified request)."""
        ...
