"""One order's evidence chain as the reviewer reads it, top to bottom in the order of the visit:
the assessment, the appointment and its call, the check-in, the completion code, the photos side
by side (thumbnails arrive later, one by one) with their time, place and flags, the serial
numbers by unit (with every one they replaced), every flag."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import QFrame, QGroupBox, QScrollArea, QVBoxLayout, QWidget

from core.contracts.fieldwork.photos import PhotoOut
from core.contracts.fieldwork.review import EvidenceOut, FindingOut
from ui.fieldwork.review_labels import (
    call_verdict_labels,
    check_labels,
    code_state_labels,
    item_labels,
    label,
    outcome_labels,
    status_labels,
    verdict_labels,
)
from ui.flow_layout import FlowLayout
from ui.formatting import local_time
from ui.labels import service_type_labels
from ui.plain_text import PlainLabel

THUMB_BOX = 180  # pixels: a thumbnail is scaled to fit this square
COLOURS = {"satisfied": "#2e7d32", "missing": "#ef6c00", "flagged": "#c62828",
           "unavailable": "#616161"}
RED = "color: #c62828;"


def _metres(value: float | None) -> str:
    return "?" if value is None else str(round(value))


class PhotoTile(QFrame):
    """A photo's thumbnail (or what stands in for it) over its capture time, place and flags."""

    def __init__(self, photo: PhotoOut, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"photoTile_{photo.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.photo_id = photo.id
        self.image = PlainLabel(self)
        self.image.setObjectName("photoImage")
        self.image.setFixedSize(THUMB_BOX, THUMB_BOX)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setText(self.tr("Loading…"))
        self.caption = PlainLabel(self)
        self.caption.setObjectName("photoCaption")
        self.caption.setWordWrap(True)
        self.caption.setFixedWidth(THUMB_BOX)
        self.caption.setText(self._caption(photo))
        self.caption.setToolTip(photo.text)
        if photo.flags:
            self.caption.setStyleSheet(RED)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.image)
        layout.addWidget(self.caption)

    def _caption(self, photo: PhotoOut) -> str:
        checks = check_labels()
        taken = local_time(photo.taken_at) or self.tr("no capture time")
        place = (self.tr("{0} m from the address").format(_metres(photo.distance_m))
                 if photo.distance_m is not None else self.tr("no capture place"))
        lines = [taken, place, self.tr("time {0}, place {1}").format(
            label(checks, photo.time_check), label(checks, photo.place_check))]
        lines += [f.text for f in photo.flags]
        return "\n".join(lines)

    def set_image(self, image: QImage) -> None:
        pixmap = QPixmap.fromImage(image).scaled(
            THUMB_BOX, THUMB_BOX, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(pixmap)

    def set_unavailable(self) -> None:
        self.image.setText(self.tr("Thumbnail unavailable"))

    def has_image(self) -> bool:
        pixmap = self.image.pixmap()
        return pixmap is not None and not pixmap.isNull()


class EvidencePanel(QScrollArea):
    """Shows an EvidenceOut; the keyboard scrolls it (Up/Down, Page Up/Down) once focused.

    Signals: leaveRequested() on Escape (back to the queue).
    """

    leaveRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidencePanel")
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.evidence: EvidenceOut | None = None
        self.tiles: dict[int, PhotoTile] = {}
        page = QWidget(self)
        self._layout = QVBoxLayout(page)
        self.title = PlainLabel(page)
        self.title.setObjectName("evidenceTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.contact = self._label(page, "evidenceContact")
        self._layout.addWidget(self.title)
        self._layout.addWidget(self.contact)
        self.verdict = self._label(page, "evidenceVerdict")
        self.findings_box, self._findings = self._section(page, "evidenceFindings")
        self._findings.addWidget(self.verdict)
        self.finding_labels: list[PlainLabel] = []
        self.call_box, call = self._section(page, "evidenceCall")
        self.call = self._label(page, "evidenceCallText")
        call.addWidget(self.call)
        self.checkin_box, checkin = self._section(page, "evidenceCheckin")
        self.checkin = self._label(page, "evidenceCheckinText")
        checkin.addWidget(self.checkin)
        self.code_box, code = self._section(page, "evidenceCode")
        self.code = self._label(page, "evidenceCodeText")
        code.addWidget(self.code)
        self.photos_box, photos = self._section(page, "evidencePhotos")
        self.photos_summary = self._label(page, "evidencePhotosSummary")
        photos.addWidget(self.photos_summary)
        self._tiles_widget = QWidget(page)
        self._tiles = FlowLayout(self._tiles_widget)
        photos.addWidget(self._tiles_widget)
        self.serials_box, serials = self._section(page, "evidenceSerials")
        self.serials = self._label(page, "evidenceSerialsText")
        serials.addWidget(self.serials)
        self.flags_box, flags = self._section(page, "evidenceFlags")
        self.flags = self._label(page, "evidenceFlagsText")
        flags.addWidget(self.flags)
        self._layout.addStretch(1)
        self.setWidget(page)
        self._retranslate()
        self.clear()

    def _label(self, parent: QWidget, name: str) -> PlainLabel:
        found = PlainLabel(parent)
        found.setObjectName(name)
        found.setWordWrap(True)
        found.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return found

    def _section(self, parent: QWidget, name: str) -> tuple[QGroupBox, QVBoxLayout]:
        box = QGroupBox(parent)
        box.setObjectName(name)
        self._layout.addWidget(box)
        return box, QVBoxLayout(box)

    # -- what the presenter sets ---------------------------------------------------------

    def clear(self, text: str = "") -> None:
        self.evidence = None
        self.title.setText(text or self.tr("Choose an order in the queue to see its evidence."))
        for widget in (self.contact, self.verdict, self.call, self.checkin, self.code,
                       self.photos_summary, self.serials, self.flags):
            widget.setText("")
        self._set_findings([])
        self._set_tiles([])
        for box in self._boxes():
            box.setVisible(False)

    def show_evidence(self, evidence: EvidenceOut) -> None:
        self.evidence = evidence
        order = evidence.order
        for box in self._boxes():
            box.setVisible(True)
        kind = label(service_type_labels(), order.service_type) if order.service_type else "—"
        self.title.setText(self.tr("{0} · {1} · technician {2}").format(
            order.order_no, kind, order.technician_name or "—"))
        self.contact.setText(self.tr("{0} {1}, {2}\nserved {3}").format(
            order.customer_name, order.customer_phone, order.address,
            local_time(order.served_at) or "—"))
        assessment = evidence.assessment
        self.verdict.setText(self.tr("{0} — required of {1} ({2}): {3}").format(
            label(verdict_labels(), assessment.verdict), assessment.client_code, kind,
            self._required(evidence)))
        self.verdict.setStyleSheet(
            f"font-weight: bold; color: {COLOURS.get(self._worst(), '')};")
        self._set_findings(evidence.assessment.findings)
        self.call.setText(self._call_text(evidence))
        self.checkin.setText(self._checkin_text(evidence))
        self.code.setText(self._code_text(evidence))
        sheet = evidence.photos
        self.photos_summary.setText(self.tr("{0} of {1} photos, {2} without a flag").format(
            sheet.count, sheet.required, sheet.clean))
        self._set_tiles(sheet.photos)
        self.serials.setText(self._serials_text(evidence))
        self.flags.setText("\n".join(f.text for f in evidence.flags) or self.tr("No flags."))
        self.flags.setStyleSheet(RED if evidence.flags else "")

    def set_thumbnail(self, photo_id: int, image: QImage | None) -> bool:
        """The photo's thumbnail (None: it could not be had); False when not shown now."""
        tile = self.tiles.get(photo_id)
        if tile is None:
            return False
        if image is None or image.isNull():
            tile.set_unavailable()
        else:
            tile.set_image(image)
        return True

    # -- the sections' words -------------------------------------------------------------

    def _worst(self) -> str:
        return {"ready": "satisfied", "incomplete": "missing", "flagged": "flagged"}.get(
            self.evidence.assessment.verdict if self.evidence else "", "")

    def _set_findings(self, findings: Sequence[FindingOut]) -> None:
        for old in self.finding_labels:
            old.deleteLater()
        self.finding_labels = []
        items, statuses = item_labels(), status_labels()
        for finding in findings:
            line = self._label(self.findings_box, f"finding_{finding.item}")
            line.setText(self.tr("{0}: {1} — {2}").format(
                label(items, finding.item), label(statuses, finding.status), finding.text))
            line.setStyleSheet(f"color: {COLOURS.get(finding.status, '')};")
            self._findings.addWidget(line)
            self.finding_labels.append(line)

    def _required(self, evidence: EvidenceOut) -> str:
        wanted = evidence.assessment.requirement
        parts = []
        if wanted.call:
            parts.append(self.tr("a real call"))
        if wanted.checkin:
            parts.append(self.tr("check-in inside"))
        if wanted.code:
            parts.append(self.tr("the code used"))
        if wanted.photos_per_unit:
            parts.append(self.tr("{0} photos per unit, none flagged").format(
                wanted.photos_per_unit) if wanted.photos_clean
                else self.tr("{0} photos per unit").format(wanted.photos_per_unit))
        if wanted.serial:
            parts.append(self.tr("the serial number"))
        return self.tr(", ").join(parts) or self.tr("nothing")

    def _call_text(self, evidence: EvidenceOut) -> str:
        booking = evidence.appointment
        if booking is None:
            return self.tr("No appointment on record.")
        lines = [self.tr("{0} – {1}, booked {2} by {3}").format(
            local_time(booking.start), local_time(booking.end)[-5:],
            local_time(booking.requested_at), booking.requested_by),
            label(call_verdict_labels(), booking.call_verdict)]
        calls = evidence.calls.calls
        if not calls:
            lines.append(self.tr("No calls on the virtual number."))
        for call in calls:
            who = (self.tr("technician called") if call.caller_side == "technician"
                   else self.tr("customer called"))
            if call.connected:
                lines.append(self.tr("{0} {1}, {2} s").format(
                    local_time(call.started_at), who, call.duration_s))
            else:
                lines.append(self.tr("{0} {1}, not answered").format(
                    local_time(call.started_at), who))
        return "\n".join(lines)

    def _checkin_text(self, evidence: EvidenceOut) -> str:
        if not evidence.check_ins:
            return self.tr("No check-in on record.")
        row = evidence.check_ins[-1]
        lines = [self.tr("{0}: {1}").format(local_time(row.at),
                                            label(outcome_labels(), row.outcome))]
        if row.distance_m is not None:
            lines.append(self.tr("{0} m from the address (tolerance {1} m, {2})").format(
                _metres(row.distance_m), row.tolerance_m, row.tolerance_from))
        else:
            lines.append(self.tr("Distance not measured (tolerance {0} m)").format(
                row.tolerance_m))
        if row.recorded_role != "technician":
            lines.append(self.tr("Recorded by {0}: {1}").format(row.recorded_by, row.reason))
        return "\n".join(lines)

    def _code_text(self, evidence: EvidenceOut) -> str:
        status = evidence.code
        text = label(code_state_labels(), status.state)
        current = status.current
        if current is None:
            return text
        lines = [text, self.tr("issued {0} by {1}, {2} of {3} wrong tries").format(
            local_time(current.issued_at), current.issued_by, current.attempts,
            current.max_attempts)]
        if current.used_at is not None:
            lines.append(self.tr("used {0} by {1}").format(local_time(current.used_at),
                                                           current.used_by))
        return "\n".join(lines)

    def _serials_text(self, evidence: EvidenceOut) -> str:
        found = evidence.serials
        if found is None:
            return self.tr("Not shown by this server.")
        lines = [self.tr("{0} of {1} units with a serial number").format(
            len(found.serials), found.units)]
        for row in found.serials:
            lines.append(self.tr("Unit {0}: {1} (typed \"{2}\"), by {3} at {4}").format(
                row.unit, row.serial, row.typed, row.submitted_by,
                local_time(row.submitted_at)))
            if row.reason:
                lines.append(self.tr("  replacing an earlier one: {0}").format(row.reason))
        for row in found.history:
            if row.replaced_at is not None:
                lines.append(self.tr("  earlier for unit {0}: {1}, replaced by {2} at {3}")
                             .format(row.unit, row.serial, row.replaced_by or "",
                                     local_time(row.replaced_at)))
        return "\n".join(lines)

    def _set_tiles(self, photos: Sequence[PhotoOut]) -> None:
        for tile in self.tiles.values():
            self._tiles.removeWidget(tile)
            tile.deleteLater()
        self.tiles = {}
        for photo in photos:
            tile = PhotoTile(photo, self._tiles_widget)
            self._tiles.addWidget(tile)
            self.tiles[photo.id] = tile

    def _boxes(self) -> list[QGroupBox]:
        return [self.findings_box, self.call_box, self.checkin_box, self.code_box,
                self.photos_box, self.serials_box, self.flags_box]

    def _retranslate(self) -> None:
        self.findings_box.setTitle(self.tr("Assessment"))
        self.call_box.setTitle(self.tr("Appointment call"))
        self.checkin_box.setTitle(self.tr("Check-in"))
        self.code_box.setTitle(self.tr("Completion code"))
        self.photos_box.setTitle(self.tr("Photos"))
        self.serials_box.setTitle(self.tr("Serial numbers"))
        self.flags_box.setTitle(self.tr("Flags"))
        if self.evidence is not None:
            self.show_evidence(self.evidence)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.leaveRequested.emit()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
