"""What one scope's SLA time limits set, as JSON, and its checks (each refusal names the field).

    {"steps": {"accept": {"any": {"due": {"minutes": 30}, "clock": "natural"},
                          "install": {"warn_percent": [60, 80]}}},
     "working_day": {"start": "09:00", "end": "18:00", "zone": "Asia/Shanghai"},
     "suspensions": [{"name": "春节停工", "start": "2026-02-14T00:00:00+08:00",
                      "end": "2026-02-24T00:00:00+08:00"}]}

A step's entry per service type ('any' for every type) sets any of STEP_FIELDS; the rest is
inherited (core.sla.limits).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from core.orders.lifecycle import ServiceType
from core.sla.calendar import WorkingDay
from core.sla.errors import LimitRefused, WorkingDayInvalid
from core.sla.limit_types import (
    ANY_TYPE,
    END_OF_DAY_STEPS,
    EVENTS,
    MAX_END_OF_DAY_DAYS,
    MAX_LIMIT_MINUTES,
    STEP_FLOOR_MINUTES,
    STEP_WORDS,
    Clock,
    Due,
    PlatformLimit,
    Step,
    Suspension,
)

SERVICE_TYPES = (ANY_TYPE, *(t.value for t in ServiceType))
STEP_FIELDS = ("due", "clock", "warn_percent", "start", "stop", "pause", "resume", "platform")
SCOPE_FIELDS = ("steps", "working_day", "suspensions")
MAX_SUSPENSIONS = 20
MAX_NAME = 20
MAX_RULE = 100


def _whole(where: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise LimitRefused(where, f"应为 {low} 到 {high} 之间的整数"
                                  f" (must be a whole number from {low} to {high})")
    return value


def _object(where: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise LimitRefused(where, "应为对象 (must be an object)")
    return value


def _list(where: str, value: Any) -> Sequence[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        raise LimitRefused(where, "应为列表 (must be a list)")
    return value


def read_due(step: Step, where: str, value: Any) -> Due:
    raw = _object(where, value)
    if set(raw) == {"minutes"}:
        floor = STEP_FLOOR_MINUTES[step]
        minutes = _whole(where + ".minutes", raw["minutes"], 1, MAX_LIMIT_MINUTES)
        if minutes < floor:
            zh, en = STEP_WORDS[step]
            raise LimitRefused(where + ".minutes", f"无法做到：{zh}最快也要 {floor} 分钟，不能限"
                                                   f" {minutes} 分钟 ({minutes} minutes cannot "
                                                   f"be met: {en} takes at least {floor} minutes)")
        return Due(minutes=minutes)
    if set(raw) == {"end_of_day"}:
        if step not in END_OF_DAY_STEPS:
            raise LimitRefused(where + ".end_of_day", "只有上门、完工可按约定日截止 (only on site "
                                                      "and complete may be due at the agreed "
                                                      "day's end)")
        return Due(end_of_day=_whole(where + ".end_of_day", raw["end_of_day"], 0,
                                     MAX_END_OF_DAY_DAYS))
    raise LimitRefused(where, "应为 {minutes} 或 {end_of_day} 之一 (must be {minutes: N} or "
                              "{end_of_day: days after the agreed day})")


def read_clock(where: str, value: Any) -> Clock:
    try:
        return Clock(value)
    except ValueError:
        raise LimitRefused(where, f"未知的计时方式 {value!r} (unknown clock; use natural or "
                                  f"business)") from None


def read_warn(where: str, value: Any) -> tuple[int, int]:
    items = _list(where, value)
    if len(items) != 2:
        raise LimitRefused(where, "应为两个百分比：预警、警告 (two shares: notice, warning)")
    first, second = (_whole(where, v, 1, 99) for v in items)
    if first >= second:
        raise LimitRefused(where, f"预警 {first}% 应早于警告 {second}% (the notice share must "
                                  f"come before the warning share)")
    return first, second


def read_events(where: str, value: Any) -> tuple[str, ...]:
    items = _list(where, value)
    unknown = [v for v in items if v not in EVENTS]
    if unknown:
        raise LimitRefused(where, f"未知的事件 {unknown[0]!r} (unknown event; use "
                                  f"{', '.join(EVENTS)})")
    return tuple(dict.fromkeys(items))


def read_platform(step: Step, where: str, value: Any) -> PlatformLimit | None:
    if value is None:
        return None
    raw = _object(where, value)
    extra = sorted(set(raw) - {"due", "clock", "rule"})
    if extra or "due" not in raw:
        raise LimitRefused(where + (f".{extra[0]}" if extra else ".due"),
                           "平台时限应为 {due, clock, rule} (the platform's limit is "
                           "{due, clock, rule})")
    rule = raw.get("rule", "")
    if not isinstance(rule, str) or len(rule.strip()) > MAX_RULE:
        raise LimitRefused(where + ".rule", f"应为不超过 {MAX_RULE} 字的文字"
                                            f" (text of at most {MAX_RULE} characters)")
    return PlatformLimit(read_due(step, where + ".due", raw["due"]),
                         read_clock(where + ".clock", raw.get("clock", "natural")), rule.strip())


def read_step_field(step: Step, name: str, where: str, value: Any) -> Any:
    """One setting of a step's entry, checked; `where` names it in a refusal."""
    readers: dict[str, Callable[[str, Any], Any]] = {
        "due": lambda w, v: read_due(step, w, v),
        "clock": read_clock,
        "warn_percent": read_warn,
        "start": read_events, "stop": read_events, "pause": read_events, "resume": read_events,
        "platform": lambda w, v: read_platform(step, w, v),
    }
    reader = readers.get(name)
    if reader is None:
        raise LimitRefused(where, f"不是时限的设置项 (is not a limit setting; use "
                                  f"{', '.join(STEP_FIELDS)})")
    return reader(where, value)


