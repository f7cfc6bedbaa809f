"""Where the dispatch desk's candidate highlight (what Enter assigns) goes after a list loads.

At #1 whenever the list is of another order, after an assignment, and when other cities are
shown or hidden; a refresh of the same list keeps the technician the agent moved to, and a
highlight left at #1 stays at #1 (never following that technician down the list).
"""

from __future__ import annotations

from console.models.dispatch.candidates import CandidateModel
from ui.dispatch.tables import CandidateTable


class CandidateHighlight:
    """Follows the agent's moves in `table`; `placed(fresh)` after each load of `model`."""

    def __init__(self, table: CandidateTable, model: CandidateModel) -> None:
        self._table, self._model = table, model
        self.at_top = True  # the highlight is (to be put) on #1
        self._placing = False
        table.keySelected.connect(self._moved)

    def restart(self) -> None:
        """The next load puts the highlight on #1 again."""
        self.at_top = True

    def placed(self, fresh: bool) -> None:
        """The list was loaded (`fresh`: of another order than before)."""
        if not (fresh or self.at_top):
            return
        self._placing = True
        try:
            self._table.select_first()
        finally:
            self._placing = False
        self.at_top = True

    def _moved(self, key: object) -> None:
        if not self._placing and isinstance(key, int):
            self.at_top = self._model.row_of(key) == 0
