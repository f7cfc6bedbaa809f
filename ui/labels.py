"""Display texts for the wire's enum values: the one place they are translated.

Values arrive as plain strings (StrEnum values compare equal to them), so the widget kit needs
no business module to show them. Unknown values are shown as they are rather than hidden.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def state_labels() -> dict[str, str]:
    """Order states in lifecycle order."""
    return {
        "new": translate("Labels", "New"),
        "audited": translate("Labels", "Audited"),
        "placed": translate("Labels", "Placed"),
        "classified": translate("Labels", "Classified"),
        "dispatching": translate("Labels", "Dispatching"),
        "assigned": translate("Labels", "Assigned"),
        "accepted": translate("Labels", "Accepted"),
        "appointed": translate("Labels", "Appointed"),
        "checked_in": translate("Labels", "Checked in"),
        "served": translate("Labels", "Served"),
        "verified": translate("Labels", "Verified"),
        "in_review": translate("Labels", "Follow-up call"),
        "settleable": translate("Labels", "Settleable"),
        "settled": translate("Labels", "Settled"),
        "closed": translate("Labels", "Closed"),
        "cancelled": translate("Labels", "Cancelled"),
        "frozen": translate("Labels", "Frozen"),
    }


def service_type_labels() -> dict[str, str]:
    return {
        "install": translate("Labels", "Installation"),
        "repair": translate("Labels", "Repair"),
        "measure": translate("Labels", "Measuring"),
        "return_visit": translate("Labels", "Return visit"),
        "after_sales": translate("Labels", "After-sales"),
    }


def platform_labels() -> dict[str, str]:
    return {
        "own": translate("Labels", "Own shop"),
        "tmall": translate("Labels", "Tmall"),
        "taobao": translate("Labels", "Taobao"),
        "jd": translate("Labels", "JD.com"),
        "suning": translate("Labels", "Suning"),
        "erp": translate("Labels", "ERP"),
        "pdd": translate("Labels", "Pinduoduo"),
        "douyin": translate("Labels", "Douyin"),
    }


def trade_labels() -> dict[str, str]:
    """Trades (and the skills of the same names) of the product catalogue."""
    return {
        "aircon": translate("Labels", "Air conditioning"),
        "water_heater": translate("Labels", "Water heaters"),
        "water_purifier": translate("Labels", "Water purifiers"),
        "sanitary": translate("Labels", "Sanitary ware"),
        "kitchen": translate("Labels", "Kitchen appliances"),
        "furniture": translate("Labels", "Furniture"),
        "general": translate("Labels", "General"),
    }


def action_labels() -> dict[str, str]:
    """Lifecycle actions as button texts."""
    return {
        "audit": translate("Labels", "Audit"),
        "place": translate("Labels", "Place in region"),
        "classify": translate("Labels", "Classify"),
        "open_dispatch": translate("Labels", "Open for dispatch"),
        "escalate": translate("Labels", "Escalate dispatch"),
        "assign": translate("Labels", "Assign technician"),
        "claim": translate("Labels", "Claim"),
        "withdraw": translate("Labels", "Withdraw assignment"),
        "pin": translate("Labels", "Pin assignment"),
        "unpin": translate("Labels", "Unpin assignment"),
        "mark": translate("Labels", "Mark"),
        "accept": translate("Labels", "Accept"),
        "refuse": translate("Labels", "Refuse"),
        "appoint": translate("Labels", "Make appointment"),
        "check_in": translate("Labels", "Check in"),
        "complete": translate("Labels", "Complete visit"),
        "cannot_complete": translate("Labels", "Cannot complete"),
        "verify": translate("Labels", "Verify"),
        "start_review": translate("Labels", "Start follow-up call"),
        "pass_review": translate("Labels", "Pass follow-up"),
        "settle": translate("Labels", "Settle"),
        "close": translate("Labels", "Close"),
        "cancel": translate("Labels", "Cancel order"),
        "freeze": translate("Labels", "Freeze"),
        "unfreeze": translate("Labels", "Unfreeze"),
        "after_sales": translate("Labels", "Open after-sales"),
    }


def dispatch_mode_labels() -> dict[str, str]:
    """Dispatch modes in the order a region usually tries them."""
    return {
        "auto": translate("Labels", "Central dispatch"),
        "grab": translate("Labels", "Grab pool"),
        "manual": translate("Labels", "Manual dispatch"),
    }


def tag_labels() -> dict[str, str]:
    """Order tags that steer dispatch."""
    return {
        "urgent": translate("Labels", "Urgent"),
        "vip": translate("Labels", "VIP"),
        "incident": translate("Labels", "Incident"),
        "fee_change": translate("Labels", "Fee change"),
    }


def refusal_code_labels() -> dict[str, str]:
    """Why a technician refused (timeout is the system's, never chosen by a person)."""
    return {
        "too_far": translate("Labels", "Too far"),
        "no_time": translate("Labels", "No time"),
        "lacks_skill": translate("Labels", "Lacks the skill"),
        "price_too_low": translate("Labels", "Price too low"),
        "customer_unreachable": translate("Labels", "Customer unreachable"),
        "other": translate("Labels", "Other"),
        "timeout": translate("Labels", "Not accepted in time"),
    }


def cannot_complete_labels() -> dict[str, str]:
    """Why the visit cannot be done (core.orders.lifecycle.CannotCompleteCode)."""
    return {
        "customer_absent": translate("Labels", "Customer absent or no access"),
        "parts_missing": translate("Labels", "Goods or parts missing"),
        "site_not_ready": translate("Labels", "Site not ready"),
        "customer_declines": translate("Labels", "Customer declines the service"),
        "needs_other_trade": translate("Labels", "Beyond his skill: another trade"),
        "other": translate("Labels", "Other"),
    }


def escalation_code_labels() -> dict[str, str]:
    """Why an order moved to another dispatch mode (event data "code")."""
    return {
        "no_eligible": translate("Labels", "No eligible technician"),
        "uncovered": translate("Labels", "Region not covered"),
        "urgent": translate("Labels", "Urgent"),
        "vip": translate("Labels", "VIP"),
        "incident": translate("Labels", "Incident"),
        "fee_change": translate("Labels", "Fee change"),
        "after_sales": translate("Labels", "After-sales"),
        "central_exhausted": translate("Labels", "Central dispatch out of capacity"),
        "unclaimed": translate("Labels", "Nobody claimed it"),
        "refused_too_often": translate("Labels", "Refused too often"),
        "dispatch_failed": translate("Labels", "Automatic dispatch failed"),
        "timeout": translate("Labels", "Not accepted in time"),
        "agent": translate("Labels", "Moved by an agent"),
    }


def role_labels() -> dict[str, str]:
    return {
        "agent": translate("Labels", "Dispatch agent"),
        "supervisor": translate("Labels", "Supervisor"),
        "finance": translate("Labels", "Finance"),
        "admin": translate("Labels", "Administrator"),
        "technician": translate("Labels", "Technician"),
        "system": translate("Labels", "System"),
    }


def label(table: dict[str, str], value: str | None) -> str:
    """The display text of a value, the value itself if unknown, "" for None."""
    if value is None:
        return ""
    return table.get(str(value), str(value))
