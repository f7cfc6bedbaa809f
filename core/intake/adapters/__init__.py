"""Platform adapters, found by module: adding a platform is adding one module with `ADAPTER`."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from core.intake.adapters.base import Adapter
from core.intake.errors import PayloadRejected, UnknownPlatform
from core.intake.model import PlatformOrder, RawRecord


@cache
def _registry() -> dict[str, Adapter]:
    found: dict[str, Adapter] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        adapter = getattr(module, "ADAPTER", None)
        if adapter is not None:
            found[adapter.name] = adapter
    return dict(sorted(found.items()))


def platforms() -> list[str]:
    """The platform names adapters exist for."""
    return list(_registry())


def get_adapter(name: str) -> Adapter:
    try:
        return _registry()[name]
    except KeyError:
        raise UnknownPlatform(name, platforms()) from None


def media_type(content_type: str) -> str:
    """The bare media type of a Content-Type value: "application/json;charset=GBK" -> json's."""
    return content_type.split(";", 1)[0].strip().lower()


def reads(adapter: Adapter, content_type: str) -> bool:
    """Whether the adapter reads bodies of this Content-Type (a form post is not JSON)."""
    return media_type(content_type) in {media_type(known) for known in adapter.content_types}


def read(
    adapter: Adapter, payload: bytes, content_type: str = "application/json"
) -> list[tuple[RawRecord, PlatformOrder | PayloadRejected]]:
    """Every record of a payload with its platform order or the reason it was refused.

    Raises PayloadRejected only when the envelope itself is unusable.
    """
    results: list[tuple[RawRecord, PlatformOrder | PayloadRejected]] = []
    for record in adapter.records(payload, content_type):
        try:
            results.append((record, adapter.parse(record)))
        except PayloadRejected as exc:
            results.append((record, exc))
    return results


__all__ = ["Adapter", "get_adapter", "media_type", "platforms", "read", "reads"]
