"""SLA deadlines on the wire: one order's alert times per running step, and the open warnings
and breaches (time left is exact: an ISO 8601 duration, negative when over)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel


class DeadlineOut(BaseModel):
    """One alert time of one run of a step of an order."""

    step: str
    step_name: str
    run: int
    level: str  # 预警 | 警告 | 严重 (严重: the deadline itself)
    at: datetime  # when this level is reached
    due: datetime  # the step's deadline
    platform_due: datetime | None = None  # the platform's own deadline, beside ours
    started_at: datetime
    clock: str  # natural | business
    open: bool  # the step still runs
    recorded_at: datetime | None  # when the scan put it on the order's timeline
    time_left: timedelta  # now to the deadline in the limit's clock; negative: over


class AlertOut(BaseModel):
    """An open warning or breach: the highest level recorded for a step still running."""

    order_id: int
    order_no: str
    county_adcode: str
    county_name: str = ""
    service_type: str
    step: str
    step_name: str
    run: int = 1
    level: str
    at: datetime
    due: datetime
    platform_due: datetime | None = None  # the platform's own deadline, beside ours
    clock: str
    recorded_at: datetime | None
    time_left: timedelta
    cursor: str = ""  # pass as `after` for the page after this alert
