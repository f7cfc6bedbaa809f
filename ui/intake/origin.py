"""The detail panel's "Origin" section: how the conversion centre made this order, and why."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from core.contracts.intake import OrderOrigin
from ui import labels
from ui.intake import labels as intake_labels
from ui.plain_text import PlainLabel

KEYS = ("platform_orders", "split", "merged", "dropped", "audit", "placement", "covered",
        "standard", "classify")


class OriginBox(QGroupBox):
    """Shows an OrderOrigin; rows with nothing to say are hidden. Hidden itself when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("originBox")
        self._origin: OrderOrigin | None = None
        self._form = QFormLayout(self)
        self._names: dict[str, QLabel] = {}
        self.fields: dict[str, QLabel] = {}
        for key in KEYS:
            value = PlainLabel(self)
            value.setObjectName(f"origin_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._names[key] = PlainLabel(self)
            self.fields[key] = value
            self._form.addRow(self._names[key], value)
        self.retranslate()
        self.setVisible(False)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Origin"))
        names = (self.tr("Platform orders"), self.tr("Split"), self.tr("Merged from"),
                 self.tr("No visit needed"), self.tr("Audit"), self.tr("Placement"),
                 self.tr("Covered"), self.tr("Region standard"), self.tr("Classification"))
        for key, text in zip(KEYS, names, strict=True):
            self._names[key].setText(text)
        if self._origin is not None:
            self.show_origin(self._origin)

    def origin(self) -> OrderOrigin | None:
        return self._origin

    def text_of(self, key: str) -> str:
        """What a row shows ("" when it is hidden)."""
        value = self.fields[key]
        return value.text() if self._form.isRowVisible(value) else ""

    def clear(self) -> None:
        self._origin = None
        self.setVisible(False)

    def show_origin(self, origin: OrderOrigin | None) -> None:
        """None: an order the centre did not make (entered by hand): no section at all."""
        self._origin = origin
        if origin is None:
            self.setVisible(False)
            return
        platform = ", ".join(origin.platform_order_ids)
        if origin.trade:
            trade = labels.label(labels.trade_labels(), origin.trade)
            platform = self.tr("{0} (trade: {1})").format(platform, trade)
        self._set("platform_orders", platform)
        self._set("split", origin.split_note)
        self._set("merged", ", ".join(origin.merged_from))
        self._set("dropped", "\n".join(
            self.tr("{0} ({1}) ×{2}: {3}").format(d.name, d.sku, d.quantity, d.reason)
            for d in origin.dropped))
        self._set("audit", self._audit(origin))
        self._set("placement", self._placement(origin))
        covered = {True: self.tr("Yes"), False: self.tr("No: outside the network"),
                   None: self.tr("Not checked")}[origin.covered]
        self._set("covered", covered)
        self._set("standard", self._standard(origin))
        self._set("classify", origin.classify_note)
        self.setVisible(True)

    def _set(self, key: str, text: str) -> None:
        self.fields[key].setText(text)
        self._form.setRowVisible(self.fields[key], bool(text))

    def _audit(self, origin: OrderOrigin) -> str:
        decision = labels.label(intake_labels.audit_decision_labels(), origin.audit_decision)
        head = self.tr("{0}, risk score {1}").format(decision, origin.audit_score)
        flags = [self.tr("• {0} (+{1})").format(f.reason, f.score) for f in origin.audit_flags]
        return "\n".join([head, *flags])

    def _placement(self, origin: OrderOrigin) -> str:
        p = origin.placement
        if p is None:
            return ""
        where = " ".join(part for part in (p.province, p.city, p.county) if part)
        if p.adcode:
            where = f"{where} · {p.adcode}" if where else p.adcode
        method = labels.label(intake_labels.placement_method_labels(), p.method)
        how = self.tr("by {0}, confidence {1}%").format(method, round(p.confidence * 100))
        return "\n".join(part for part in (where or self.tr("Not placed"), how, p.note) if part)

    def _standard(self, origin: OrderOrigin) -> str:
        standard = origin.region_standard
        if not standard:
            return ""
        names = intake_labels.standard_labels()
        each = self.tr("{0}: {1}")
        return "\n".join(each.format(labels.label(names, key), value)
                         for key, value in standard.items() if key != "adcode")
