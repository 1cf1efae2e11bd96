"""Response and request models of the JSON API, so the OpenAPI document describes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from domain.actions import ActionName
from domain.enums import (
    Role,
)


class ErrorOut(BaseModel):
    """An error: a precise message."""

    detail: str


class FieldErrorOut(BaseModel):
    """One invalid field: where, what, and the kind of error."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    """A 422: one readable message naming each field, and the field list."""

    detail: str
    errors: list[FieldErrorOut]


INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ValidationErrorOut, "description": "invalid fields, each named"}
}


class ConflictOut(BaseModel):
    """A 409: the action is not possible now; these are."""

    detail: str
    allowed: list[str]


class HealthOut(BaseModel):
    """Whether the API's dependencies answer."""

    status: Literal["ok", "unavailable"]
    database: Literal["ok", "down"]
    temporal: Literal["ok", "down"]
    detail: str | None = None


class LoginIn(BaseModel):
    """The body of ``POST /api/v1/auth/token``."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    totp: str | None = Field(
        default=None, max_length=16, description="the authenticator app's six-digit code"
    )


class TokenOut(BaseModel):
    """A bearer token; shown once, stored only as a keyed hash."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    role: Role
    organisation: str | None
    organisation_name: str | None = None
    expires_at: datetime
    mfa_enrolment_required: bool = Field(
        default=False,
        description="the token only sets up two-factor sign-in (POST /api/v1/auth/totp)",
    )


class AllowedOut(BaseModel):
    """The actions this caller may take on the case now."""

    allowed: list[ActionName]
