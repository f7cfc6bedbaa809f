"""What a demo technician's phone sends at the end of a visit, judged by the server's own rules:
honest photos pass (time, place, no reuse), fraudsters' are flagged; the code the customer
reads out of the SMS, misheard rarely, guessed by those away; serials the serial rule takes."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from core.demo.camera import DEVICES, Place, photograph, resave
from core.demo.evidence import (
    CODE,
    COPIED_SERIAL_SHARE,
    LAZY_PHOTO_SHARE,
    MISREAD_SHARE,
    NO_GPS_SHARE,
    PHOTOS,
    SERIAL,
    CodeAnswer,
    Evidence,
    Finished,
    Job,
    Needs,
    PhotoKind,
    Shot,
    finish_visit,
    plausible_serial,
    read_code,
)
from core.demo.field import CHECK_IN, Phones
from core.fieldwork import codes as code_rule
from core.fieldwork import serials as serial_rule
from core.fieldwork.flags import FlagKind
from core.fieldwork.photos import (
    PhotoJudgement,
    Seen,
    Visit,
    judge_photo,
    perceptual_hash,
    reuses,
)
from core.fieldwork.position import tolerance_for
from core.services.fieldwork.images import inspect

CHECKED_IN = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
NOW = CHECKED_IN + timedelta(minutes=50)
LAT, LNG = 31.2304, 121.4737  # the address point (GCJ-02)
TOLERANCE = tolerance_for("310101", {})


def _job(order_id: int, technician_id: int) -> Job:
    return Job(order_id, technician_id, LAT, LNG, CHECKED_IN, NOW)


def _technicians(phones: Phones, fraudster: bool, n: int = 300) -> list[int]:
    return [t for t in range(1, n) if phones.is_fraudster(t) is fraudster]


@dataclass
class Server:
    """The server's photo rules over what was uploaded so far (core.fieldwork.photos)."""

    seen: list[Seen] = field(default_factory=list)

    def judge(self, order_id: int, shot: Shot) -> PhotoJudgement:
        inspected = inspect(shot.data, shot.media_type)
        phash = perceptual_hash(inspected.grey)
        sha = str(hash(shot.data))
        found = reuses(order_id, sha, phash, self.seen)
        self.seen.append(Seen(order_id, len(self.seen) + 1, sha, phash))
        return judge_photo(inspected.capture, Visit(CHECKED_IN, None, NOW), LAT, LNG, TOLERANCE,
                           found)


def _flags(judged: list[PhotoJudgement]) -> set[FlagKind]:
    return {f.kind for j in judged for f in j.flags}


def test_a_photo_is_small_and_its_exif_says_when_and_where_as_a_phone_writes_it() -> None:
    taken = NOW - timedelta(minutes=5)
    data = photograph(random.Random(1), taken, Place(31.2285, 121.4690, 12.0), DEVICES[0])

    capture = inspect(data, "image/jpeg").capture

    assert len(data) < 12_000
    assert capture.taken_at == taken.replace(microsecond=0)
    assert capture.gps is not None
    assert capture.gps.lat == pytest.approx(31.2285, abs=1e-6)
    assert capture.gps.lng == pytest.approx(121.4690, abs=1e-6)
    assert capture.gps.accuracy_m == 12.0


def test_a_screenshot_has_no_exif() -> None:
    data = photograph(random.Random(2), None, None, DEVICES[0])

    capture = inspect(data, "image/jpeg").capture

    assert capture.taken_at is None and capture.gps is None


