"""The supervisor board on the wire: open warnings and breaches counted per group (runs by the
highest level each reached: 预警 / 警告 / 严重), and on-time rates of finished runs."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AlertTally(BaseModel):
    """One group's open alerts: runs whose highest level is 预警, 警告 or 严重 (a breach)."""

    key: str  # the adcode, step, service point id or technician id ('' : none)
    label: str
    notice: int
    warning: int
    severe: int


class BoardOut(BaseModel):
    at: datetime
    total: AlertTally
    by_city: list[AlertTally]
    by_county: list[AlertTally]
    by_step: list[AlertTally]
    by_service_point: list[AlertTally]
    by_technician: list[AlertTally]


class OnTimeOut(BaseModel):
    """Runs that finished in the period in one group, and those on time (rate = on_time /
    finished, 0 when none finished)."""

    key: str
    label: str
    finished: int
    on_time: int
    rate: float
