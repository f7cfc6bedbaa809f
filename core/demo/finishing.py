"""The end of a demo visit over HTTP (core.demo.evidence.Bench with the technician's login):
photos on POST /v1/orders/{id}/photos, serials on .../serials, the code on
.../verification-code/check; how many photos and units from the order's photo and serial lists.

The customer is simulated too: he reads the code from the latest SMS on his phone, from the
backend's own simulated SMS provider (the composition root hands it over); with a real provider
there is no phone to read, and the technician completes without a code.
"""

from __future__ import annotations

import logging

from core.demo.acting import StepReport
from core.demo.api import ApiError, ApiSession, Conflict
from core.demo.evidence import CodeAnswer, Needs, Shot, read_code
from core.services.fieldwork.sms import SimulatedSms

logger = logging.getLogger("core.demo.simulator")
WRONG_LENGTH_ZH = "核销码应为"  # how core.fieldwork.codes.WrongLength's refusal begins


class ApiBench:
    """One technician's end of a visit over HTTP; counts into `report`."""

    def __init__(self, session: ApiSession, report: StepReport,
                 sms: SimulatedSms | None) -> None:
        self._session, self._report, self._sms = session, report, sms

    async def needs(self, order_id: int) -> Needs:
        photos = await self._session.get(f"/v1/orders/{order_id}/photos")
        serials = await self._session.get(f"/v1/orders/{order_id}/serials")
        return Needs(photos=int(photos["required"]), units=int(serials["units"]))

    async def upload(self, order_id: int, shot: Shot) -> bool:
        try:
            done = await self._session.upload_photo(order_id, shot.data, shot.media_type)
        except ApiError as exc:
            self._report.rejected += 1
            logger.info("%s: photo on order %s refused: %s", self._session.username, order_id,
                        exc)
            return False
        if done.get("created"):
            self._report.actions["photo"] += 1
        return True

    async def serial(self, order_id: int, unit: int, serial: str) -> bool:
        try:
            await self._session.post(f"/v1/orders/{order_id}/serials",
                                     {"unit": unit, "serial": serial})
        except ApiError as exc:
            self._report.rejected += 1
            logger.info("%s: serial on order %s refused: %s", self._session.username,
                        order_id, exc)
            return False
        self._report.actions["serial"] += 1
        return True

    async def customer_code(self, order_id: int) -> str | None:
        if self._sms is None:
            return None
        try:  # the customer's own phone number: the technician sees it during the visit
            phone = (await self._session.get(f"/v1/orders/{order_id}"))["customer_phone"]
        except ApiError:
            return None
        for sms in reversed(self._sms.to(phone)):
            code = read_code(sms.text)
            if code is not None:
                return code
        return None

    async def code(self, order_id: int, code: str) -> CodeAnswer:
        try:
            await self._session.post(f"/v1/orders/{order_id}/verification-code/check",
                                     {"code": code})
        except Conflict as exc:
            locked = "锁定" in str(exc.problem.get("detail", ""))
            if locked:
                self._report.actions["code_locked"] += 1
                return CodeAnswer.LOCKED
            return CodeAnswer.REFUSED
        except ApiError as exc:
            if exc.status != 422:
                return CodeAnswer.REFUSED
            if str(exc.problem.get("detail", "")).startswith(WRONG_LENGTH_ZH):
                return CodeAnswer.WRONG_LENGTH
            self._report.actions["code_wrong"] += 1
            return CodeAnswer.WRONG
        self._report.actions["code_used"] += 1
        return CodeAnswer.USED