def read_working_day(where: str, value: Any) -> WorkingDay:
    raw = _object(where, value)
    if set(raw) - {"start", "end", "zone"} or not {"start", "end"} <= set(raw):
        raise LimitRefused(where, "工作时间应为 {start, end, zone} (working hours are "
                                  "{start, end, zone})")
    try:
        return WorkingDay.from_dict(raw)
    except (WorkingDayInvalid, TypeError, AttributeError) as exc:
        raise LimitRefused(where, getattr(exc, "message", "工作时间无效 (invalid hours)")) from None


def _instant(where: str, value: Any) -> datetime:
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        at = None
    if at is None or at.utcoffset() is None:
        raise LimitRefused(where, "应为带时区的 ISO 时间 (an ISO time with its offset, e.g. "
                                  "2026-02-14T00:00:00+08:00)")
    return at


def read_suspensions(where: str, value: Any) -> tuple[Suspension, ...]:
    items = _list(where, value)
    if len(items) > MAX_SUSPENSIONS:
        raise LimitRefused(where, f"最多 {MAX_SUSPENSIONS} 段 (at most {MAX_SUSPENSIONS})")
    found: list[tuple[int, Suspension]] = []
    for i, item in enumerate(items):
        raw = _object(f"{where}.{i}", item)
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
            raise LimitRefused(f"{where}.{i}.name", f"名称必填，不超过 {MAX_NAME} 字 (a name of "
                                                    f"at most {MAX_NAME} characters)")
        start = _instant(f"{where}.{i}.start", raw.get("start"))
        end = _instant(f"{where}.{i}.end", raw.get("end"))
        if end <= start:
            raise LimitRefused(f"{where}.{i}.end", "结束应晚于开始 (must end after it starts)")
        found.append((i, Suspension(name.strip(), start, end)))
    ordered = sorted(found, key=lambda f: f[1].start)
    for (_, earlier), (i, later) in pairwise(ordered):
        if later.start < earlier.end:
            raise LimitRefused(f"{where}.{i}.start", f"与「{earlier.name}」重叠 (overlaps "
                                                     f"'{earlier.name}')")
    return tuple(s for _, s in found)


