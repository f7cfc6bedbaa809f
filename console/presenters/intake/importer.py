"""File import: read the chosen file, preview it on the server (dry run), then import it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from console.errors import ConsoleError
from console.language import pick_fields
from console.models.intake.preview import PreviewModel
from console.presenters.intake.actions import dead_reasons, receipt_summary
from console.presenters.intake.lists import IntakeClient
from console.presenters.messages import MessageRoute, describe
from console.presenters.tasks import spawn
from core.contracts.intake import IntakeReceipt, PlatformOut
from ui import labels
from ui.intake.import_dialog import ImportDialog

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

# A preview's texts: every one is the backend's judgement, none a person's words.
PREVIEW_TEXTS = frozenset({"problem", "reason", "note", "split_note", "classify_note"})
# Exports of a day's orders are a few megabytes; anything much larger is the wrong file.
MAX_FILE_BYTES = 20 * 1024 * 1024
SUFFIX_TYPES = {".csv": "text/csv", ".json": "application/json", ".xml": "application/xml",
                ".txt": "text/plain"}


def content_type_for(path: str, accepted: list[str]) -> str:
    """The Content-Type to send a file as: by its suffix, among what the platform accepts."""
    guess = SUFFIX_TYPES.get(Path(path).suffix.lower(), "")
    bare = [a.split(";")[0].strip() for a in accepted]
    if guess and (not accepted or guess in bare):
        return guess
    subtype = guess.rpartition("/")[2]
    for value, plain in zip(accepted, bare, strict=True):
        if subtype and subtype in plain:
            return value  # e.g. text/csv offered as application/csv
    return accepted[0] if accepted else (guess or "application/octet-stream")


def _current_task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


class ImportPresenter(QObject):
    """Opens one import dialog at a time and drives it.

    Signals: imported(object IntakeReceipt) after a file went in.
    """

    imported = Signal(object)

    def __init__(self, client: IntakeClient, route: MessageRoute,
                 parent_widget: QWidget | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._route = route
        self._parent_widget = parent_widget
        self.dialog: ImportDialog | None = None
        self.model: PreviewModel | None = None
        self._platforms: dict[str, PlatformOut] = {}
        self._last_platform = ""
        self._body: bytes | None = None
        self._path = ""
        self._task: asyncio.Task[Any] | None = None
        self.on_open: Callable[[ImportDialog], None] | None = None

    def open(self) -> ImportDialog:
        """Show the dialog (or raise the one already open) and load the platforms."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = ImportDialog(self._parent_widget)
        self.dialog, self.model = dialog, PreviewModel(dialog)
        self._body, self._path = None, ""
        dialog.set_preview_model(self.model)
        dialog.fileChosen.connect(self.file_chosen)
        dialog.platformChanged.connect(self.platform_changed)
        dialog.importRequested.connect(self.start_import)
        dialog.finished.connect(self._closed)
        dialog.open()
        self._run(self._load_platforms(), translate("ImportPresenter", "Loading the platforms"))
        if self.on_open is not None:
            self.on_open(dialog)
        return dialog

    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def _closed(self, _result: int) -> None:
        running = self._task is not None and not self._task.done()
        if running and self._task is not _current_task():
            self._task.cancel()  # type: ignore[union-attr]
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = self.model = None

    def _run(self, coro: Any, doing: str) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()  # a newer file or platform supersedes the preview under way
        self._task = spawn(self._guarded(coro), self._route, doing)

    async def _guarded(self, coro: Any) -> None:
        """Problems with the file or the server show in the dialog, not in a second box."""
        try:
            await coro
        except ConsoleError as exc:
            log.warning("import: %s", exc)
            if self.dialog is not None:
                self.dialog.set_busy(False)
                self.dialog.show_problem(describe(exc))

    async def _load_platforms(self) -> None:
        platforms = await self._client.intake_platforms()
        self._platforms = {p.name: p for p in platforms}
        if self.dialog is None:
            return
        names = labels.platform_labels()
        self.dialog.set_platforms([(p.name, p.label or labels.label(names, p.name))
                                   for p in platforms], self._last_platform)
        self._preview()

    # -- the file and the platform -----------------------------------------------------

    def file_chosen(self, path: str) -> None:
        if self.dialog is None:
            return
        try:
            size = Path(path).stat().st_size
            if size > MAX_FILE_BYTES:
                raise ValueError(translate("ImportPresenter", "the file is larger than {0} MB")
                                 .format(MAX_FILE_BYTES // (1024 * 1024)))
            self._body = Path(path).read_bytes()  # small (capped above): no thread needed
        except (OSError, ValueError) as exc:
            self._body, self._path = None, ""
            self.dialog.show_problem(translate("ImportPresenter", "Cannot read {0}: {1}").format(
                Path(path).name, exc.strerror if isinstance(exc, OSError) else exc))
            if self.model is not None:
                self.model.set_preview(None)
            return
        self._path = path
        self._preview()

    def platform_changed(self, platform: str) -> None:
        self._last_platform = platform
        self._preview()

    def _request(self) -> tuple[str, bytes, str, str] | None:
        if self.dialog is None or self._body is None:
            return None
        platform = self.dialog.platform()
        if platform not in self._platforms:
            return None
        accepted = list(self._platforms[platform].content_types)
        return platform, self._body, content_type_for(self._path, accepted), Path(self._path).name

    def _preview(self) -> None:
        request = self._request()
        if request is None or self.dialog is None:
            return
        if self.model is not None:
            self.model.set_preview(None)
        self.dialog.set_busy(True, translate("ImportPresenter", "Checking the file…"))
        self._run(self._fetch_preview(request),
                  translate("ImportPresenter", "Checking the file"))

    async def _fetch_preview(self, request: tuple[str, bytes, str, str]) -> None:
        preview = pick_fields(await self._client.preview_import(*request), PREVIEW_TEXTS)
        if self.dialog is None or self.model is None:
            return
        self.model.set_preview(preview)
        self.dialog.set_busy(False)
        self.dialog.show_preview(self.model.summary(), preview.ok_count > 0)

    # -- importing ---------------------------------------------------------------------

    def start_import(self) -> None:
        request = self._request()
        if request is None or self.dialog is None or self.busy():
            return
        self.dialog.set_busy(True, translate("ImportPresenter", "Importing…"))
        self._run(self._import(request), translate("ImportPresenter", "Importing the file"))

    async def _import(self, request: tuple[str, bytes, str, str]) -> None:
        receipt: IntakeReceipt = await self._client.import_file(*request)
        text = translate("ImportPresenter", "Imported {0}: {1}.").format(
            request[3], receipt_summary(receipt))
        if dead_reasons(receipt):
            self._route.warning(text + translate(
                "ImportPresenter", " Records with problems are in the problem list."))
        else:
            self._route.info(text)
        self.imported.emit(receipt)
        if self.dialog is not None:
            self.dialog.accept()
