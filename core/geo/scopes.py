"""Region scopes and inheritance: what a setting set at the default scope (''), a province, a
city or a county means for one county.

A county inherits from its city, province and the default; each field comes from the nearest
scope that sets it. Dispatch policies (core.dispatch.policy) and SLA time limits
(core.sla.limits) both inherit this way, through `scope_chain` and `nearest_wins`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from core.errors import Invalid

DEFAULT_SCOPE = ""
Link = TypeVar("Link", bound=Hashable)


def scope_chain(county_adcode: str) -> list[str]:
    """The scopes a county inherits from, nearest first: county, city, province, default."""
    code = (county_adcode or "").strip()
    if len(code) != 6 or not code.isdigit():
        return [DEFAULT_SCOPE]
    chain = [code, code[:4] + "00", code[:2] + "0000", DEFAULT_SCOPE]
    return list(dict.fromkeys(chain))  # a city or province code is its own first link


def scope_level(scope: str) -> str:
    """default | province | city | county, read from the adcode's shape."""
    if scope == DEFAULT_SCOPE:
        return "default"
    if scope.endswith("0000"):
        return "province"
    return "city" if scope.endswith("00") else "county"


def nearest_wins(chain: Sequence[Link], bodies: Mapping[Link, Mapping[str, Any]],
                 read: Callable[[str, Any], Any]) -> tuple[dict[str, Any], dict[str, Link]]:
    """Per field, the value of the nearest link of `chain` that sets it, and that link.

    `read(name, raw)` checks one stored field. Bodies are checked on write; an old setting that
    no longer reads (Invalid) is passed over, so the next link's value counts and the link's
    other settings still do.
    """
    values: dict[str, Any] = {}
    sources: dict[str, Link] = {}
    for link in chain:
        for name, raw in (bodies.get(link) or {}).items():
            if name in values:
                continue
            try:
                values[name] = read(name, raw)
            except Invalid:
                continue
            sources[name] = link
    return values, sources
