"""The candidate table's columns: load, rating, repeated refusals, and reasons with breaks first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_fakes import make_candidates

from console.models.dispatch.candidates import LOAD, RATING, REFUSED, WHY, CandidateModel


def test_refusals_show_per_technician_and_breaks_lead_the_reasons() -> None:
    candidates = make_candidates()
    refuser = candidates[1].model_copy(update={
        "technician": candidates[1].technician.model_copy(update={"refusals_30d": 4})})
    model = CandidateModel()
    model.set_candidates([candidates[0], refuser])

    assert model.headerData(REFUSED, Qt.Orientation.Horizontal) == "Refused (30 days)"
    assert model.index(0, REFUSED).data() == ""  # none: left blank, not "0"
    assert model.index(1, REFUSED).data() == "4"
    assert model.index(1, LOAD).data() == "6/6"
    assert model.index(0, RATING).data() == f"{candidates[0].technician.rating:.1f}"
    assert model.index(1, WHY).data().startswith("⚠ 缺少技能「空调」")
