"""The end of a visit in the headless simulation: a technician's photos, serials and code through
the service layer's handlers (those behind POST /v1/orders/{id}/photos, .../serials and
.../verification-code/check), and the customers' SMS.

The codes' SMS go out through a simulated provider the simulation keeps (`Texts`), sent by the
same outbox round the server runs on a schedule; a customer reads the latest one on his phone.
The photos' files go under a folder of the run's own (a temporary one, removed at the end).
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.demo.acting import StepReport
from core.demo.evidence import CodeAnswer, Needs, Shot, read_code
from core.errors import LastmileError
from core.fieldwork import codes as code_rule
from core.orders.model import Actor
from core.services.fieldwork.codes import CheckCode, handle_check_code
from core.services.fieldwork.photos import (
    ListPhotos,
    UploadPhoto,
    handle_list_photos,
    handle_upload,
)
from core.services.fieldwork.serials import (
    ListSerials,
    SubmitSerial,
    handle_list_serials,
    handle_submit_serial,
)
from core.services.fieldwork.sms import Delivery, SendPendingSms, SimulatedSms, handle_send_pending
from core.simulation.backend import Backend
from core.storage.fieldwork.photos import PhotoFiles
from core.storage.tables import OrderRecord

log = logging.getLogger(__name__)


class Texts:
    """The customers' SMS: the simulated provider and the outbox round that feeds it."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self.provider = SimulatedSms()

    def send_round(self) -> Delivery:
        """What the server's outbox round does for SMS: send what is due."""
        return handle_send_pending(SendPendingSms(self.provider), self._backend.new_uow())

    def latest_code(self, order_id: int) -> str | None:
        """The code in the latest SMS on the order's customer's phone (what he reads out)."""
        with Session(self._backend.engine) as session:
            phone = session.scalar(select(OrderRecord.customer_phone)
                                   .where(OrderRecord.id == order_id))
        if not phone:
            return None
        for sms in reversed(self.provider.to(phone)):
            code = read_code(sms.text)
            if code is not None:
                return code
        return None


class HandlerBench:
    """One technician's end of the visit (core.demo.evidence.Bench) through the handlers;
    counts into `report` as the demo does over HTTP."""

    def __init__(self, backend: Backend, actor: Actor, report: StepReport, texts: Texts,
                 photo_root: Path) -> None:
        self._backend, self._actor, self._report = backend, actor, report
        self._texts, self._files = texts, PhotoFiles(photo_root)

    async def needs(self, order_id: int) -> Needs:
        uow = self._backend.new_uow
        photos = handle_list_photos(ListPhotos(order_id, self._actor), uow())
        serials = handle_list_serials(ListSerials(order_id, self._actor), uow())
        return Needs(photos=photos.required, units=serials.units)

    async def upload(self, order_id: int, shot: Shot) -> bool:
        try:
            done = handle_upload(UploadPhoto(order_id, self._actor, shot.media_type, shot.data),
                                 self._backend.new_uow(), self._files)
        except LastmileError as exc:
            log.info("%s photo on %s refused: %s", self._actor.name, order_id, exc)
            self._report.rejected += 1
            return False
        if done.created:
            self._report.actions["photo"] += 1
        return True

    async def serial(self, order_id: int, unit: int, serial: str) -> bool:
        try:
            handle_submit_serial(SubmitSerial(order_id, self._actor, unit, serial),
                                 self._backend.new_uow())
        except LastmileError as exc:
            log.info("%s serial on %s refused: %s", self._actor.name, order_id, exc)
            self._report.rejected += 1
            return False
        self._report.actions["serial"] += 1
        return True

    async def customer_code(self, order_id: int) -> str | None:
        return self._texts.latest_code(order_id)

    async def code(self, order_id: int, code: str) -> CodeAnswer:
        try:
            handle_check_code(CheckCode(order_id, self._actor, code), self._backend.new_uow())
        except code_rule.WrongCode:
            self._report.actions["code_wrong"] += 1
            return CodeAnswer.WRONG
        except code_rule.CodeLocked:
            self._report.actions["code_locked"] += 1
            return CodeAnswer.LOCKED
        except code_rule.WrongLength:
            return CodeAnswer.WRONG_LENGTH
        except LastmileError as exc:
            log.info("%s code on %s refused: %s", self._actor.name, order_id, exc)
            return CodeAnswer.REFUSED
        self._report.actions["code_used"] += 1
        return CodeAnswer.USED
