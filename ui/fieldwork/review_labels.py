"""The words of the verification review: verdicts, evidence items and their states, call
verdicts, check-in outcomes, code states and photo checks (the server's values as keys)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def label(labels: dict[str, str], value: str) -> str:
    """The value's words, or the value itself when these words do not know it (a newer
    server)."""
    return labels.get(value, value)


def verdict_labels() -> dict[str, str]:
    return {
        "ready": translate("ReviewLabels", "Ready"),
        "incomplete": translate("ReviewLabels", "Incomplete"),
        "flagged": translate("ReviewLabels", "Flagged"),
    }


def item_labels() -> dict[str, str]:
    return {
        "call": translate("ReviewLabels", "Appointment call"),
        "checkin": translate("ReviewLabels", "Check-in"),
        "code": translate("ReviewLabels", "Completion code"),
        "photos": translate("ReviewLabels", "Photos"),
        "serial": translate("ReviewLabels", "Serial number"),
        "flags": translate("ReviewLabels", "Other flags"),
    }


def status_labels() -> dict[str, str]:
    return {
        "satisfied": translate("ReviewLabels", "Satisfied"),
        "missing": translate("ReviewLabels", "Missing"),
        "flagged": translate("ReviewLabels", "Flagged"),
        "unavailable": translate("ReviewLabels", "Cannot be checked yet"),
    }


def call_verdict_labels() -> dict[str, str]:
    return {
        "real": translate("ReviewLabels", "Real call before booking"),
        "no_call": translate("ReviewLabels", "No real call before booking"),
        "desk": translate("ReviewLabels", "Booked by the desk for the customer"),
        "found_late": translate("ReviewLabels", "Call found after booking"),
    }


def outcome_labels() -> dict[str, str]:
    return {
        "inside": translate("ReviewLabels", "Inside"),
        "outside": translate("ReviewLabels", "Outside"),
        "skipped": translate("ReviewLabels", "No position"),
        "stale": translate("ReviewLabels", "Stale position"),
        "inaccurate": translate("ReviewLabels", "Position too inaccurate"),
        "no_address_point": translate("ReviewLabels", "No address point"),
    }


def code_state_labels() -> dict[str, str]:
    return {
        "none": translate("ReviewLabels", "No code"),
        "issued": translate("ReviewLabels", "Issued, not used"),
        "used": translate("ReviewLabels", "Used"),
        "expired": translate("ReviewLabels", "Expired"),
        "locked": translate("ReviewLabels", "Locked"),
        "voided": translate("ReviewLabels", "Voided"),
    }


def check_labels() -> dict[str, str]:
    """A photo's time or place check."""
    return {
        "inside": translate("ReviewLabels", "ok"),
        "outside": translate("ReviewLabels", "off"),
        "missing": translate("ReviewLabels", "none"),
        "inaccurate": translate("ReviewLabels", "inaccurate"),
        "no_address_point": translate("ReviewLabels", "no address point"),
    }
