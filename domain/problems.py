"""What the application refuses, and why: raised by services/, shown by every front end.

The JSON API maps each kind to its HTTP status (``api/errors.py``); the pages show the
message; the command line prints it. ``extra`` carries what a client needs to recover
(the allowed actions, the field errors, whether a two-factor code is needed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Problem(Exception):
    """A request the application refuses; ``message`` is precise and safe to show."""

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotSignedIn(Problem):
    """The caller must sign in (again), or give a valid two-factor code."""


class NotPermitted(Problem):
    """The caller is known but may not do this."""


class NotFound(Problem):
    """No such thing, or one the caller may not see: the two are not told apart."""


class Conflict(Problem):
    """Not possible in the current state (``allowed`` names what is)."""


class Invalid(Problem):
    """The input does not fit; ``errors`` lists each field at fault."""


class TooLarge(Problem):
    """The input is over its size limit."""


class Unsupported(Problem):
    """A file of a type that is not accepted."""


class TooMany(Problem):
    """Too many attempts; ``retry_after`` seconds to wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(Problem):
    """A part the request needs (the workflow engine) is down: try again later."""


CASE_NOT_FOUND = "case not found"


def case_not_found() -> NotFound:
    """The same refusal for an unknown case and one the caller may not see."""
    return NotFound(CASE_NOT_FOUND)


def invalid_field(loc: Sequence[str | int], message: str, type_: str = "value_error") -> Invalid:
    """One field of the input at fault, shaped like FastAPI's validation errors."""
    where = ".".join(str(part) for part in loc)
    return Invalid(
        f"{where}: {message}", errors=[{"loc": list(loc), "msg": message, "type": type_}]
    )
