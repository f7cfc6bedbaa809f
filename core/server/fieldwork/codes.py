"""Verification codes over HTTP: the desk issues and reissues (with a reason) and reads the
status, the technician checks the customer's code on his own order, supervisors set a client's
codes. No answer carries a code or its hash.

The SMS provider is the app's `state.sms`, chosen by the composition root (create_app: the
simulated provider unless one is given); the server's outbox loop (core.server.outbox) retries
what a provider that was down did not take.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from core.contracts.fieldwork.codes import (
    CodeCheck,
    CodeCheckOut,
    CodeIssue,
    CodePolicyOut,
    CodePolicyUpdate,
    CodeStatusOut,
)
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DeskUser, TechnicianUser, Uow, allow
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.fieldwork.codes import (
    ChangeCodePolicy,
    CheckCode,
    CodeStatus,
    IssueCode,
    handle_change_code_policy,
    handle_check_code,
    handle_code_status,
    handle_issue_code,
    handle_show_code_policy,
)
from core.services.fieldwork.sms import SmsProvider

router = APIRouter(prefix="/v1", tags=["verification codes"])
Issuer = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR, Role.ADMIN))]
PolicyEditor = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
ClientCode = Annotated[str, Path(min_length=1, max_length=32)]
_REFUSALS: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    409: PROBLEM_RESPONSES[422] | {"description": "the code is used or locked, or the order "
                                                  "is not in a state for codes"},
    410: PROBLEM_RESPONSES[422] | {"description": "the code has expired"},
}


async def app_sms(request: Request) -> SmsProvider:
    """The app's SMS provider (the composition root, create_app, chose it)."""
    provider: SmsProvider = request.app.state.sms
    return provider


Sms = Annotated[SmsProvider, Depends(app_sms)]


@router.post("/orders/{order_id}/verification-code", response_model=CodeStatusOut,
             status_code=201, responses=_REFUSALS)
def issue_code(order_id: RowId, body: CodeIssue, user: Issuer, uow: Uow,
               sms: Sms) -> CodeStatusOut:
    """Issue a code and send it to the customer by SMS; a current code is voided (reissue).
    The SMS shows as pending while the provider is down."""
    return handle_issue_code(IssueCode(order_id, user.actor, body.reason, sms), uow)


@router.post("/orders/{order_id}/verification-code/check", response_model=CodeCheckOut,
             responses=_REFUSALS)
def check_code(order_id: RowId, body: CodeCheck, user: TechnicianUser,
               uow: Uow) -> CodeCheckOut:
    """The technician submits the customer's code: 200 when right; a wrong one is counted
    (422 with the tries left) and locks the code at the limit (409)."""
    return handle_check_code(CheckCode(order_id, user.actor, body.code), uow)


@router.get("/orders/{order_id}/verification-code", response_model=CodeStatusOut,
            responses=PROBLEM_RESPONSES)
def code_status(order_id: RowId, user: DeskUser, uow: Uow) -> CodeStatusOut:
    """The order's code: state, tries, who issued, used or voided it and when, its SMS."""
    return handle_code_status(CodeStatus(order_id, user.actor), uow)


@router.get("/verification-code-policies/{client_code}", response_model=CodePolicyOut,
            responses=PROBLEM_RESPONSES)
def code_policy(client_code: ClientCode, _user: DeskUser, uow: Uow) -> CodePolicyOut:
    """A client's codes ('default': every client without its own)."""
    return handle_show_code_policy(client_code, uow)


@router.put("/verification-code-policies/{client_code}", response_model=CodePolicyOut,
            responses=_REFUSALS)
def change_code_policy(client_code: ClientCode, body: CodePolicyUpdate, user: PolicyEditor,
                       uow: Uow) -> CodePolicyOut:
    """Change a client's codes from the version seen (0: never changed), with why."""
    return handle_change_code_policy(ChangeCodePolicy(
        client_code, body.digits, body.valid_hours, body.max_attempts, body.version,
        body.reason, user.username), uow)
