"""SLA's tables and queries, a module per concern (the business calendar, ...). Importing the
package imports every module in it, so each table is part of the schema's metadata
(core.storage.tables imports this package at its end)."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
