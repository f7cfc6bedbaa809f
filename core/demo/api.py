"""The simulator's view of the backend: one logged-in user per session, errors as exceptions."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

import httpx

from core.contracts.fieldwork.appointments import AppointmentIn, ContactAttemptIn
from core.contracts.fieldwork.checkin import CheckInRequest, PositionIn
from core.contracts.fieldwork.completion import CannotCompleteRequest, CompleteRequest
from core.contracts.fieldwork.review import VerificationDecision
from core.contracts.orders import ActionRequest, OrderCreate
from core.fieldwork.appointments import ContactReason, RescheduleReason
from core.fieldwork.position import Fix
from core.orders.lifecycle import CannotCompleteCode

logger = logging.getLogger(__name__)


class SimulatorError(Exception):
    """Base of the errors the simulator's API sessions raise."""


class BackendUnavailable(SimulatorError):
    """The backend cannot be reached or says its database is down: wait and try again."""


class ApiError(SimulatorError):
    """The backend refused a request; `problem` is its problem+json body when it sent one."""

    def __init__(self, status: int, problem: dict[str, Any], what: str) -> None:
        self.status, self.problem = status, problem
        detail = problem.get("detail") or problem.get("title") or ""
        super().__init__(f"{what}: HTTP {status} {detail}".strip())


class Conflict(ApiError):
    """409: the order changed meanwhile, or an order with that platform id exists already."""


class LoginFailed(SimulatorError):
    """The demo user does not exist or its password is not the demo one."""


