"""Who signs in to the demo, as the console's banner lists them (core.demo.people seeds them)."""

from __future__ import annotations

from core.demo.people import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "DEMO_USERS"]

DEMO_USERS = (
    ("agent", "客服坐席 / dispatch agent"),
    ("supervisor", "主管 / supervisor"),
    ("finance", "财务 / finance"),
    ("admin", "管理员 / administrator"),
)
