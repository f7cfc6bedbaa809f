"""SLA's routes, a module per concern (the business calendar, ...); `router` includes every
module's router (each module defines `router`), so a new concern needs no change elsewhere."""

import importlib
import pkgutil

from fastapi import APIRouter

router = APIRouter()
for _module in pkgutil.iter_modules(__path__):
    router.include_router(importlib.import_module(f"{__name__}.{_module.name}").router)
