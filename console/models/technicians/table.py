"""Technicians with their dispatch settings, as the technicians dock lists them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from console.models.row_table import RowTable
from core.contracts.people import TechnicianOut
from core.dispatch.ranking import skill_name

translate = QCoreApplication.translate

(NAME, POINT, COUNTY, SKILLS, CERTIFICATES, CAPACITY, LOAD, RATING, REFUSALS,
 ACTIVE) = range(10)
SEPARATOR = "、"


class TechnicianModel(RowTable[TechnicianOut]):
    """One technician a row, keyed by id; full today and inactive ones are flagged red."""

    numeric_columns = frozenset({CAPACITY, LOAD, RATING, REFUSALS})

    def titles(self) -> list[str]:
        return [
            translate("TechnicianModel", "Name"),
            translate("TechnicianModel", "Service point"),
            translate("TechnicianModel", "County"),
            translate("TechnicianModel", "Skills"),
            translate("TechnicianModel", "Certificates"),
            translate("TechnicianModel", "Daily capacity"),
            translate("TechnicianModel", "Today"),
            translate("TechnicianModel", "Rating"),
            translate("TechnicianModel", "Refusals (30 days)"),
            translate("TechnicianModel", "Active"),
        ]

    def key(self, row: TechnicianOut) -> int:
        return row.id

    def text(self, row: TechnicianOut, column: int) -> str:
        if column == NAME:
            return row.name
        if column == POINT:
            return row.service_point
        if column == COUNTY:
            return row.county_name or row.county_adcode
        if column == SKILLS:
            return SEPARATOR.join(skill_name(s) for s in row.skills)
        if column == CERTIFICATES:
            return SEPARATOR.join(row.qualifications)
        if column == CAPACITY:
            return str(row.daily_capacity)
        if column == LOAD:
            return str(row.load_today)
        if column == RATING:
            return f"{row.rating:.1f}"
        if column == REFUSALS:
            return str(row.refusals_30d)
        if column == ACTIVE:
            return (translate("TechnicianModel", "Yes") if row.active
                    else translate("TechnicianModel", "No"))
        return ""

    def sort_value(self, row: TechnicianOut, column: int) -> Any:
        numbers = {CAPACITY: row.daily_capacity, LOAD: row.load_today, RATING: row.rating,
                   REFUSALS: row.refusals_30d}
        return numbers.get(column, self.text(row, column))

    def warning(self, row: TechnicianOut, column: int) -> bool:
        if column == ACTIVE:
            return not row.active
        return column in (CAPACITY, LOAD) and row.load_today >= row.daily_capacity

    def tooltip(self, row: TechnicianOut, column: int) -> str:
        if column == SKILLS and row.skills:
            return translate("TechnicianModel", "Skill codes: {0}").format(", ".join(row.skills))
        if column in (CAPACITY, LOAD) and row.load_today >= row.daily_capacity:
            return translate("TechnicianModel", "Full today: dispatch gives this technician "
                             "no more orders")
        return ""