def test_honest_photos_pass_the_servers_rules_and_never_look_reused() -> None:
    phones = Phones(seed=5, fraud_share=0.3)
    evidence = Evidence(phones, seed=5)
    server = Server()
    honest = _technicians(phones, fraudster=False)
    outcomes: Counter[str] = Counter()
    kinds: Counter[PhotoKind] = Counter()

    for order_id in range(1, 121):
        shots = evidence.photos(_job(order_id, honest[order_id % len(honest)]), 4)
        judged = [server.judge(order_id, s) for s in shots]
        assert len(shots) == 4
        assert FlagKind.PHOTO_REUSED not in _flags(judged)
        assert FlagKind.PHOTO_ELSEWHERE not in _flags(judged)
        outcomes["flagged" if _flags(judged) else "clean"] += 1
        kinds.update(s.kind for s in shots)

    assert not any(s.faked for s in shots)
    # Only the visits with the camera's location off are flagged (no place in the EXIF).
    assert outcomes["flagged"] == kinds[PhotoKind.NO_GPS] // 4
    assert outcomes["flagged"] / 120 <= NO_GPS_SHARE + 0.03


def test_honest_photos_without_gps_are_flagged_for_the_missing_place_only() -> None:
    phones = Phones(seed=5)
    evidence = Evidence(phones, seed=5)
    server = Server()
    orders = [o for o in range(1, 20_001) if evidence.plan(_job(o, 1), 4)[0] is PhotoKind.NO_GPS]

    assert len(orders) / 20_000 == pytest.approx(NO_GPS_SHARE, abs=0.0015)
    off = Job(1, 1, LAT, LNG, CHECKED_IN, NOW, located=False)  # no position at the check-in
    assert evidence.plan(off, 4) == [PhotoKind.NO_GPS] * 4
    judged = [server.judge(o, s) for o in orders[:5] for s in evidence.photos(_job(o, 1), 4)]
    assert {f.kind for j in judged for f in j.flags} == {FlagKind.PHOTO_NO_EXIF}
    assert all(f.detail["missing"] == ["place"] for j in judged for f in j.flags)


def test_a_recycled_picture_is_found_by_the_servers_rule_however_it_was_saved_again() -> None:
    server = Server()
    originals = [photograph(random.Random(n), NOW, None, DEVICES[1]) for n in range(200)]
    for n, data in enumerate(originals):
        server.judge(1000 + n, Shot(data, PhotoKind.TAKEN))

    found = 0
    for n, data in enumerate(originals):
        rng = random.Random(10_000 + n)
        again = resave(data, rng, NOW if n % 2 else None, None, DEVICES[2])
        judged = server.judge(n, Shot(again, PhotoKind.RECYCLED))
        found += any(r.order_id == 1000 + n for r in judged.reused)

    assert found == len(originals)


def test_a_fraudster_away_from_the_door_sends_photos_the_server_flags() -> None:
    phones = Phones(seed=9, fraud_share=0.5)
    evidence = Evidence(phones, seed=9)
    server = Server()
    cheats = _technicians(phones, fraudster=True)[:6]
    kinds: Counter[PhotoKind] = Counter()
    flagged = 0

    for order_id in range(1, 121):
        technician = cheats[order_id % len(cheats)]
        phones.truth.record(order_id, True, CHECK_IN)  # he checked in from elsewhere
        shots = evidence.photos(_job(order_id, technician), 4)
        judged = [server.judge(order_id, s) for s in shots]
        kinds.update(s.kind for s in shots)
        assert all(s.faked for s in shots)
        flagged += bool(_flags(judged))

    assert flagged == 120
    assert kinds[PhotoKind.RECYCLED] and kinds[PhotoKind.SCREENSHOT] \
        and kinds[PhotoKind.ELSEWHERE]


def test_each_kind_of_fake_is_flagged_as_what_it_is() -> None:
    phones = Phones(seed=9, fraud_share=0.5)
    evidence = Evidence(phones, seed=9)
    server = Server()
    cheat = _technicians(phones, fraudster=True)[0]
    by_kind: dict[PhotoKind, set[FlagKind]] = {}

    for order_id in range(1, 61):
        phones.truth.record(order_id, True, CHECK_IN)
        for shot in evidence.photos(_job(order_id, cheat), 4):
            by_kind.setdefault(shot.kind, set()).update(
                f.kind for f in server.judge(order_id, shot).flags)

    assert FlagKind.PHOTO_REUSED in by_kind[PhotoKind.RECYCLED]
    assert by_kind[PhotoKind.SCREENSHOT] == {FlagKind.PHOTO_NO_EXIF}
    assert by_kind[PhotoKind.ELSEWHERE] == {FlagKind.PHOTO_ELSEWHERE}


