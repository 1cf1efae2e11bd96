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


Responses = dict[int | str, dict[str, Any]]

# Bounds on numbers in queries, so the database's 64-bit integers never overflow (a page
# far past the end answers an empty page; no case has this many events).
MAX_PAGE = 1_000_000
MAX_SEQ = 2**31 - 1

INVALID: Responses = {
    422: {"model": ValidationErrorOut, "description": "invalid fields, each named"}
}

_CHALLENGE = {
    "WWW-Authenticate": {
        "description": '`Bearer`, with `error="invalid_token"` when the token was refused',
        "required": True,
        "schema": {"type": "string"},
    }
}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds to wait before trying again",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}
_ENROLLING = "the token only sets up two-factor sign-in (POST /api/v1/auth/totp first)"

# Each dict below names what one shared part of the request can answer; a route merges
# those of the parts it has (``responses``), so every status it can give is documented.

# A body (JSON or a form): unparseable (not UTF-8, broken multipart) or over the limit.
BODY: Responses = {
    400: {"model": ErrorOut, "description": "the body cannot be parsed"},
    413: {"model": ErrorOut, "description": "the body is over its size limit"},
}
# An optional bearer token (anonymous callers are served): a bad one is still refused.
TOKEN: Responses = {
    401: {
        "model": ErrorOut,
        "description": "the bearer token is invalid, expired or revoked",
        "headers": _CHALLENGE,
    },
    403: {"model": ErrorOut, "description": _ENROLLING},
}
# Sign-in required; a token that only enrols reaches only the two-factor set-up.
SIGNED_IN: Responses = {
    401: {
        "model": ErrorOut,
        "description": "not signed in, or the bearer token is invalid, expired or revoked",
        "headers": _CHALLENGE,
    },
    403: {"model": ErrorOut, "description": _ENROLLING},
}
ENROLMENT: Responses = {401: SIGNED_IN[401]}  # the two-factor set-up and sign-out
# A case in the path, reached with a bearer token or the complainant's access code.
CASE: Responses = {
    **TOKEN,
    404: {"model": ErrorOut, "description": "unknown, or not the caller's to see"},
    429: {
        "model": ErrorOut,
        "description": "too many wrong access codes for this case or from this address",
        "headers": _RETRY_AFTER,
    },
}
ENGINE: Responses = {
    503: {"model": ErrorOut, "description": "the case engine is unavailable; try again"}
}


def too_many(description: str) -> Responses:
    """A 429 with its Retry-After header, for a rate-limited operation."""
    return {429: {"model": ErrorOut, "description": description, "headers": _RETRY_AFTER}}


def responses(*parts: Responses) -> Responses:
    """The answers of a route's parts together; one status's descriptions are joined (the
    first part's model stays: a 409 with ``allowed`` before a plain one)."""
    merged: Responses = {}
    for part in parts:
        for status, answer in part.items():
            if status not in merged:
                merged[status] = dict(answer)
                continue
            known = merged[status]
            if answer["description"] not in known["description"]:
                known["description"] = f"{known['description']}; or {answer['description']}"
            if "headers" in answer:
                known["headers"] = {**answer["headers"], **known.get("headers", {})}
    return dict(sorted(merged.items(), key=lambda item: str(item[0])))


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
