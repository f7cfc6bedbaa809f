"""The demo's region dispatch policies and the certificates its technicians hold.

Each scope shows one kind of rule, so a live demo has all of them at work: the default ladder
(central dispatch, then the grab pool, then a person), two partner points sharing Hangzhou 60/40,
Sichuan offering orders in the grab pool first, and Shanghai's installers needing a certificate
for work at height. Bodies are what core.dispatch.policy.parse_body accepts.

Each city's first county is its downtown (premium service, 30 minutes to accept: the shipped
SLA default); the outer counties give technicians 45 minutes, set as SLA limits of their own
(bodies as core.sla.limit_body reads them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

HEIGHT_WORK = "高空作业证"
ELECTRICIAN = "低压电工作业证"
GAS = "燃气具安装维修资格证"

# (certificate, skill it goes with or "*" for anyone, share of those technicians who hold it)
QUALIFICATIONS: tuple[tuple[str, str, float], ...] = (
    (HEIGHT_WORK, "aircon", 0.9),
    (HEIGHT_WORK, "*", 0.5),
    (ELECTRICIAN, "aircon", 0.5),
    (ELECTRICIAN, "water_heater", 0.5),
    (GAS, "kitchen", 0.6),
    (GAS, "water_heater", 0.4),
)

DEFAULT_SCOPE = ""
HANGZHOU, SICHUAN, SHANGHAI = "330100", "510000", "310100"
# The two Hangzhou points are partners covering the same city; 西湖 takes the larger share.
PARTNER_SHARES = {"hz-xihu": 60, "hz-xiaoshan": 40}

DEMO_POLICIES: dict[str, dict[str, Any]] = {
    DEFAULT_SCOPE: {
        "stages": [{"mode": "auto", "minutes": 5}, {"mode": "grab", "minutes": 30},
                   {"mode": "manual", "minutes": None}],
        "accept_minutes": 30,
        "max_refusals": 2,
        "grab_floor_fen": 3000,
    },
    HANGZHOU: {"point_shares": PARTNER_SHARES},
    # Loose capacity and many small jobs: technicians pick their own first.
    SICHUAN: {"stages": [{"mode": "grab", "minutes": 20}, {"mode": "manual", "minutes": None}]},
    SHANGHAI: {"required_qualifications": {"install": [HEIGHT_WORK]}},
}

OUTER_ACCEPT_MINUTES = 45


def downtown_counties(counties: Iterable[str]) -> set[str]:
    """Each city's downtown county among `counties`: the first (lowest adcode) of its city."""
    first: dict[str, str] = {}
    for adcode in sorted(counties):
        first.setdefault(adcode[:4], adcode)
    return set(first.values())


def county_limits(counties: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The SLA limits the demo sets per outer county: 45 minutes to accept, any service."""
    known = sorted(set(counties))
    downtown = downtown_counties(known)
    return {adcode: {"steps": {"accept": {"any": {"due": {"minutes": OUTER_ACCEPT_MINUTES}}}}}
            for adcode in known if adcode not in downtown}
