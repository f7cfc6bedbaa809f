"""Numbers a route takes from its path or query, bounded to what the database stores.

Every id and number the database compares is a signed 64-bit integer (BIGINT): a larger one
is the request's mistake (422 naming the parameter), never a driver overflow (500) or a
silent miss. tests/integration/server/test_api_bounds.py checks that every integer parameter
of every route carries these bounds.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval, Le
from fastapi import Query

BIGINT_MAX = 2**63 - 1

RowId = Annotated[int, Interval(ge=1, le=BIGINT_MAX)]  # a row's id, e.g. /v1/orders/{order_id}
Int64 = Annotated[int, Le(BIGINT_MAX)]  # any other number, with its own Query(ge=...)

MAX_PAGE = 2000  # rows one list answer may hold; each list route picks its default below it
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE, description="at most this many rows")]
