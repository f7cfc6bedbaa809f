"""The one small interface every platform adapter implements."""

from __future__ import annotations

from typing import Protocol

from core.intake.model import PlatformOrder, RawRecord, SignedRequest


class Adapter(Protocol):
    """Turns one platform's payloads into platform orders.

    `records` cuts the envelope into records (raises PayloadRejected when the envelope itself is
    unusable: not JSON / CSV, wrong encoding, an error response); `parse` converts one record
    (raises PayloadRejected naming the field). `verify` checks a webhook's signature.
    """

    name: str  # tmall, taobao, jd, suning, erp, own
    label: str  # shown to agents: 天猫服务工单, 淘宝交易, 京东, 苏宁, 品牌ERP, 自营商城
    content_types: tuple[str, ...]  # what it reads: ("application/json",) or with "text/csv"

    def records(self, payload: bytes, content_type: str = "application/json") -> list[RawRecord]:
        ...

    def parse(self, record: RawRecord) -> PlatformOrder:
        ...

    def verify(self, request: SignedRequest, secret: str) -> bool:
        ...
