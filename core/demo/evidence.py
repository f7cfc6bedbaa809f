"""What a demo technician's phone sends at the end of a visit, honest or not: the photos, the
appliance's serial numbers and the customer's completion code (the demo's and the simulation's).

An honest technician photographs the work (core.demo.camera: capture time during the visit,
GPS at the address with a phone's drift; no GPS when his phone gave no position at the
check-in, and now and then when only the camera's location is off), reads each unit's serial
off its nameplate, and asks the customer for the code the SMS brought (the technician never
sees it otherwise); now and then he mishears it once and types it again.

A fraudster (the same technicians core.demo.field.Phones chooses) who was not at the door
(his check-in faked) sends pictures he did not take there — one he sent on an earlier
order saved again (EXIF stripped, kept or rewritten to the visit), a screenshot or a picture
from the web without EXIF, or a photo taken at home — guesses codes (each wrong one counted,
the code locked at its limit) or sends none, and types a serial he made up or copied from an
earlier order. One who was at the door works like an honest one, but now and then recycles
photos or copies a serial. Every faked step sent is written into the simulation's truth
(Phones.truth), so an order counts as fraudulent only for what really reached the backend.

Where it goes through is a `Bench`: the HTTP API with the technician's login (the demo) or the
service layer's handlers (the headless simulation).
"""

from __future__ import annotations

import random
import re
import string
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from core.demo.camera import DEVICES, Place, photograph, resave
from core.demo.field import CHECK_IN, DRIFT_M, FAR_KM, Phones
from core.errors import Invalid
from core.fieldwork import serials as serial_rule
from core.fieldwork.position import gcj02_to_wgs84

PHOTOS, CODE, SERIAL = "photos", "code", "serial"  # the steps of the visit's end he may fake
# Honest phones.
NO_GPS_SHARE = 0.003  # the camera's location off for a visit (besides the phone's: Job.located)
OFFSET_SHARE = 0.7  # phones that write the capture time's offset (the others: China's time)
MISREAD_SHARE = 0.003  # the code misheard once, then typed again
# Fraudsters at the door: now and then lazy.
LAZY_PHOTO_SHARE = 0.3  # some of the photos recycled from earlier orders
COPIED_SERIAL_SHARE = 0.3  # a serial copied from an earlier order (either kind of fraudster)
# Fraudsters not at the door: what they send instead of photos of the work.
FAKE_PHOTO_WEIGHTS = {"recycled": 5, "screenshot": 3, "elsewhere": 2}  # PhotoKind values
RESAVE_WEIGHTS = {"same_bytes": 2, "stripped": 5, "rewritten": 3}
NO_CODE_SHARE = 0.2  # he completes without a code at all
GUESSES = (1, 6)  # wrong codes he tries (the default policy locks at 5)
DIGIT_CHOICES = (4, 10)  # the code's lengths (core.fieldwork.codes); he tries the first
ROLL = 12  # pictures a fraudster keeps to send again
SERIAL_PREFIXES = ("GR", "MD", "HR", "TCL", "AUX", "CH", "SKW", "WP")
_SMS_CODE = re.compile(r"核销码为\s*(\d+)")


class PhotoKind(StrEnum):
    TAKEN = "taken"  # at the visit, time and place in its EXIF
    NO_GPS = "no_gps"  # at the visit, location off
    RECYCLED = "recycled"  # a picture sent on an earlier order, saved again
    SCREENSHOT = "screenshot"  # no EXIF at all
    ELSEWHERE = "elsewhere"  # taken now, far from the address


@dataclass(frozen=True)
class Shot:
    data: bytes
    kind: PhotoKind
    media_type: str = "image/jpeg"

    @property
    def faked(self) -> bool:
        return self.kind not in (PhotoKind.TAKEN, PhotoKind.NO_GPS)


@dataclass(frozen=True)
class Job:
    """The visit being finished: the order, its technician, its address point (GCJ-02; None:
    the order has none), when he checked in (None: unknown) and now; `located`: his phone gave
    a position at the check-in (an honest phone with location off tags no photo either)."""

    order_id: int
    technician_id: int
    lat: float | None
    lng: float | None
    checked_in_at: datetime | None
    now: datetime
    located: bool = True


@dataclass(frozen=True)
class Needs:
    """What the technician's app shows before he completes: photos required, units."""

    photos: int
    units: int


class CodeAnswer(StrEnum):
    USED = "used"
    WRONG = "wrong"  # counted (CODE_FAILED)
    LOCKED = "locked"  # the limit reached (CODE_LOCKED), or locked already
    WRONG_LENGTH = "wrong_length"  # refused uncounted: the code has the other length
    REFUSED = "refused"  # no code, expired, used, not now


class Bench(Protocol):
    """Where a technician's end of the visit goes through."""

    async def needs(self, order_id: int) -> Needs: ...

    async def upload(self, order_id: int, shot: Shot) -> bool: ...

    async def serial(self, order_id: int, unit: int, serial: str) -> bool: ...

    async def customer_code(self, order_id: int) -> str | None:
        """The code the customer reads out from the latest SMS (None: he got none)."""
        ...

    async def code(self, order_id: int, code: str) -> CodeAnswer: ...


