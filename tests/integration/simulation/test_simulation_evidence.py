"""The simulation's technicians end their visits with evidence through the handlers: photos,
serials and the customer's code before they complete; the fraudsters' fakes are flagged and the
honest ones' are not; the photos' files live in a folder of the run's own, removed after."""

from __future__ import annotations

from pathlib import Path

import pytest
from simulated_world import Simulated
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.demo.evidence import CODE, PHOTOS
from core.fieldwork.flags import FlagKind
from core.fieldwork.position import PointKind
from core.storage.fieldwork.flags import flags_of
from core.storage.fieldwork.photos import PhotoRecord
from core.storage.fieldwork.serials import SerialRecord
from core.storage.tables import OrderEventRecord

PHOTO_FLAGS = {FlagKind.PHOTO_NO_EXIF, FlagKind.PHOTO_ELSEWHERE, FlagKind.PHOTO_REUSED}


@pytest.fixture(scope="module")
def finished(simulated: Simulated) -> tuple[Simulated, Engine]:
    """The shared run (half the technicians cheat), its database kept to read the evidence."""
    return simulated, simulated.engine


def _completed(engine: Engine) -> set[int]:
    with Session(engine) as session:
        return set(session.scalars(select(OrderEventRecord.order_id)
                                   .where(OrderEventRecord.kind == "complete")))


def test_every_completed_order_got_its_photos_and_serials_first(
        finished: tuple[Simulated, Engine]) -> None:
    day, engine = finished
    completed = _completed(engine)
    with Session(engine) as session:
        photos = dict(session.execute(select(PhotoRecord.order_id, func.count())
                                      .group_by(PhotoRecord.order_id)).all())
        serials = set(session.scalars(select(SerialRecord.order_id)))

    assert completed
    assert all(photos.get(o, 0) >= 4 for o in completed)
    assert completed <= serials
    assert day.tally.actions["complete"] == len(completed)


def test_honest_orders_used_the_customers_code_and_no_photo_looks_reused_or_elsewhere(
        finished: tuple[Simulated, Engine]) -> None:
    day, engine = finished
    truth = day.truth
    honest = _completed(engine) & truth.honest
    with Session(engine) as session:
        flags = flags_of(session, sorted(honest))

    assert honest
    assert not any(f.kind in {FlagKind.PHOTO_REUSED, FlagKind.PHOTO_ELSEWHERE,
                              FlagKind.SERIAL_REUSED, FlagKind.CODE_LOCKED}
                   for found in flags.values() for f in found)
    assert day.tally.actions["code_used"] >= len(honest) * 0.9


def test_the_fraudsters_faked_photos_and_guessed_codes_are_flagged(
        finished: tuple[Simulated, Engine]) -> None:
    day, engine = finished
    steps = day.truth.faked_steps
    faked_photos, guessed = steps.get(PHOTOS, set()), steps.get(CODE, set())
    with Session(engine) as session:
        flags = flags_of(session, sorted(faked_photos | guessed | day.truth.faked))
        placed = set(session.scalars(select(PhotoRecord.order_id)
                                     .where(PhotoRecord.point == PointKind.ADDRESS.value)))

    assert faked_photos and guessed
    unflagged = {o for o in faked_photos if not any(f.kind in PHOTO_FLAGS
                                                     for f in flags.get(o, []))}
    # Only a photo taken elsewhere on an order with no address point passes: nothing to
    # measure its place against.
    assert not unflagged & placed
    assert all(any(f.kind is FlagKind.CODE_FAILED for f in flags.get(o, [])) for o in guessed)
    assert all(flags.get(o) for o in day.truth.faked)  # every fraudulent order


def test_the_photos_folder_is_the_runs_own_and_is_removed_after(
        finished: tuple[Simulated, Engine]) -> None:
    day, _ = finished

    assert day.photo_bytes > 0
    assert not Path(day.photo_root).exists()
