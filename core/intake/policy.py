"""Per-client rules for the conversion centre: audit mode, coverage strategy, merge window.

Storage keeps one ClientPolicy per client (selected by the platform order's shop) and the
covered counties with their standards; the centre only reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, Protocol

from core.intake.model import ConvertedOrder
from core.text import both

AuditMode = Literal["auto_pass", "manual"]
CoverageMode = Literal["accept_all", "covered_only"]
AUDIT_MODES: tuple[AuditMode, ...] = ("auto_pass", "manual")
COVERAGE_MODES: tuple[CoverageMode, ...] = ("accept_all", "covered_only")


@dataclass(frozen=True)
class ClientPolicy:
    """How one client wants its orders taken in.

    audit_mode "manual" sends every order to review; "auto_pass" only those scoring at least
    review_threshold. coverage_mode "covered_only" refuses orders outside covered counties;
    "accept_all" takes them and reports the county as a coverage gap.
    """

    code: str = "default"
    name: str = "默认客户"
    audit_mode: AuditMode = "auto_pass"
    coverage_mode: CoverageMode = "accept_all"
    merge_window: timedelta = timedelta(minutes=30)
    review_threshold: int = 40

    def __post_init__(self) -> None:
        if self.audit_mode not in AUDIT_MODES:
            raise ValueError(f"audit_mode must be one of {AUDIT_MODES}, not {self.audit_mode!r}")
        if self.coverage_mode not in COVERAGE_MODES:
            raise ValueError(
                f"coverage_mode must be one of {COVERAGE_MODES}, not {self.coverage_mode!r}")
        if self.merge_window < timedelta(0):
            raise ValueError("merge_window must not be negative")
        if not 0 <= self.review_threshold <= 100:
            raise ValueError("review_threshold must be within 0..100")


class Coverage(Protocol):
    """Which counties the service network covers (storage implements it over service_regions)."""

    def covers(self, adcode: str) -> bool:
        ...


@dataclass(frozen=True)
class CoveredCounties:
    """A Coverage over a fixed set of county adcodes (tests, the CLI, small deployments)."""

    adcodes: frozenset[str]

    @classmethod
    def of(cls, adcodes: Iterable[str]) -> CoveredCounties:
        return cls(frozenset(adcodes))

    def covers(self, adcode: str) -> bool:
        return adcode in self.adcodes


def coverage_refusal(policy: ClientPolicy, order: ConvertedOrder) -> str | None:
    """The reason to refuse an order under the client's coverage strategy, or None to take it.

    Only a placed order known to be outside the network is refused; an unplaced one (covered is
    None) is taken, flagged by the audit, and placed by hand.
    """
    if policy.coverage_mode != "covered_only" or order.covered is not False:
        return None
    place = order.placement
    where = f"{place.city}{place.county or place.adcode or ''}"
    return both(f"{where or '该地址'}（{place.adcode}）不在服务网络覆盖范围内，"
                f"客户「{policy.name}」只接覆盖区域的订单",
                f"the county {where or 'of the address'} ({place.adcode}) is outside the "
                f"service network: client \"{policy.name}\" takes orders in covered regions "
                "only")
