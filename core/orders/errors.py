"""Errors raised by the order rules: each a core.errors refusal with its HTTP status, its
message Chinese first with the English after it."""

from core.errors import Conflict, Invalid, LastmileError, Refused


class OrderError(LastmileError):
    """Base of every error the order rules raise."""


class IllegalTransition(OrderError, Invalid):
    """An action that the order's current state does not allow (422)."""

    def __init__(self, action: str, state: str, allowed: list[str]) -> None:
        self.action, self.state, self.allowed = action, state, allowed
        choices = ", ".join(allowed) or "none"
        super().__init__(
            f"当前状态不允许此操作 (action '{action}' is not allowed in state '{state}' "
            f"(allowed: {choices}))"
        )


class MissingReason(OrderError, Invalid):
    """An action that must say why was given no reason (422)."""

    def __init__(self, action: str) -> None:
        self.action = action
        super().__init__(f"请说明原因 (action '{action}' needs a reason)")


class InvalidCommand(OrderError, Invalid):
    """A command whose arguments do not fit the action (422)."""


class StaleVersion(OrderError, Conflict):
    """A write based on an older version of the order than the current one (409)."""

    def __init__(self, order_id: int, expected: int, current: int) -> None:
        self.order_id, self.expected, self.current = order_id, expected, current
        super().__init__(
            f"订单已被他人修改：你的版本 {expected}，当前版本 {current} (order {order_id} "
            f"changed meanwhile: you had version {expected}, current is {current})",
            current_version=current,
        )


class Forbidden(OrderError, Refused):
    """A role that may not perform an action (403)."""

    def __init__(self, role: str, action: str) -> None:
        self.role, self.action = role, action
        super().__init__(f"该角色无权执行此操作 (role '{role}' may not perform '{action}')")