def test_a_fraudster_at_the_door_is_now_and_then_lazy_with_photos() -> None:
    phones = Phones(seed=9, fraud_share=0.5)
    evidence = Evidence(phones, seed=9)
    cheat = _technicians(phones, fraudster=True)[0]

    plans = [evidence.plan(_job(o, cheat), 4) for o in range(1, 2001)]

    lazy = [p for p in plans if PhotoKind.RECYCLED in p]
    assert len(lazy) / 2000 == pytest.approx(LAZY_PHOTO_SHARE, abs=0.03)
    assert all(set(p) <= {PhotoKind.RECYCLED, PhotoKind.TAKEN, PhotoKind.NO_GPS}
               for p in plans)
    shots = evidence.photos(_job(1, cheat), 4)
    assert [s.kind for s in shots] == [PhotoKind.TAKEN] * 4 or any(s.faked for s in shots)


def test_the_same_seed_sends_the_same_pictures() -> None:
    first = Evidence(Phones(seed=4, fraud_share=0.5), seed=4).photos(_job(8, 3), 2)
    again = Evidence(Phones(seed=4, fraud_share=0.5), seed=4).photos(_job(8, 3), 2)

    assert [s.data for s in first] == [s.data for s in again]


# -- serials ------------------------------------------------------------------------------------

def test_plausible_serials_pass_the_serial_rule_and_do_not_repeat() -> None:
    rng = random.Random(3)
    serials = [plausible_serial(rng) for _ in range(5000)]

    assert all(serial_rule.check(s) == s for s in serials)
    assert len(set(serials)) == len(serials)


def test_a_fraudster_now_and_then_copies_a_serial_from_an_earlier_order() -> None:
    phones = Phones(seed=6, fraud_share=0.5)
    evidence = Evidence(phones, seed=6)
    cheat = _technicians(phones, fraudster=True)[0]
    honest = _technicians(phones, fraudster=False)[0]
    typed: list[str] = []
    copied = 0

    for order_id in range(1, 401):
        serials, faked = evidence.serials(_job(order_id, cheat), 1)
        copied += serials[0] in typed
        assert faked is (serials[0] in typed)  # at the door: only a copy is faked
        typed += serials
        assert evidence.serials(_job(order_id, honest), 2)[1] is False

    assert copied / 400 == pytest.approx(COPIED_SERIAL_SHARE, abs=0.07)


# -- the completion code ------------------------------------------------------------------------

def test_the_customer_reads_the_code_out_of_the_sms_the_backend_sends() -> None:
    text = code_rule.with_code(code_rule.sms_text(NOW), "0427")

    assert read_code(text) == "0427"
    assert read_code("【Lastmile】您的订单已派出") is None


def test_an_honest_technician_types_the_code_he_heard_rarely_misheard_first() -> None:
    phones = Phones(seed=2, fraud_share=0.5)
    evidence = Evidence(phones, seed=2)
    honest = _technicians(phones, fraudster=False)[0]

    tries = [evidence.code_tries(_job(o, honest), "5810") for o in range(1, 4001)]

    assert all(t[-1] == "5810" and not guessed for t, guessed in tries)
    misheard = [t for t, _ in tries if len(t) == 2]
    assert len(misheard) / 4000 == pytest.approx(MISREAD_SHARE, abs=0.004)
    assert all(len(t[0]) == 4 and t[0] != "5810" for t in misheard)
    assert evidence.code_tries(_job(1, honest), None) == ([], False)  # no SMS came


