"""The demo's technicians end their visits with evidence over HTTP before they complete: photos
on the photo route, serials, and the code the customer read from the app's own simulated SMS
provider; honest photos pass the server's judgement."""

from __future__ import annotations

import pytest
from simulator_world import World, simulated_world

from core.demo.evidence import CODE, PHOTOS


@pytest.fixture(scope="module")
def ended(tmp_path_factory: pytest.TempPathFactory) -> World:
    # The same rounds test_simulator reads, run once per process.
    return simulated_world(tmp_path_factory)


def test_every_visit_completed_sent_its_photos_and_serials_first(ended: World) -> None:
    assert ended.completed
    for order_id in ended.completed:
        photos, serials = ended.photos[order_id], ended.serials[order_id]
        assert photos["count"] >= photos["required"] > 0
        assert len(serials["serials"]) == serials["units"]


def test_photos_the_technician_really_took_pass_the_servers_judgement(
        ended: World) -> None:
    faked = ended.truth.faked_steps.get(PHOTOS, set())
    real = [p for o in ended.completed if o not in faked for p in ended.photos[o]["photos"]]

    assert real
    assert all("photo_reused" not in p["judged"] and "photo_elsewhere" not in p["judged"]
               for p in real)
    assert all(p["taken_at"] is not None for p in real)


def test_honest_technicians_used_the_code_the_customer_read_from_the_sms(
        ended: World) -> None:
    truth = ended.truth
    sent = {o: c["state"] for o, c in ended.codes.items() if c["current"] is not None}
    honest = {o: state for o, state in sent.items() if o not in truth.faked}

    assert honest and set(honest.values()) == {"used"}
    # What a fraudster away from the door typed were guesses, counted as wrong tries.
    guessed = truth.faked_steps.get(CODE, set())
    assert all(ended.codes[o]["current"]["attempts"] > 0 for o in guessed & set(sent))
