"""Wire schemas shared by the HTTP backend (core.server) and the console."""

from core.contracts.orders import (
    ActionRequest,
    ChangeEvent,
    ChangePage,
    ItemOut,
    OrderCreate,
    OrderDetail,
    OrderPage,
    OrderRow,
    TimelineEntry,
)
from core.contracts.people import (
    Candidate,
    LoginRequest,
    Problem,
    RegionOut,
    TechnicianOut,
    TokenOut,
    UserOut,
)

__all__ = [
    "ActionRequest",
    "Candidate",
    "ChangeEvent",
    "ChangePage",
    "ItemOut",
    "LoginRequest",
    "OrderCreate",
    "OrderDetail",
    "OrderPage",
    "OrderRow",
    "Problem",
    "RegionOut",
    "TechnicianOut",
    "TimelineEntry",
    "TokenOut",
    "UserOut",
]
