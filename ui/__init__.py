"""Widget kit: reusable widgets, dialogs and the map; no business rules, no network."""

# pydantic resolves names lazily; first touched after PySide6 is imported, shiboken's import hook
# re-enters a half-initialised pydantic module (ImportError). Load pydantic and the wire schemas
# before any module here imports PySide6.
import core.contracts  # noqa: F401
