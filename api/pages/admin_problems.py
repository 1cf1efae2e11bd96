"""The administration's problems in the page's language.

The services word each problem for the JSON API, in English, with the field at fault
(``errors=[{loc, msg, type}]``); the admin pages say it in the reader's language: the field
by its form label, the message by its kind (pydantic's ``type``) or by its stable English
wording (the services' ``value_error``s), with the names it quotes kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from domain.problems import Problem
from domain.words import N_
from services.people import USERNAME_RULE

Gettext = Callable[[str], str]

# The form's label of each field the people and organisation forms send.
FIELDS: dict[str, str] = {
    "username": N_("Username"),
    "email": N_("E-mail address"),
    "name": N_("Name"),
    "role": N_("Role"),
    "organisation": N_("Organisation"),
    "covenants": N_("Covenants"),
    "covenant": N_("Covenant"),
    "language": N_("Language"),
    "country": N_("Country"),
    "kind": N_("Kind"),
    "contacts": N_("Contacts for notices"),
    "active": N_("Account"),
}

# The services' own refusals, by field and English wording (whose quoted names are kept).
WORDINGS: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "username": [
        (
            re.compile(re.escape(USERNAME_RULE)),
            N_("use 2 to 64 lower-case letters, digits, dots, dashes or underscores"),
        ),
        (re.compile(r"'(?P<username>.*)' is taken already"), N_("'%(username)s' is taken already")),
    ],
    "email": [
        (
            re.compile(r"another user has this e-mail address already"),
            N_("another user has this e-mail address already"),
        ),
    ],
    "organisation": [
        (re.compile(r"no organisation '(?P<id>.*)'"), N_("there is no organisation '%(id)s'")),
        (
            re.compile(r"a (?P<role>\w+) user belongs to an organisation of kind (?P<kinds>.+)"),
            N_("a %(role)s user belongs to an organisation of kind %(kinds)s"),
        ),
    ],
    "covenants": [
        (
            re.compile(r"no covenant '(?P<slug>.*)'; known: (?P<known>.*)"),
            N_("there is no covenant '%(slug)s'; known: %(known)s"),
        ),
        (
            re.compile(r"a (?P<role>\w+) user works on no covenant"),
            N_("a %(role)s user works on at least one covenant"),
        ),
    ],
    "active": [
        (
            re.compile(r"you cannot disable yourself or drop your admin role"),
            N_("you cannot disable yourself or drop your admin role"),
        ),
    ],
    "name": [
        (
            re.compile(r"'(?P<name>.*)' exists already, as '(?P<id>.*)'"),
            N_("'%(name)s' exists already, as '%(id)s'"),
        ),
    ],
    "country": [
        (
            re.compile(r"(Value error, )?'(?P<value>.*)' is not an ISO 3166 alpha-2 country code"),
            N_("'%(value)s' is not a two-letter country code (ISO 3166)"),
        ),
    ],
}
# Refusals that name no field (inviting a disabled user again).
GENERAL: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"'(?P<username>.*)' is disabled; enable the user first"),
        N_("'%(username)s' is disabled; enable the user first"),
    ),
]
INVALID_VALUE = N_("this is not a valid value")
# Pydantic's kinds of error, with the numbers they quote.
KINDS: dict[str, str] = {
    "missing": N_("fill this in"),
    "string_too_short": N_("use at least %(min_length)s characters"),
    "string_too_long": N_("use at most %(max_length)s characters"),
    "too_long": N_("give at most %(max_length)s"),
    "string_pattern_mismatch": INVALID_VALUE,
    "literal_error": N_("choose one of %(expected)s"),
    "enum": N_("choose one of %(expected)s"),
    "list_type": INVALID_VALUE,
}
EMAIL = N_("this is not a valid e-mail address")
# The phrase between the last two kinds the organisation rule lists ("ngo or union").
OR = N_("or")


def _field(loc: Sequence[str | int]) -> str | None:
    names = [str(part) for part in loc if isinstance(part, str) and part != "body"]
    return next((name for name in reversed(names) if name in FIELDS), None)


def _wording(patterns: list[tuple[re.Pattern[str], str]], msg: str, gettext: Gettext) -> str | None:
    for pattern, message in patterns:
        found = pattern.fullmatch(msg)
        if found:
            values = {k: v for k, v in found.groupdict().items() if v is not None}
            if "kinds" in values:
                values["kinds"] = f" {gettext(OR)} ".join(values["kinds"].split(" or "))
            return gettext(message) % values
    return None


def _message(error: Mapping[str, Any], field: str | None, gettext: Gettext) -> str:
    msg, kind = str(error.get("msg", "")), str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in KINDS:
        values = {key: str(value) for key, value in ctx.items()}
        if "expected" in values:  # "'company', 'union' or 'ngo'"
            values["expected"] = values["expected"].replace(" or ", f" {gettext(OR)} ")
        try:
            return gettext(KINDS[kind]) % values
        except KeyError:  # a kind without the number its message quotes
            return gettext(INVALID_VALUE)
    if kind == "value_error" and "email" in msg.lower() and field == "email":
        return gettext(EMAIL)
    found = _wording(WORDINGS.get(field or "", []), msg, gettext)
    return found if found is not None else msg


def admin_problem(error: Problem | ValidationError, gettext: Gettext) -> str:
    """What was wrong, in the page's language: each field by its label, then the problem."""
    if isinstance(error, ValidationError):
        errors: list[Mapping[str, Any]] = [dict(e) for e in error.errors()]
    else:
        errors = list(error.extra.get("errors") or [])
        if not errors:
            found = _wording(GENERAL, error.message, gettext)
            return found if found is not None else error.message
    parts = []
    for item in errors:
        field = _field(item.get("loc", ()))
        message = _message(item, field, gettext)
        parts.append(f"{gettext(FIELDS[field])}: {message}" if field else message)
    return "; ".join(parts)