@dataclass
class Finished:
    """What one end of a visit sent."""

    photos: int = 0
    serials: int = 0
    codes: list[CodeAnswer] = field(default_factory=list)
    faked: set[str] = field(default_factory=set)


def read_code(sms_text: str) -> str | None:
    """The code in a completion-code SMS (core.fieldwork.codes.sms_text), as a customer reads it."""
    found = _SMS_CODE.search(sms_text)
    return found.group(1) if found else None


class Evidence:
    """Each technician's camera roll and notebook, and what he sends at the end of a visit;
    draws per order from `seed`, so a seed sends the same whatever order things happen in."""

    def __init__(self, phones: Phones, seed: int) -> None:
        self.phones, self._seed = phones, seed
        self._rolls: dict[int, deque[bytes]] = {}  # fraudsters' pictures sent before
        self._notebooks: dict[int, deque[str]] = {}  # fraudsters' serials typed before

    def _rng(self, job: Job, what: str) -> random.Random:
        return random.Random(f"{self._seed}:{job.order_id}:{job.technician_id}:{what}")

    def at_the_door(self, job: Job) -> bool:
        """Whether he was there: his check-in on the order was not faked."""
        return job.order_id not in self.phones.truth.faked_steps.get(CHECK_IN, set())

    # -- photos
    def plan(self, job: Job, count: int) -> list[PhotoKind]:
        """What each of the `count` photos he sends will be (before any is drawn)."""
        rng = self._rng(job, PHOTOS)
        fraudster = self.phones.is_fraudster(job.technician_id)
        if fraudster and not self.at_the_door(job):
            kind = rng.choices(list(FAKE_PHOTO_WEIGHTS), list(FAKE_PHOTO_WEIGHTS.values()))[0]
            return [PhotoKind(kind)] * count
        located = rng.random() >= NO_GPS_SHARE and job.located
        taken = PhotoKind.TAKEN if located else PhotoKind.NO_GPS
        lazy = rng.randint(1, count) if (fraudster and count
                                         and rng.random() < LAZY_PHOTO_SHARE) else 0
        return [PhotoKind.RECYCLED] * lazy + [taken] * (count - lazy)

    def photos(self, job: Job, count: int) -> list[Shot]:
        """The photos as the phone uploads them (a fraudster keeps them to send again)."""
        rng = self._rng(job, "pictures")
        device = DEVICES[job.technician_id % len(DEVICES)]
        shots = _distinct([self._shot(rng, job, kind, device)
                           for kind in self.plan(job, count)])
        if self.phones.is_fraudster(job.technician_id):
            roll = self._rolls.setdefault(job.technician_id, deque(maxlen=ROLL))
            roll.extend(s.data for s in shots)
        return shots

    def _shot(self, rng: random.Random, job: Job, kind: PhotoKind,
              device: tuple[str, str]) -> Shot:
        if kind in (PhotoKind.TAKEN, PhotoKind.NO_GPS):
            return self._taken(rng, job, device, kind is PhotoKind.TAKEN)
        return self._fake(rng, job, kind, device)

    def _visit_time(self, rng: random.Random, job: Job) -> datetime:
        start = (job.checked_in_at or job.now - timedelta(minutes=20)) + timedelta(minutes=1)
        seconds = max((job.now - start).total_seconds() - 10, 0)
        return job.now - timedelta(seconds=10 + rng.uniform(0, seconds))

    def _near(self, rng: random.Random, job: Job, off_m: float, at: datetime) -> Place | None:
        if job.lat is None or job.lng is None:
            return None
        true = gcj02_to_wgs84(job.lat, job.lng)
        fix = Phones._fix(rng, true.lat, true.lng, off_m, rng.uniform(4, 30), at)
        return Place(fix.lat, fix.lng, fix.accuracy_m)

    def _taken(self, rng: random.Random, job: Job, device: tuple[str, str],
               located: bool) -> Shot:
        at = self._visit_time(rng, job)
        place = self._near(rng, job, abs(rng.gauss(0, DRIFT_M)), at) if located else None
        data = photograph(rng, at, place, device, rng.random() < OFFSET_SHARE)
        return Shot(data, PhotoKind.TAKEN if place is not None else PhotoKind.NO_GPS)

    def _fake(self, rng: random.Random, job: Job, kind: PhotoKind,
              device: tuple[str, str]) -> Shot:
        roll = self._rolls.get(job.technician_id)
        if kind is PhotoKind.RECYCLED and roll:
            old = roll[rng.randrange(len(roll))]
            how = rng.choices(list(RESAVE_WEIGHTS), list(RESAVE_WEIGHTS.values()))[0]
            if how == "same_bytes":
                return Shot(old, PhotoKind.RECYCLED)
            if how == "stripped":
                return Shot(resave(old, rng, None, None, device), PhotoKind.RECYCLED)
            at = self._visit_time(rng, job)
            place = self._near(rng, job, abs(rng.gauss(0, DRIFT_M)), at)
            return Shot(resave(old, rng, at, place, device), PhotoKind.RECYCLED)
        if kind is PhotoKind.ELSEWHERE:
            at = job.now - timedelta(seconds=rng.uniform(30, 600))
            place = self._near(rng, job, rng.uniform(*FAR_KM) * 1000, at)
            if place is not None:
                return Shot(photograph(rng, at, place, device), PhotoKind.ELSEWHERE)
        # A screenshot or a picture from the web (also his first recycled one: nothing to
        # recycle yet): no EXIF.
        return Shot(photograph(rng, None, None, device), PhotoKind.SCREENSHOT)

    # -- serial numbers
    def serials(self, job: Job, units: int) -> tuple[list[str], bool]:
        """One serial per unit, and whether any was made up or copied."""
        rng = self._rng(job, SERIAL)
        fraudster = self.phones.is_fraudster(job.technician_id)
        made_up = fraudster and not self.at_the_door(job)
        serials = [plausible_serial(rng) for _ in range(units)]
        if not fraudster:
            return serials, False
        notebook = self._notebooks.setdefault(job.technician_id, deque(maxlen=ROLL))
        copied = bool(notebook) and rng.random() < COPIED_SERIAL_SHARE
        if copied:
            serials[rng.randrange(units)] = notebook[rng.randrange(len(notebook))]
        notebook.extend(s for s in serials if s not in notebook)
        return serials, made_up or copied

    # -- the completion code
    def code_tries(self, job: Job, heard: str | None) -> tuple[list[str], bool]:
        """The codes he types, in order, and whether they are guesses. At the door: the code
        the customer read out (`heard`), rarely misheard first; away from it: guesses, or
        none."""
        rng = self._rng(job, CODE)
        if self.at_the_door(job) or not self.phones.is_fraudster(job.technician_id):
            if heard is None:
                return [], False
            if rng.random() < MISREAD_SHARE:
                return [_misheard(rng, heard), heard], False
            return [heard], False
        if rng.random() < NO_CODE_SHARE:
            return [], False
        return [_guess(rng, DIGIT_CHOICES[0]) for _ in range(rng.randint(*GUESSES))], True


