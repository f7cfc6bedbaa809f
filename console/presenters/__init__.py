"""Presenters: QObjects that turn what the user does into API calls and back into views."""

from console.presenters.action_forms import ActionForms
from console.presenters.messages import MessageRoute, describe
from console.presenters.order_presenter import OrderPresenter
from console.presenters.session_presenter import SessionPresenter
from console.presenters.tasks import ask, spawn

__all__ = [
    "ActionForms",
    "MessageRoute",
    "OrderPresenter",
    "SessionPresenter",
    "ask",
    "describe",
    "spawn",
]
