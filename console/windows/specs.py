"""What each desk role sees first: its workspace's title, default filter, order and emphasis."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from console.models.orders import Column, OrderFilter
from console.models.orders.rows import DEFAULT_SORT

DESC = Qt.SortOrder.DescendingOrder


@dataclass(frozen=True)
class WorkspaceSpec:
    role: str
    title_source: str  # translated when the window is built (context "Workspace")
    default_filter: OrderFilter = field(default_factory=OrderFilter)
    sort: tuple[int, Qt.SortOrder] = (DEFAULT_SORT, DESC)
    state_summary: bool = False
    # In the default order (newest first) orders in these states come first.
    priority_states: frozenset[str] = frozenset()
    # The Intake workspace (arrivals, review queue, problem list) beside the queue.
    intake: bool = False
    # May change client intake policies and the blacklist (the server checks it too).
    edit_intake_settings: bool = False
    # Dispatch docks: the manual dispatch desk, day routes, the grab pool monitor, the region
    # policies (edited only with edit_policies; the server checks it too).
    dispatch: bool = False
    routes: bool = False
    pool: bool = False
    policies: bool = False
    edit_policies: bool = False
    # Technicians' dispatch settings (capacity, skills, certificates), edited with edit_policies.
    technicians: bool = False
    # Technician risk: scores from field execution's flags, routing completions to manual review.
    risk: bool = False
    # Verification review: served orders' evidence, approved (verified) or rejected (frozen).
    review: bool = False
    # Follow-up calls in the review period: the worklist, outcomes from the keyboard.
    followups: bool = False
    # Complaints from follow-up calls, upheld or dismissed (the server checks it too).
    complaints: bool = False
    # SLA time limits per region and step (时限), edited with edit_policies.
    sla_limits: bool = False
    # The SLA board (时效看板): live counts of warnings and breaches, on-time charts, exports.
    sla_board: bool = False
    # Urges (催单): the urge list by time left, replies, urging by hand.
    sla_urges: bool = False

    def title(self) -> str:
        return QCoreApplication.translate("Workspace", self.title_source)


SPECS: dict[str, WorkspaceSpec] = {
    # Agents take orders from intake to the visit; what awaits dispatch comes first.
    "agent": WorkspaceSpec(
        "agent", str(QT_TRANSLATE_NOOP("Workspace", "Dispatch desk")),
        OrderFilter(states=frozenset({"new", "audited", "placed", "classified", "dispatching",
                                      "assigned", "accepted", "appointed"})),
        priority_states=frozenset({"dispatching", "assigned"}),
        intake=True, dispatch=True, routes=True, pool=True, policies=True, technicians=True,
        review=True, followups=True, sla_limits=True, sla_urges=True,
    ),
    # Supervisors watch everything open and where it is stuck.
    "supervisor": WorkspaceSpec(
        "supervisor", str(QT_TRANSLATE_NOOP("Workspace", "Monitoring desk")), OrderFilter(),
        (Column.TIME_IN_STATE, DESC), state_summary=True,
        intake=True, edit_intake_settings=True, dispatch=True, routes=True, pool=True,
        policies=True, edit_policies=True, technicians=True, risk=True, review=True,
        followups=True, complaints=True, sla_limits=True, sla_board=True, sla_urges=True,
    ),
    # Finance sees the visit done onwards: verification, follow-up calls, settlement.
    "finance": WorkspaceSpec(
        "finance", str(QT_TRANSLATE_NOOP("Workspace", "Settlement desk")),
        OrderFilter(states=frozenset({"served", "verified", "in_review", "settleable",
                                      "settled"})),
    ),
    "admin": WorkspaceSpec(
        "admin", str(QT_TRANSLATE_NOOP("Workspace", "Administration desk")), state_summary=True,
        intake=True, edit_intake_settings=True, dispatch=True, routes=True, pool=True,
        policies=True, edit_policies=True, technicians=True, risk=True, review=True,
        followups=True, complaints=True, sla_limits=True, sla_board=True,
    ),
}


def spec_for(role: str) -> WorkspaceSpec:
    return SPECS.get(str(role), SPECS["admin"])
