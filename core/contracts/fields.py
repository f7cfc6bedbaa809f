"""What every request's text obeys: the base models of requests and the shared field types.

Every string a request carries, at any depth (list items, dict keys and values), is checked
by `core.text.refusal`: no NUL, no control character, no bidi control, one line unless the
field is a `Multiline` one. A refusal is a 422 naming the field, before any handler runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from core.text import NEEDS_VISIBLE, refusal, says_something

MAX_REASON = 500
MAX_NAME = 40  # a skill or certificate, as technicians' settings keep them
MAX_SKILLS = 20  # an order's skills, as order creation has always capped them
MAX_TECHNICIAN_NAMES = 30  # a technician's skills or certificates
MAX_TAG = 32


class Multiline:
    """Field metadata: this text may hold line breaks and tabs (a reason, a raw payload)."""


class Secret:
    """Field metadata: never stored or shown (a password), so any character may be sent."""


MULTILINE = Multiline()
SECRET = Secret()


def _strings(value: Any) -> Iterator[str]:
    """Every string in a value of lists and dicts; iterative, so deep nesting cannot recurse."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)


class Checked(BaseModel):
    """A request: every text field is refused with a 422 if it holds what `refusal` refuses."""

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        metadata = field.metadata if field is not None else []
        if any(isinstance(m, Secret) for m in metadata):
            return value
        multiline = any(isinstance(m, Multiline) for m in metadata)
        for text in _strings(value):
            problem = refusal(text, multiline=multiline)
            if problem is not None:
                raise ValueError(problem)
        return value


class Strict(Checked):
    """Requests refuse unknown fields, so a typo is a 422 naming the field."""

    model_config = ConfigDict(extra="forbid")


def _says_something(text: str) -> str:
    if not says_something(text):
        raise ValueError(NEEDS_VISIBLE)
    return text


def _empty_or_says_something(text: str) -> str:
    return text if text == "" else _says_something(text)


# Why a person did something: required, with visible characters; line breaks may be typed.
Reason = Annotated[str, Field(min_length=1, max_length=MAX_REASON), MULTILINE,
                   AfterValidator(_says_something)]
# A reason an action may leave out: empty, or one that says something.
OptionalReason = Annotated[str, Field(max_length=MAX_REASON), MULTILINE,
                           AfterValidator(_empty_or_says_something)]
# A skill or certificate name; a tag.
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
Tag = Annotated[str, Field(min_length=1, max_length=MAX_TAG)]
Password = Annotated[str, Field(min_length=1, max_length=200), SECRET]