def _check_entry(step: Step, where: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    parsed = {name: read_step_field(step, name, f"{where}.{name}", value)
              for name, value in entry.items()}
    for a, b, words in (("start", "stop", "开始又是停止"), ("pause", "resume", "暂停又是恢复")):
        both = set(parsed.get(a, ())) & set(parsed.get(b, ()))
        if both:
            raise LimitRefused(f"{where}.{b}", f"事件 {sorted(both)[0]} 不能既是{words}"
                                               f" (an event cannot both {a} and {b} the clock)")
    # Set together, so they are inherited together: a pause of one scope with the resume of
    # another (or none) would stand the clock still for good.
    if ("pause" in parsed) != ("resume" in parsed):
        missing = "resume" if "pause" in parsed else "pause"
        raise LimitRefused(f"{where}.{missing}", "暂停与恢复须一起设置 (pause and resume are set "
                                                 "together)")
    if bool(parsed.get("pause")) != bool(parsed.get("resume")):
        missing = "resume" if parsed.get("pause") else "pause"
        raise LimitRefused(f"{where}.{missing}", "暂停须有恢复事件 (a pause needs its resume, "
                                                 "a resume its pause)")
    for name in ("start", "stop"):
        if name in parsed and not parsed[name]:
            raise LimitRefused(f"{where}.{name}", "至少需要一个事件 (needs at least one event)")
    return parsed


def parse_body(body: Any) -> dict[str, Any]:
    """Check what one scope sets: {"steps": {step: {type: {...}}}, "working_day", "suspensions"}.
    Returns the typed values: steps as {(step, type): {field: value}}."""
    raw = _object("body", body)
    unknown = sorted(set(raw) - set(SCOPE_FIELDS), key=str)
    if unknown:
        raise LimitRefused(str(unknown[0]), f"不是时限的设置项 (is not a limit setting; use "
                                            f"{', '.join(SCOPE_FIELDS)})")
    parsed: dict[str, Any] = {}
    if "working_day" in raw:
        parsed["working_day"] = read_working_day("working_day", raw["working_day"])
    if "suspensions" in raw:
        parsed["suspensions"] = read_suspensions("suspensions", raw["suspensions"])
    steps: dict[tuple[Step, str], dict[str, Any]] = {}
    for step_name, by_type in _object("steps", raw.get("steps", {})).items():
        try:
            step = Step(step_name)
        except ValueError:
            raise LimitRefused(f"steps.{step_name}", f"未知的环节 (unknown step; use "
                                                     f"{', '.join(Step)})") from None
        for kind, entry in _object(f"steps.{step_name}", by_type).items():
            if kind not in SERVICE_TYPES:
                raise LimitRefused(f"steps.{step_name}.{kind}",
                                   f"不是服务类型 (not a service type; use "
                                   f"{', '.join(SERVICE_TYPES)})")
            where = f"steps.{step_name}.{kind}"
            steps[(step, kind)] = _check_entry(step, where, _object(where, entry))
    parsed["steps"] = steps
    return parsed


def dump_value(name: str, value: Any) -> Any:
    """A checked setting back as JSON (the stored, normal form)."""
    if isinstance(value, Due | PlatformLimit):
        return value.as_dict()
    if isinstance(value, Clock):
        return value.value
    if isinstance(value, WorkingDay):
        return value.as_dict()
    if name == "suspensions":
        return [s.as_dict() for s in value]
    if isinstance(value, tuple):
        return list(value)
    return value


def normalise(body: Any) -> dict[str, Any]:
    """The body as stored: checked, trimmed, each setting in its normal form; empty entries go."""
    parsed = parse_body(body)
    out: dict[str, Any] = {}
    steps: dict[str, dict[str, Any]] = {}
    for (step, kind), entry in parsed["steps"].items():
        if entry:
            steps.setdefault(step.value, {})[kind] = {n: dump_value(n, v) for n, v in entry.items()}
    if steps:
        out["steps"] = steps
    for name in ("working_day", "suspensions"):
        if name in parsed:
            out[name] = dump_value(name, parsed[name])
    return out
