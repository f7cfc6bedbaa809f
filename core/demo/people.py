"""Who works in the demo: the desk users the seed creates and their one password."""

from __future__ import annotations

from core.orders.lifecycle import Role

DEMO_PASSWORD = "demo"
# Display names are what the console shows for who did what: Chinese first.
DESK_USERS = (
    ("agent", "坐席 小王", Role.AGENT),
    ("supervisor", "主管 李娜", Role.SUPERVISOR),
    ("finance", "财务 陈静", Role.FINANCE),
    ("admin", "管理员", Role.ADMIN),
    # The simulator's stand-ins, each its own user so the timeline tells them from people:
    # `centre` works intake by hand (audit, place, classify, reviews, desk checks) as a
    # supervisor may, not as an admin; `sim-agent` dispatches what needs a person. The
    # backend's own steps are the actors `intake` and `dispatcher` (role system, no login).
    ("centre", "派单中心", Role.SUPERVISOR),
    ("sim-agent", "坐席（模拟）", Role.AGENT),
)
