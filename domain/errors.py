"""Business errors raised by the pure rules; the API maps them to 409, 403 and 422."""

from __future__ import annotations


class ActionRefused(Exception):
    """An action that may not be taken; nothing was recorded."""

    kind = "ActionRefused"

    def __init__(self, message: str, allowed: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.allowed = allowed or []


class WrongStage(ActionRefused):
    """Not possible in the case's current stage or state (HTTP 409)."""

    kind = "WrongStage"


class Forbidden(ActionRefused):
    """The actor's role or side may not take this action (HTTP 403)."""

    kind = "Forbidden"


class InvalidAction(ActionRefused):
    """The fields do not fit the case, e.g. an order number it does not have (HTTP 422)."""

    kind = "InvalidAction"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the action's field at fault, when it is one
