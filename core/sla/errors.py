"""Errors raised by the SLA rules: core.errors refusals, Chinese first with the English after."""

from core.errors import Invalid, LastmileError


class SlaError(LastmileError):
    """Base of every error the SLA rules raise."""


class CalendarRefused(SlaError, Invalid):
    """A year's calendar (a State Council notice as a file) that does not hold together (422);
    `loc` names the field at fault, e.g. ("days", 3, "date")."""


class WorkingDayInvalid(SlaError, Invalid):
    """Working hours that are not a day's span, e.g. "18:00-09:00" (422)."""


class BusinessTimeInvalid(SlaError, Invalid):
    """A question of business time that has no answer: a naive time, negative hours (422)."""


class LimitRefused(SlaError, Invalid):
    """A time limit that cannot work (422): shorter than the step's fastest possible time, an
    unknown step, service type or event, overlapping suspensions. `field` names the setting
    (e.g. "steps.accept.install.due"), `loc` the same where the wire carries it (LimitsPut.body).
    """

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, loc=("body", "body", *field_name.split(".")))
        self.field = field_name

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"