class ApiSession:
    """One user logged in to the backend; logs in again once when the token expires."""

    def __init__(self, client: httpx.AsyncClient, username: str, password: str = "demo") -> None:
        self.client, self.username, self._password = client, username, password
        self._token: str | None = None
        self.technician_id: int | None = None

    async def login(self) -> None:
        try:
            response = await self.client.post(
                "/v1/auth/login", json={"username": self.username, "password": self._password}
            )
        except httpx.TransportError as exc:
            raise BackendUnavailable(f"login {self.username}: {exc!r}") from exc
        if response.status_code in (401, 403, 404, 422):
            raise LoginFailed(f"demo user '{self.username}' cannot log in")
        _raise_for(response, f"login {self.username}")
        body = response.json()
        self._token = body["access_token"]
        self.technician_id = body["user"].get("technician_id")

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return await self._request("GET", path, params=params)

    async def post(
        self, path: str, body: dict[str, Any], params: dict[str, Any] | None = None
    ) -> Any:
        return await self._request("POST", path, json=body, params=params)

    async def create_order(self, order: OrderCreate) -> dict[str, Any]:
        body: dict[str, Any] = await self._request(
            "POST", "/v1/orders", json=order.model_dump(mode="json")
        )
        return body

    async def act(
        self, order_id: int, action: str, version: int, reason: str = "", **fields: Any
    ) -> dict[str, Any]:
        """One lifecycle action based on `version`; returns the order's detail afterwards."""
        request = ActionRequest(action=action, version=version, reason=reason, **fields)
        body: dict[str, Any] = await self._request(
            "POST", f"/v1/orders/{order_id}/actions",
            json=request.model_dump(mode="json", exclude_none=True),
        )
        return body

    async def complete(self, order_id: int, version: int, note: str = "") -> dict[str, Any]:
        """Complete (POST .../complete): the result, with what the backend's check did."""
        body: dict[str, Any] = await self._request(
            "POST", f"/v1/orders/{order_id}/complete",
            json=CompleteRequest(version=version, note=note).model_dump(mode="json"))
        return body

    async def cannot_complete(self, order_id: int, version: int, code: str,
                              note: str) -> dict[str, Any]:
        """The visit cannot be done (POST .../cannot-complete): the order afterwards."""
        request = CannotCompleteRequest(version=version, reason_code=CannotCompleteCode(code),
                                        note=note)
        body: dict[str, Any] = await self._request(
            "POST", f"/v1/orders/{order_id}/cannot-complete",
            json=request.model_dump(mode="json"))
        return body

    async def decide_verification(self, order_id: int, version: int, approve: bool,
                                  reason: str) -> dict[str, Any]:
        """Approve or reject a served order (POST .../verification-review)."""
        request = VerificationDecision(approve=approve, version=version, reason=reason)
        body: dict[str, Any] = await self._request(
            "POST", f"/v1/orders/{order_id}/verification-review",
            json=request.model_dump(mode="json"))
        return body

    async def check_in(self, order_id: int, version: int, position: Fix | None,
                       reason: str = "") -> dict[str, Any]:
        """Check in on an order with the phone's position (None: none sent), based on
        `version`; the result (state, outcome, flags)."""
        request = CheckInRequest(
            version=version, reason=reason,
            position=None if position is None else PositionIn(
                lat=position.lat, lng=position.lng, accuracy_m=position.accuracy_m,
                fix_at=position.at))
        body: dict[str, Any] = await self._request(
            "POST", f"/v1/orders/{order_id}/check-in", json=request.model_dump(mode="json"))
        return body

    async def book(self, order_id: int, version: int, start: datetime, end: datetime,
                   reason: str = "", reason_code: str | None = None) -> dict[str, Any]:
        """Book (or reschedule, with its reason code) a window on the order based on `version`;
        the result (order id, version, state, appointment, flags)."""
        request = AppointmentIn(version=version, start=start, end=end, reason=reason,
                                reason_code=None if reason_code is None
                                else RescheduleReason(reason_code))
        body: dict[str, Any] = await self._request(
            "POST", f"/v1/orders/{order_id}/appointment",
            json=request.model_dump(mode="json", exclude_none=True))
        return body

    async def free_windows(self, technician_id: int, day: date,
                           for_order: int | None = None) -> list[tuple[datetime, datetime]]:
        """The technician's free 2-hour windows on a day (Beijing), his order's own left out."""
        params: dict[str, Any] = {"date": day.isoformat()}
        if for_order is not None:
            params["for_order"] = for_order
        found = await self.get(f"/v1/technicians/{technician_id}/free-windows", params=params)
        return [(datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]))
                for s in found["free"] if s["kind"] == "window"]

    async def virtual_number(self, order_id: int) -> dict[str, Any]:
        """The order's virtual number as its technician's app shows it: {status, virtual_number,
        expires_at}, status none, pending or bound."""
        body: dict[str, Any] = await self.get(f"/v1/orders/{order_id}/virtual-number")
        return body

    async def contact_attempt(self, order_id: int, reason_code: str) -> dict[str, Any]:
        """A failed attempt to reach the customer, with the platforms' reason code."""
        request = ContactAttemptIn(reason_code=ContactReason(reason_code))
        body: dict[str, Any] = await self._request(
            "POST", f"/v1/orders/{order_id}/contact-attempts",
            json=request.model_dump(mode="json", exclude_none=True))
        return body

    async def push_calls(self, body: bytes, headers: dict[str, str]) -> int:
        """The virtual-number provider's push of call records (signed: no login); the status."""
        try:
            response = await self.client.post("/v1/axb/call-records", content=body,
                                              headers={**headers,
                                                       "content-type": "application/json"})
        except httpx.TransportError as exc:
            raise BackendUnavailable(f"call records: {exc!r}") from exc
        return response.status_code

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._token is None:
            await self.login()
        response = await self._send(method, path, **kwargs)
        if response.status_code == 401:
            # Tokens expire; a demo that runs all day simply logs in again.
            await self.login()
            response = await self._send(method, path, **kwargs)
        _raise_for(response, f"{self.username} {method} {path}")
        return response.json()

    async def upload_photo(self, order_id: int, data: bytes,
                           media_type: str) -> dict[str, Any]:
        """A completion photo (POST .../photos, the bytes as the body): {created, photo}."""
        body: dict[str, Any] = await self._request(
            "POST", f"/v1/orders/{order_id}/photos", content=data,
            headers={"content-type": media_type})
        return body

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {self._token}"}
        try:
            return await self.client.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise BackendUnavailable(f"{method} {path}: {exc!r}") from exc


def _raise_for(response: httpx.Response, what: str) -> None:
    status = response.status_code
    if status < 400:
        return
    try:
        problem = response.json()
    except ValueError:
        problem = {"detail": response.text[:200]}
    if not isinstance(problem, dict):
        problem = {"detail": str(problem)[:200]}
    # 429: past the backend's cap on concurrent sign-ins; like an outage, try again next round.
    if status in (429, 502, 503, 504):
        raise BackendUnavailable(f"{what}: HTTP {status}")
    if status == 409:
        raise Conflict(status, problem, what)
    raise ApiError(status, problem, what)

