"""The form of each action: its fields for the page, and the posted form parsed into an action.

A posted form becomes the same ``ActionInput`` the JSON API receives; field errors come
back keyed by form field, in the page's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, get_args
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from api.pages.labels import N_, Gettext
from domain.actions import (
    ActionInput,
    ActionName,
    Close,
    FormField,
    Placement,
    action_adapter,
    spec_of,
)
from domain.calendar import END_OF_DAY
from domain.enums import Finding
from domain.reopening import REOPEN_DEADLINE
from domain.words import FINDINGS, OUTCOMES, STAGES

ORDER_ROWS = 5  # without script, a decision offers this many optional order rows
ZONE = ZoneInfo("Europe/Amsterdam")  # the seat: dates and times on forms are local to it

# Fixed option tables: (value, English message id).
CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "finding": tuple((str(f), FINDINGS[f]) for f in Finding),
    # The outcomes a case may be closed with (the others come of other actions).
    "outcome": tuple(
        (str(o), OUTCOMES[o]) for o in get_args(Close.model_fields["outcome"].annotation)
    ),
    "side": (("complainant", N_("The complainant")), ("respondent", N_("The company"))),
    # The open stages a closed case may be reopened to (``domain.reopening``).
    "reopen_stage": tuple((str(stage), STAGES[stage]) for stage in REOPEN_DEADLINE),
    # A yes-or-no field (``named``, ``agreed``): pydantic reads "true" and "false".
    "yes_no": (("false", N_("No")), ("true", N_("Yes"))),
    # Whom a lesson of the committee is addressed to (``record_lesson``).
    "addressed_to": (
        ("covenant", N_("The covenant's parties")),
        ("companies", N_("Companies")),
        ("mechanism", N_("The mechanism itself")),
    ),
}
REQUIRED = N_("This field is required.")
MESSAGES = {
    "missing": REQUIRED,
    "string_too_short": N_("Too short: write at least %(min_length)s characters."),
    "string_too_long": N_("Too long: at most %(max_length)s characters."),
    "date_from_datetime_parsing": N_("Enter a date."),
    "date_parsing": N_("Enter a date."),
    "datetime_parsing": N_("Enter a date and a time."),
    "int_parsing": N_("Choose one of the options."),
    "enum": N_("Choose one of the options."),
    "literal_error": N_("Choose one of the options."),
}
FORM_ERROR = "_form"  # key of an error about the whole form rather than one field


class FormErrors(Exception):
    """The posted form does not make a valid action; ``errors`` maps field to message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("invalid form")
        self.errors = errors


def form_fields(action: ActionName) -> tuple[FormField, ...]:
    """The fields of an action's form, as its declaration lists them (none: no input)."""
    return spec_of(action).form


def _day(raw: str, gettext: Gettext) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(gettext("Enter a date as YYYY-MM-DD.")) from None


def _moment(raw: str, gettext: Gettext) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(gettext("Enter a date and a time.")) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZONE)


def _orders(form: Mapping[str, str], gettext: Gettext, errors: dict[str, str]) -> list[Any]:
    rows = []
    for number in range(1, ORDER_ROWS + 1):
        text = form.get(f"order-{number}-text", "").strip()
        due = form.get(f"order-{number}-due", "").strip()
        if not text and not due:
            continue
        if not text or not due:
            errors[f"order-{number}"] = gettext("Give both the order and the day it is due.")
            continue
        # On a case against several companies, the company the order binds (staff pick it).
        respondent = form.get(f"order-{number}-respondent", "").strip()
        try:
            row = {"text": text, "due": _day(due, gettext).isoformat()}
        except ValueError as error:
            errors[f"order-{number}"] = str(error)
            continue
        rows.append({**row, "respondent": respondent} if respondent else row)
    return rows


def _values(
    action: ActionName, form: Mapping[str, str], gettext: Gettext
) -> tuple[dict[str, Any], dict[str, str]]:
    data: dict[str, Any] = {"action": action.value}
    errors: dict[str, str] = {}
    for field in form_fields(action):
        if field.kind == "orders":
            data[field.name] = _orders(form, gettext, errors)
            continue
        raw = form.get(field.name, "").strip()
        if not raw:
            if field.required:
                errors[field.name] = gettext(REQUIRED)
            continue
        try:
            if field.kind == "date":
                day = _day(raw, gettext)
                data[field.name] = datetime.combine(day, END_OF_DAY, tzinfo=ZONE)
            elif field.kind == "datetime":
                data[field.name] = _moment(raw, gettext)
            else:
                data[field.name] = raw
        except ValueError as error:
            errors[field.name] = str(error)
    return data, errors


def _message(error: Mapping[str, Any], gettext: Gettext) -> str:
    template = MESSAGES.get(str(error.get("type")))
    if template is None:
        return str(error.get("msg", ""))
    context = error.get("ctx") or {}
    try:
        return gettext(template) % context
    except (KeyError, TypeError):
        return gettext(template)


def _field_of(loc: tuple[Any, ...]) -> str:
    # The first element is the union's tag (the action); then the field and any row index.
    parts = list(loc[1:])
    if not parts:
        return FORM_ERROR
    if parts[0] == "orders" and len(parts) > 1 and isinstance(parts[1], int):
        return f"order-{parts[1] + 1}"
    return str(parts[0])


def parse_action(action: ActionName, form: Mapping[str, str], gettext: Gettext) -> ActionInput:
    """The posted form as an action; ``FormErrors`` with a message per field otherwise."""
    if spec_of(action).page is Placement.UPLOAD:
        raise FormErrors({FORM_ERROR: gettext("Documents are added with the upload form.")})
    data, errors = _values(action, form, gettext)
    if errors:
        raise FormErrors(errors)
    try:
        return action_adapter.validate_python(data)
    except ValidationError as error:
        found: dict[str, str] = {}
        for item in error.errors():
            key = _field_of(tuple(item.get("loc", ())))
            message = _message(item, gettext)
            if key == FORM_ERROR and str(item.get("msg", "")).startswith("Value error, "):
                message = str(item["msg"]).removeprefix("Value error, ")
            found.setdefault(key, message)
        raise FormErrors(found) from None
