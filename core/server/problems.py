"""Every error leaves the server as an application/problem+json body (core.contracts.Problem)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import (
    DataError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    StatementError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.contracts import Problem
from core.errors import LastmileError

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
DATABASE_RETRY_SECONDS = 5  # Retry-After on a 503 for an unreachable database
TITLES = {
    400: "Bad request", 401: "Not logged in", 403: "Not allowed", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 410: "Gone", 413: "Request too large",
    415: "Unsupported media type", 422: "Invalid request", 429: "Too many requests",
    500: "Internal error", 503: "Database unavailable",
}
# What the router answers with only the status phrase (no such path, a method it lacks).
ROUTING_ZH = {404: "没有这个接口", 405: "该接口不支持此请求方法"}
# Documented on routes so the OpenAPI page shows the error shape.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "description": TITLES[code]} for code in (401, 403, 404, 422, 503)
}


class ProblemError(Exception):
    """Raise from a route to answer with a problem body."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        current_version: int | None = None,
        errors: list[dict[str, object]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.problem = Problem(
            title=TITLES.get(status, "Error"), status=status, detail=detail,
            current_version=current_version, errors=errors,
        )
        self.headers = headers


def field_error(status: int, loc: list[str | int], msg: str) -> ProblemError:
    """A problem naming one request field, shaped like FastAPI's validation errors."""
    return ProblemError(status, f"{'.'.join(map(str, loc[1:]))}: {msg}",
                        errors=[{"loc": loc, "msg": msg}])


def respond(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True), status_code=problem.status,
        media_type=MEDIA_TYPE, headers=headers,
    )


def _problem(status: int, detail: str, **extra: Any) -> JSONResponse:
    return respond(Problem(title=TITLES.get(status, "Error"), status=status, detail=detail,
                           **extra))


async def _on_problem(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return respond(exc.problem, exc.headers)


async def _on_http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = str(exc.detail)
    if exc.status_code in ROUTING_ZH and detail == HTTPStatus(exc.status_code).phrase:
        detail = f"{ROUTING_ZH[exc.status_code]} ({detail})"  # the router's own refusals
    return respond(
        Problem(title=TITLES.get(exc.status_code, "Error"), status=exc.status_code,
                detail=detail),
        dict(exc.headers) if exc.headers else None,
    )


async def _on_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    locs = [list(e.get("loc", ())) for e in exc.errors()]
    errors: list[dict[str, object]] = [
        {"loc": loc, "msg": e.get("msg", ""), "type": e.get("type", "")}
        for loc, e in zip(locs, exc.errors(), strict=True)
    ]
    names = ", ".join(".".join(str(p) for p in loc[1:]) or "body" for loc in locs)
    return _problem(422, f"请求有误：{names} (invalid fields: {names})", errors=errors)


def problem_of(exc: LastmileError) -> ProblemError:
    """The problem answer for a domain refusal: its own status, message, field and headers."""
    if exc.loc:
        loc = list(exc.loc)
        detail = exc.detail or f"{'.'.join(map(str, loc[1:]))}: {exc.message}"
        return ProblemError(exc.status, detail, current_version=exc.current_version,
                            errors=[{"loc": loc, "msg": exc.message}], headers=exc.headers)
    return ProblemError(exc.status, exc.detail or exc.message,
                        current_version=exc.current_version, headers=exc.headers)


async def _on_lastmile_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LastmileError)
    problem = problem_of(exc)
    return respond(problem.problem, problem.headers)


async def _on_integrity(_: Request, exc: Exception) -> JSONResponse:
    return _problem(409, "数据已被同时写入的更改占用，请刷新后重试 (the change conflicts with "
                         "data written meanwhile; reload and retry)")


async def _on_database_down(request: Request, exc: Exception) -> JSONResponse:
    # The transaction was rolled back with the failed connection: nothing is half-written.
    log.warning("database unavailable during %s %s: %s", request.method, request.url.path,
                exc.__class__.__name__)
    return respond(Problem(title=TITLES[503], status=503,
                           detail="数据库暂时无法连接，请稍后重试 (the database is not "
                                  "reachable right now; try again shortly)"),
                   {"Retry-After": str(DATABASE_RETRY_SECONDS)})


def is_data_error(exc: BaseException) -> bool:
    """A value the database cannot store or compare (not a fault of the server or database).

    PostgreSQL: DataError (a NUL in text, a number out of range, bad text for a type).
    SQLite: the driver's OverflowError for an int beyond 64 bits, raised as is or wrapped.
    """
    if isinstance(exc, DataError):
        return True
    cause = exc.orig if isinstance(exc, StatementError) else exc
    return isinstance(cause, OverflowError) and "SQLite" in str(cause)


async def _on_statement_error(request: Request, exc: Exception) -> JSONResponse:
    if not is_data_error(exc):
        raise exc  # a fault of ours: the 500 path (_on_unexpected) logs it
    # hide_parameters keeps the customer's data out of this line (core.storage.db).
    log.info("data refused by the database in %s %s: %s", request.method, request.url.path,
             exc.__class__.__name__)
    return _problem(422, "数据库无法保存或比较其中的某个值 (a value is out of the database's "
                         "range: a number beyond 64 bits or text it cannot store)")


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error in %s %s", request.method, request.url.path, exc_info=exc)
    return _problem(500, f"服务器内部错误，已记录 (unexpected server error "
                         f"({exc.__class__.__name__}); it was logged)")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    # Every domain refusal, once: each error class carries its status (core.errors).
    app.add_exception_handler(LastmileError, _on_lastmile_error)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    # Two writers racing past the same existence check: the constraint decides.
    app.add_exception_handler(IntegrityError, _on_integrity)
    for db_cls in (OperationalError, InterfaceError, DisconnectionError, PoolTimeout):
        app.add_exception_handler(db_cls, _on_database_down)
    # Only a database that cannot be reached is a 503; a value it refuses is the request's.
    for data_cls in (DataError, StatementError, OverflowError):
        app.add_exception_handler(data_cls, _on_statement_error)
    app.add_exception_handler(Exception, _on_unexpected)
