"""Classify a visit: its service type from the platform's service tags, else the catalogue's.

Tags of a line come first (they are about that product), then the order's (a work card's service
type), then the catalogue: a made-to-measure product makes the visit a measurement, otherwise the
main (most valuable) line's default applies. Skills are the union of the lines' skills.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from core.intake.catalogue import CatalogueEntry, trade_label, trade_label_en
from core.intake.model import PlatformLine
from core.orders.lifecycle import ServiceType

SERVICE_LABELS: dict[ServiceType, str] = {
    ServiceType.INSTALL: "安装",
    ServiceType.REPAIR: "维修",
    ServiceType.MEASURE: "测量",
    ServiceType.RETURN_VISIT: "回访",
    ServiceType.AFTER_SALES: "售后",
}
SERVICE_LABELS_EN: dict[ServiceType, str] = {
    ServiceType.INSTALL: "installation",
    ServiceType.REPAIR: "repair",
    ServiceType.MEASURE: "measurement",
    ServiceType.RETURN_VISIT: "return visit",
    ServiceType.AFTER_SALES: "after-sales",
}

# Checked in this order, so a tag naming two things takes the more specific one:
# 安装回访 is a return visit, 售后维修 a repair, 送装 an installation.
_TAG_WORDS: tuple[tuple[ServiceType, tuple[str, ...]], ...] = (
    (ServiceType.RETURN_VISIT, ("回访", "return_visit", "return visit", "revisit",
                                "follow-up", "follow up", "followup")),
    (ServiceType.MEASURE, ("测量", "量尺", "量房", "勘测", "勘察", "measure", "measurement",
                           "survey")),
    (ServiceType.REPAIR, ("维修", "检修", "报修", "故障", "清洗", "保养", "repair", "fix",
                          "maintenance", "cleaning")),
    (ServiceType.INSTALL, ("安装", "送装", "装机", "移机", "install", "installation",
                           "setup", "assembly")),
    (ServiceType.AFTER_SALES, ("售后", "退换", "退货", "换货", "拆机", "after_sales",
                               "after-sales", "after sales", "aftersales", "return", "exchange",
                               "refund")),
)


@dataclass(frozen=True)
class Classification:
    service_type: ServiceType
    skills: tuple[str, ...]
    note: str  # why, for the timeline: pieces `中文 (English)` joined by "；"


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text)) + " "


# English keys match whole words only: "uninstall" is no installation, "prefix" no fix.
_MATCHERS = tuple(
    (kind, tuple(k for k in keys if not k.isascii()),
     tuple(_words(k) for k in keys if k.isascii()))
    for kind, keys in _TAG_WORDS
)


@lru_cache(maxsize=1024)
def service_type_of_tag(tag: str) -> ServiceType | None:
    """The service type a platform's service word means, or None when it means none."""
    text = unicodedata.normalize("NFKC", tag).strip().lower()
    words = _words(text)
    for kind, chinese, english in _MATCHERS:
        if any(key in text for key in chinese) or any(key in words for key in english):
            return kind
    return None


def _from_tags(tags: Iterable[str]) -> tuple[ServiceType, str] | None:
    for tag in tags:
        kind = service_type_of_tag(tag)
        if kind is not None:
            return kind, tag
    return None


def classify(items: tuple[tuple[PlatformLine, CatalogueEntry], ...],
             order_tags: tuple[str, ...] = ()) -> Classification:
    """Service type and skills of one visit (its lines with their catalogue entries)."""
    if not items:
        raise ValueError("a visit has at least one line")
    skills = tuple(sorted({skill for _, entry in items for skill in entry.skills}))
    tail = _skills_note(skills) + _inferred_note([entry for _, entry in items if entry.inferred])
    line_tags = [tag for line, _ in items for tag in line.service_tags]
    found = _from_tags(line_tags)
    source = ("商品行", "a line's")
    if found is None:
        found = _from_tags(order_tags)
        source = ("订单", "the order's")
    if found is not None:
        kind, tag = found
        why = (f"服务类型：{SERVICE_LABELS[kind]}（{source[0]}的平台服务标签「{tag}」） "
               f"(service type: {SERVICE_LABELS_EN[kind]}, from {source[1]} platform service "
               f"tag \"{tag}\")")
        return Classification(kind, skills, why + tail)
    measured = next((entry for _, entry in items if entry.service_type is ServiceType.MEASURE),
                    None)
    if measured is not None:
        why = (f"服务类型：测量（「{measured.name}」为定制商品，先上门测量，平台未给服务标签） "
               f"(service type: measurement: \"{measured.name}\" is made to measure, so a "
               f"visit measures first; the platform sent no service tag)")
        return Classification(ServiceType.MEASURE, skills, why + tail)
    main_line, main = max(items, key=lambda item: item[0].quantity * item[0].unit_price_fen)
    why = (f"服务类型：{SERVICE_LABELS[main.service_type]}（主商品「{main_line.name}」的目录默认，"
           f"平台未给服务标签） (service type: {SERVICE_LABELS_EN[main.service_type]}, the "
           f"catalogue's default for the main product \"{main_line.name}\"; the platform sent "
           f"no service tag)")
    return Classification(main.service_type, skills, why + tail)


def _skills_note(skills: tuple[str, ...]) -> str:
    names = "、".join(trade_label(skill) for skill in skills)
    english = ", ".join(trade_label_en(skill) for skill in skills)
    return f"；技能：{names or '无'} (skills: {english or 'none'})"


def _inferred_note(entries: list[CatalogueEntry]) -> str:
    """The catalogue's guesses, each as the catalogue told it (`中文 (English)`)."""
    return "".join(dict.fromkeys("；" + entry.note.replace("；", "，") for entry in entries))
