"""Errors raised by the order rules."""


class OrderError(Exception):
    """Base of every error the order rules raise."""


class IllegalTransition(OrderError):
    """An action that the order's current state does not allow."""

    def __init__(self, action: str, state: str, allowed: list[str]) -> None:
        self.action, self.state, self.allowed = action, state, allowed
        choices = ", ".join(allowed) or "none"
        super().__init__(
            f"action '{action}' is not allowed in state '{state}' (allowed: {choices})"
        )


class MissingReason(OrderError):
    """An action that must say why was given no reason."""

    def __init__(self, action: str) -> None:
        self.action = action
        super().__init__(f"action '{action}' needs a reason")


class InvalidCommand(OrderError):
    """A command whose arguments do not fit the action."""


class StaleVersion(OrderError):
    """A write based on an older version of the order than the current one."""

    def __init__(self, order_id: int, expected: int, current: int) -> None:
        self.order_id, self.expected, self.current = order_id, expected, current
        super().__init__(
            f"order {order_id} changed meanwhile: you had version {expected}, "
            f"current is {current}"
        )


class Forbidden(OrderError):
    """A role that may not perform an action."""

    def __init__(self, role: str, action: str) -> None:
        self.role, self.action = role, action
        super().__init__(f"role '{role}' may not perform '{action}'")
