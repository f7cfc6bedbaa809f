"""The words of follow-up calls and complaints: why a call was picked, the five complaint
types, and complaint states (the server's values as keys)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate

COMPLAINT_TYPES = ("attitude", "quality", "timeliness", "overcharging", "non_standard")


def reason_labels() -> dict[str, str]:
    return {
        "random": translate("FollowupLabels", "Random sample"),
        "high_value": translate("FollowupLabels", "High value"),
        "flagged": translate("FollowupLabels", "Flagged"),
        "new_technician": translate("FollowupLabels", "New technician"),
    }


def complaint_labels() -> dict[str, str]:
    return {
        "attitude": translate("FollowupLabels", "Attitude"),
        "quality": translate("FollowupLabels", "Installation quality"),
        "timeliness": translate("FollowupLabels", "Timeliness"),
        "overcharging": translate("FollowupLabels", "Overcharging"),
        "non_standard": translate("FollowupLabels", "Non-standard work"),
    }


def complaint_status_labels() -> dict[str, str]:
    return {
        "open": translate("FollowupLabels", "Open"),
        "upheld": translate("FollowupLabels", "Upheld"),
        "dismissed": translate("FollowupLabels", "Dismissed"),
    }