def _distinct(shots: list[Shot]) -> list[Shot]:
    """One order's photos, each picture once (the same bytes twice are one photo)."""
    seen: set[bytes] = set()
    kept = []
    for shot in shots:
        if shot.data not in seen:
            seen.add(shot.data)
            kept.append(shot)
    return kept


def _misheard(rng: random.Random, code: str) -> str:
    at = rng.randrange(len(code))
    wrong = rng.choice([d for d in string.digits if d != code[at]])
    return code[:at] + wrong + code[at + 1:]


def _guess(rng: random.Random, digits: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(digits))


def plausible_serial(rng: random.Random) -> str:
    """A nameplate's serial: a maker's prefix, the year and month made, a batch of letters and
    digits, a running number; drawn again in the rare case the serial rule would refuse it."""
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    while True:
        serial = (rng.choice(SERIAL_PREFIXES) + f"{rng.randint(20, 26)}{rng.randint(1, 12):02d}"
                  + "".join(rng.choice(letters) for _ in range(6))
                  + f"{rng.randrange(10_000):04d}")
        try:
            return serial_rule.check(serial)
        except Invalid:
            continue


async def finish_visit(bench: Bench, evidence: Evidence, job: Job) -> Finished:
    """Photos, serials and the code, as the technician sends them before he completes; what
    reached the backend is written into the truth (a faked step makes the order fraudulent)."""
    done = Finished()
    needs = await bench.needs(job.order_id)
    shots = evidence.photos(job, needs.photos)
    for shot in shots:
        if await bench.upload(job.order_id, shot):
            done.photos += 1
            if shot.faked:
                done.faked.add(PHOTOS)
    serials, faked_serial = evidence.serials(job, needs.units)
    for unit, serial in enumerate(serials, 1):
        if await bench.serial(job.order_id, unit, serial):
            done.serials += 1
            if faked_serial:
                done.faked.add(SERIAL)
    heard = await bench.customer_code(job.order_id) if evidence.at_the_door(job) else None
    tries, guessed = evidence.code_tries(job, heard)
    rng = random.Random(f"{job.order_id}:{job.technician_id}:lengths")
    for code in tries:
        answer = await bench.code(job.order_id, code)
        if answer is CodeAnswer.WRONG_LENGTH and guessed:  # the other length, then go on
            answer = await bench.code(job.order_id, _guess(rng, DIGIT_CHOICES[1]))
        done.codes.append(answer)
        if guessed and answer in (CodeAnswer.WRONG, CodeAnswer.LOCKED, CodeAnswer.USED):
            done.faked.add(CODE)  # a guess the backend took (a lucky one is still a guess)
        if answer is not CodeAnswer.WRONG:
            break
    truth = evidence.phones.truth
    for step in (PHOTOS, SERIAL, CODE):
        truth.record(job.order_id, step in done.faked, step)
    return done