def test_a_fraudster_away_from_the_door_guesses_or_sends_no_code() -> None:
    phones = Phones(seed=2, fraud_share=0.5)
    evidence = Evidence(phones, seed=2)
    cheat = _technicians(phones, fraudster=True)[0]
    for order_id in range(1, 201):
        phones.truth.record(order_id, True, CHECK_IN)

    tries = [evidence.code_tries(_job(o, cheat), "5810") for o in range(1, 201)]

    guessed = [t for t, g in tries if g]
    assert guessed and all(t and all(len(c) == 4 and c.isdigit() for c in t) for t in guessed)
    assert any(len(t) >= 5 for t in guessed)  # some go on until the code locks
    assert all(t == [] for t, g in tries if not g)


# -- the whole end of a visit ------------------------------------------------------------------

@dataclass
class FakeBench:
    """The backend's answers: every upload and serial taken; the code checked as the real
    handler counts it (five tries)."""

    heard: str | None = "2468"
    photos: list[Shot] = field(default_factory=list)
    serials: list[tuple[int, str]] = field(default_factory=list)
    tries: list[str] = field(default_factory=list)

    async def needs(self, order_id: int) -> Needs:
        return Needs(photos=8, units=2)

    async def upload(self, order_id: int, shot: Shot) -> bool:
        self.photos.append(shot)
        return True

    async def serial(self, order_id: int, unit: int, serial: str) -> bool:
        self.serials.append((unit, serial))
        return True

    async def customer_code(self, order_id: int) -> str | None:
        return self.heard

    async def code(self, order_id: int, code: str) -> CodeAnswer:
        self.tries.append(code)
        if self.heard is not None and len(code) != len(self.heard):
            return CodeAnswer.WRONG_LENGTH
        if code == self.heard:
            return CodeAnswer.USED
        return CodeAnswer.LOCKED if len(self.tries) >= 5 else CodeAnswer.WRONG


def _finish(evidence: Evidence, job: Job, bench: FakeBench) -> Finished:
    return asyncio.run(finish_visit(bench, evidence, job))


def test_an_honest_visit_ends_with_its_photos_serials_and_the_code_and_stays_honest() -> None:
    phones = Phones(seed=1, fraud_share=0.0)
    evidence = Evidence(phones, seed=1)
    bench = FakeBench()
    phones.truth.record(7, False, CHECK_IN)

    done = _finish(evidence, _job(7, 3), bench)

    assert done.photos == 8 and len(bench.photos) == 8
    assert [u for u, _ in bench.serials] == [1, 2]
    assert bench.tries[-1] == "2468" and done.codes[-1] is CodeAnswer.USED
    assert done.faked == set()
    assert 7 in phones.truth.honest and 7 not in phones.truth.faked


def test_a_fraudster_away_writes_every_step_he_faked_into_the_truth() -> None:
    phones = Phones(seed=2, fraud_share=1.0)
    evidence = Evidence(phones, seed=2)
    faked: Counter[str] = Counter()
    for order_id in range(1, 41):
        phones.truth.record(order_id, True, CHECK_IN)
        bench = FakeBench()
        done = _finish(evidence, _job(order_id, 5), bench)
        faked.update(done.faked)
        assert "2468" not in bench.tries  # he never heard it
        if CODE in done.faked:
            assert done.codes[0] in (CodeAnswer.WRONG, CodeAnswer.LOCKED)
        for step in done.faked:
            assert order_id in phones.truth.faked_steps[step]

    assert faked[PHOTOS] == 40 and faked[SERIAL] == 40  # nothing real to send
    assert 0 < faked[CODE] < 40  # some complete without a code


def test_guesses_stop_at_the_lock() -> None:
    phones = Phones(seed=2, fraud_share=1.0)
    evidence = Evidence(phones, seed=2)
    for order_id in range(1, 80):
        phones.truth.record(order_id, True, CHECK_IN)
        bench = FakeBench()
        done = _finish(evidence, _job(order_id, 5), bench)
        assert len(bench.tries) <= 5
        assert CodeAnswer.LOCKED not in done.codes[:-1]
