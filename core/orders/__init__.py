"""The service-order aggregate: lifecycle state machine and its audit events (pure Python)."""

from core.orders.errors import IllegalTransition, OrderError, StaleVersion
from core.orders.lifecycle import ACTIONS, Action, OrderState, allowed_actions
from core.orders.model import OrderEvent, ServiceOrder

__all__ = [
    "ACTIONS",
    "Action",
    "IllegalTransition",
    "OrderError",
    "OrderEvent",
    "OrderState",
    "ServiceOrder",
    "StaleVersion",
    "allowed_actions",
]
