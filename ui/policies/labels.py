"""Display texts for region dispatch policies: settings, modes, escalation reasons, goals."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate

# The wire names of a policy's settings, in the order the editor shows them.
FIELDS = ("stages", "point_shares", "point_capacity", "required_skills",
          "required_qualifications", "accept_minutes", "max_refusals", "max_distance_km",
          "grab_floor_fen", "escalate", "weights")
ESCALATE = ("urgent", "vip", "incident", "fee_change", "after_sales")
GOALS = ("distance", "load", "rating", "sla", "ratio")
MODES = ("auto", "grab", "manual")


def field_labels() -> dict[str, str]:
    return {
        "stages": translate("PolicyLabels", "Dispatch modes"),
        "point_shares": translate("PolicyLabels", "Service point shares"),
        "point_capacity": translate("PolicyLabels", "Service point capacity"),
        "required_skills": translate("PolicyLabels", "Required skills"),
        "required_qualifications": translate("PolicyLabels", "Required qualifications"),
        "accept_minutes": translate("PolicyLabels", "Accept within"),
        "max_refusals": translate("PolicyLabels", "Refusals before a person"),
        "max_distance_km": translate("PolicyLabels", "Max distance from home"),
        "grab_floor_fen": translate("PolicyLabels", "Grab floor price"),
        "escalate": translate("PolicyLabels", "Straight to a person"),
        "weights": translate("PolicyLabels", "Goal weights"),
    }


def mode_labels() -> dict[str, str]:
    return {
        "auto": translate("PolicyLabels", "Central dispatch"),
        "grab": translate("PolicyLabels", "Grab pool"),
        "manual": translate("PolicyLabels", "Manual dispatch"),
    }


def escalate_labels() -> dict[str, str]:
    """Orders with these facts go to a person whatever mode comes first."""
    return {
        "urgent": translate("PolicyLabels", "Urgent orders"),
        "vip": translate("PolicyLabels", "VIP customers"),
        "incident": translate("PolicyLabels", "Incidents"),
        "fee_change": translate("PolicyLabels", "Fee changes"),
        "after_sales": translate("PolicyLabels", "After-sales"),
    }


def goal_labels() -> dict[str, str]:
    return {
        "distance": translate("PolicyLabels", "Distance"),
        "load": translate("PolicyLabels", "Load balance"),
        "rating": translate("PolicyLabels", "Rating"),
        "sla": translate("PolicyLabels", "SLA urgency"),
        "ratio": translate("PolicyLabels", "Share deviation"),
    }


def level_labels() -> dict[str, str]:
    return {
        "default": translate("PolicyLabels", "Default"),
        "province": translate("PolicyLabels", "Province"),
        "city": translate("PolicyLabels", "City"),
        "county": translate("PolicyLabels", "County"),
    }


def stages_text(stages: list[dict[str, object]]) -> str:
    """"中心派单 5 分钟 → 抢单 30 分钟 → 人工派单"."""
    modes = mode_labels()
    parts = []
    for stage in stages:
        name = modes.get(str(stage.get("mode")), str(stage.get("mode")))
        minutes = stage.get("minutes")
        parts.append(name if minutes is None else translate(
            "PolicyLabels", "{0} {1} min").format(name, minutes))
    return " → ".join(parts)
