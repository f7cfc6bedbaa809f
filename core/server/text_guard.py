"""One check of every query and path parameter, for every route: the text rule of
core.text (no NUL, control or bidi characters, one line) before any handler or query runs.

Bodies are checked by their schemas (core.contracts.fields); this covers what routes take from
the URL (searches, filters, a reason in a DELETE's query, path segments), so no route can
forget it and a NUL never reaches the database (PostgreSQL refuses it with a 500 otherwise).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.routing import APIRoute

from core.server.problems import field_error
from core.text import refusal

# A platform signs its push's query: the record is kept as it arrived and its signature judged
# as sent (core.server.intake.inbox), so its query is not this guard's to refuse.
RAW_QUERY_ROUTES = frozenset({("POST", "/v1/intake/{platform}")})


def _raw_query(request: Request) -> bool:
    route = request.scope.get("route")
    return (isinstance(route, APIRoute)
            and (request.method, route.path_format) in RAW_QUERY_ROUTES)


async def refuse_control_text(request: Request) -> None:
    """422 naming the first query or path parameter (name or value) the text rule refuses."""
    for name, value in request.path_params.items():
        if isinstance(value, str):
            problem = refusal(value)
            if problem is not None:
                raise field_error(422, ["path", name], problem)
    if _raw_query(request):
        return
    for name, value in request.query_params.multi_items():
        problem = refusal(name) or refusal(value)
        if problem is not None:
            raise field_error(422, ["query", name if refusal(name) is None else "?"], problem)
