"""The own shop's record format: the unified order (the fields of a manual order entry).

The wire schema of manual entry (`core.contracts.orders.OrderCreate`) is this model, extended:
the rules own the format and never import the wire schemas, the wire reuses it.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from core.orders.lifecycle import ServiceType
from core.text import refusal

MAX_SKILLS = 20
MAX_NAME = 40


class _PlainText(BaseModel):
    """Every text, at any depth, is one line of plain text (what core.text.refusal allows);
    unknown fields are refused, so a typo names the field."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _one_line_text(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, str) and (problem := refusal(text, multiline=False)):
                raise ValueError(problem)
        return value


class OwnShopItem(_PlainText):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    quantity: int = Field(ge=1, le=999)
    unit_price_fen: int = Field(ge=0, le=100_000_000)


class OwnShopOrder(_PlainText):
    """One record of the own shop's payload (besides the adapter's intent and refund flags)."""

    platform: str = Field(min_length=1, max_length=32)
    platform_order_id: str = Field(min_length=1, max_length=64)
    customer_name: str = Field(min_length=1, max_length=64)
    customer_phone: str = Field(min_length=5, max_length=32)
    address: str = Field(min_length=2, max_length=500)
    province: str = Field(default="", max_length=32)
    city: str = Field(default="", max_length=32)
    county_adcode: str | None = Field(default=None, pattern=r"^\d{6}$")
    # The address's geocode, GCJ-02 degrees (the datum of Chinese maps; not a phone's WGS-84):
    # both or neither, JSON numbers (not strings, not true/false), finite and in range.
    lng: float | None = Field(default=None, ge=-180, le=180, strict=True, allow_inf_nan=False)
    lat: float | None = Field(default=None, ge=-90, le=90, strict=True, allow_inf_nan=False,
                              validate_default=True)
    service_type: ServiceType | None = None
    skills: list[Annotated[str, Field(min_length=1, max_length=MAX_NAME)]] = Field(
        default_factory=list, max_length=MAX_SKILLS)
    items: list[OwnShopItem] = Field(min_length=1, max_length=200)

    @field_validator("lat", mode="after")
    @classmethod
    def _a_pair(cls, lat: float | None, info: ValidationInfo) -> float | None:
        """lng and lat come together (lat is validated after lng, so it sees both)."""
        if "lng" not in info.data:  # lng itself was refused: that error says it
            return lat
        lng = info.data["lng"]
        if (lng is None) != (lat is None):
            missing = "lat" if lat is None else "lng"
            raise ValueError(f"经度和纬度须成对给出，缺少 {missing} "
                             f"(lng and lat come as a pair: {missing} is missing)")
        return lat
