"""Refilling an open assign dialog when the agent shows or hides other cities' technicians."""

from __future__ import annotations

import asyncio
from typing import Protocol

import shiboken6

from console.models.dispatch.candidates import CandidateModel
from console.presenters.messages import describe
from core.contracts.dispatch import CandidateOut
from ui.dispatch.assign_dialog import AssignDialog

_RUNNING: set[asyncio.Task[None]] = set()


class CandidateSource(Protocol):
    async def candidates(self, order_id: int, all_cities: bool = False
                         ) -> list[CandidateOut]: ...


async def _refill(model: CandidateModel, dialog: AssignDialog, order_id: int, on: bool,
                  client: CandidateSource) -> None:
    try:
        found = await client.candidates(order_id, all_cities=on)
    except Exception as exc:  # said in the dialog, which stays usable with the list it has
        if shiboken6.isValid(dialog):
            dialog.show_problem(describe(exc))
        return
    # Closed meanwhile: nothing to fill. A later toggle's answer wins over this one.
    if shiboken6.isValid(dialog) and dialog.all_cities.isChecked() == on:
        dialog.show_problem("")
        model.set_candidates(found)


def relist(model: CandidateModel, dialog: AssignDialog, order_id: int, on: bool,
           client: CandidateSource) -> None:
    """Fetch the order's candidates of every city (`on`) or of its own, into `model`."""
    task = asyncio.ensure_future(_refill(model, dialog, order_id, on, client))
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)
