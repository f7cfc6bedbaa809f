"""Display texts for the conversion centre's wire values (statuses, outcomes, methods)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


def status_labels() -> dict[str, str]:
    """What became of a stored message."""
    return {
        "dead": translate("IntakeLabels", "Needs fixing"),
        "refused": translate("IntakeLabels", "Refused"),
        "converted": translate("IntakeLabels", "Converted"),
        "retried": translate("IntakeLabels", "Retried"),
        "discarded": translate("IntakeLabels", "Discarded"),
    }


def channel_labels() -> dict[str, str]:
    return {
        "webhook": translate("IntakeLabels", "Push"),
        "poll": translate("IntakeLabels", "Pull"),
        "file": translate("IntakeLabels", "File"),
        "retry": translate("IntakeLabels", "Retry"),
    }


def outcome_labels() -> dict[str, str]:
    """What happened to one record, in receipt summaries."""
    return {
        "created": translate("IntakeLabels", "created"),
        "merged": translate("IntakeLabels", "merged"),
        "updated": translate("IntakeLabels", "updated"),
        "cancelled": translate("IntakeLabels", "cancelled"),
        "duplicate": translate("IntakeLabels", "duplicates"),
        "review": translate("IntakeLabels", "to review"),
        "refused": translate("IntakeLabels", "refused"),
        "dead": translate("IntakeLabels", "problems"),
    }


def placement_method_labels() -> dict[str, str]:
    return {
        "structured": translate("IntakeLabels", "platform's region fields"),
        "text": translate("IntakeLabels", "address text"),
        "hints": translate("IntakeLabels", "address text with region hints"),
        "unplaced": translate("IntakeLabels", "not placed"),
    }


def audit_decision_labels() -> dict[str, str]:
    return {
        "pass": translate("IntakeLabels", "passed automatically"),
        "review": translate("IntakeLabels", "manual review"),
    }


def standard_labels() -> dict[str, str]:
    """The keys of a region's service standard."""
    return {
        "adcode": translate("IntakeLabels", "County code"),
        "accept_minutes": translate("IntakeLabels", "Accept within (min)"),
        "appoint_hours": translate("IntakeLabels", "Appoint within (h)"),
        "visit_hours": translate("IntakeLabels", "Visit within (h)"),
        "fee_level": translate("IntakeLabels", "Fee level"),
        "urge_after_minutes": translate("IntakeLabels", "Urge after (min)"),
    }


def intent_labels() -> dict[str, str]:
    return {
        "new": translate("IntakeLabels", "new"),
        "update": translate("IntakeLabels", "update"),
        "cancel": translate("IntakeLabels", "cancel"),
        "refund": translate("IntakeLabels", "refund"),
    }


def audit_mode_labels() -> dict[str, str]:
    """How a client's orders pass the fake-order audit."""
    return {
        "auto_pass": translate("IntakeLabels", "Pass risk-free orders automatically"),
        "manual": translate("IntakeLabels", "Review every order by hand"),
    }


def coverage_mode_labels() -> dict[str, str]:
    """What happens to a client's orders from counties outside the network."""
    return {
        "covered_only": translate("IntakeLabels", "Only covered counties"),
        "accept_all": translate("IntakeLabels", "Accept all and report gaps"),
    }


def blacklist_filter_labels() -> dict[str, str]:
    """Which blacklist entries are listed (the values of `?active=`)."""
    return {
        "true": translate("IntakeLabels", "In force"),
        "false": translate("IntakeLabels", "Removed"),
        "all": translate("IntakeLabels", "All"),
    }
