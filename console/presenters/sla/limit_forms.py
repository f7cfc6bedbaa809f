"""Between the wire and the time limits editor's forms: fill the step form from a step as it
applies and read back the scope's entry for it; fill the hours-and-suspensions form from the
effective limits and read back what the scope sets; the change log's rows. Times are shown and
read in Beijing time."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime

from core.contracts.sla_limits import (
    EffectiveLimitsOut,
    LimitsLogEntry,
    LimitsScopeOut,
    StepLimitOut,
)
from ui.sla.limit_scope_form import ScopeForm
from ui.sla.limit_step_form import CONDITIONS, DueEdit, StepForm

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _fill_due(edit: DueEdit, due: dict[str, int]) -> None:
    edit.end_of_day.setChecked("end_of_day" in due)
    edit.minutes.setValue(due.get("minutes", edit.minutes.value()))


def _read_due(edit: DueEdit, before: dict[str, int]) -> dict[str, int]:
    if edit.end_of_day.isChecked():
        return {"end_of_day": before.get("end_of_day", 0)}
    return {"minutes": edit.minutes.value()}


def fill_step(form: StepForm, step: StepLimitOut, words: dict[str, str]) -> None:
    _fill_due(form.due, step.due)
    form.clock.setCurrentIndex(max(form.clock.findData(step.clock), 0))
    form.notice.setValue(step.warn_percent[0])
    form.warning.setValue(step.warn_percent[1])
    for name, picker in form.events.items():
        picker.set_words(words)
        picker.set_chosen(getattr(step, name))
    platform = step.platform or {}
    form.has_platform.setChecked(bool(platform))
    _fill_due(form.platform_due, platform.get("due", {}))
    form.platform_clock.setCurrentIndex(
        max(form.platform_clock.findData(platform.get("clock", "natural")), 0))
    form.platform_rule.setText(str(platform.get("rule", "")))


def platform_of(form: StepForm, step: StepLimitOut) -> dict[str, Any] | None:
    if not form.has_platform.isChecked():
        return None
    before = (step.platform or {}).get("due", {})
    return {"due": _read_due(form.platform_due, before),
            "clock": form.platform_clock.currentData(),
            "rule": form.platform_rule.text().strip()}


def step_entry(form: StepForm, step: StepLimitOut, entry: dict[str, Any]) -> dict[str, Any]:
    """The scope's entry for the step after the edit: due, clock and warn shares as shown; the
    conditions and the platform's limit only when changed here or already set by the entry (an
    untouched inherited value stays inherited)."""
    out = copy.deepcopy(entry)
    out["due"] = _read_due(form.due, step.due)
    out["clock"] = form.clock.currentData()
    out["warn_percent"] = [form.notice.value(), form.warning.value()]
    changed = {name for name in CONDITIONS
               if name in out or form.events[name].chosen() != getattr(step, name)}
    if changed & {"pause", "resume"}:  # a pause goes with its resume: the backend checks both
        changed |= {"pause", "resume"}
    for name in sorted(changed, key=CONDITIONS.index):
        out[name] = form.events[name].chosen()
    platform = platform_of(form, step)
    if "platform" in out or platform != step.platform:
        out["platform"] = platform
    return out


# -- working hours and suspensions ---------------------------------------------------------

def _shown(moment: str) -> QDateTime:
    at = datetime.fromisoformat(moment).astimezone(SHANGHAI)
    return QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute))


def _instant(moment: QDateTime) -> str:
    day, time = moment.date(), moment.time()
    return datetime(day.year(), day.month(), day.day(), time.hour(), time.minute(),
                    tzinfo=SHANGHAI).isoformat()


def fill_scope(form: ScopeForm, effective: EffectiveLimitsOut, scope: LimitsScopeOut,
               inherited: str, source_text: Any) -> None:
    """`source_text(LimitSource | None)` names where an inherited value comes from."""
    hours = effective.working_day
    form.own_hours.setChecked("working_day" in scope.body)
    form.set_hours(QTime.fromString(hours["start"], "HH:mm"),
                   QTime.fromString(hours["end"], "HH:mm"))
    form.hours_source.setText(inherited.replace(
        "%1", source_text(effective.sources.get("working_day"))))
    form.own_suspensions.setChecked("suspensions" in scope.body)
    form.clear_suspensions()
    for item in effective.suspensions:
        form.add_suspension(item["name"], _shown(item["start"]), _shown(item["end"]))
    form.suspensions_source.setText(inherited.replace(
        "%1", source_text(effective.sources.get("suspensions"))))


def scope_body(form: ScopeForm, effective: EffectiveLimitsOut,
               scope: LimitsScopeOut) -> dict[str, Any]:
    """What the scope sets after the edit: its own hours and suspensions, or none (inherited);
    its steps as they were."""
    body = copy.deepcopy(scope.body)
    body.pop("working_day", None)
    body.pop("suspensions", None)
    if form.own_hours.isChecked():
        body["working_day"] = {"start": form.day_start.time().toString("HH:mm"),
                               "end": form.day_end.time().toString("HH:mm"),
                               "zone": effective.working_day.get("zone", "Asia/Shanghai")}
    if form.own_suspensions.isChecked():
        body["suspensions"] = [{"name": name.strip(), "start": _instant(start),
                                "end": _instant(end)}
                               for name, start, end in form.suspension_rows()]
    return body


def next_day(now: datetime) -> QDateTime:
    """Where a new suspension starts: the next Beijing midnight."""
    day = now.astimezone(SHANGHAI).date()
    return QDateTime(QDate(day.year, day.month, day.day).addDays(1), QTime(0, 0))


# -- the change log ------------------------------------------------------------------------

def _paths(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and not value and not prefix:
        return {}
    if isinstance(value, dict) and value and prefix.count(".") < 2:
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_paths(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What a change touched: steps.<step>.<type>, working_day, suspensions."""
    old, new = _paths(before), _paths(after)
    return ", ".join(sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k)))


def log_row(entry: LimitsLogEntry) -> list[str]:
    return [entry.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"), entry.actor,
            entry.scope_name, entry.reason, changed_fields(entry.before, entry.after)]
