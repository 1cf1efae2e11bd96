"""The page helpers that put the engine's values into words: deadlines, companies, tables.

The words themselves are English message ids in ``domain.words`` (and each action's label
in its declaration, ``domain.actions``); a page translates them with the request's gettext.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from domain.actions import REGISTRY
from domain.next_steps import AFTER_RESPONSES, CLOSE_CASE, CLOSE_SIGNAL, REVIEW_PLAN
from domain.signals import FORWARD_LABEL
from domain.words import (
    CHANNELS,
    DEADLINES,
    EVENTS,
    FINDINGS,
    ISSUES,
    KINDS,
    N_,
    ORDER_STATUSES,
    OUTCOMES,
    OWNERS,
    STAGES,
    STATUSES,
    VISIBILITIES,
)

__all__ = [
    "ACTIONS",
    "CHANNELS",
    "DEADLINES",
    "EVENTS",
    "FINDINGS",
    "ISSUES",
    "KINDS",
    "N_",
    "ORDER_STATUSES",
    "OUTCOMES",
    "OWNERS",
    "STAGES",
    "STATUSES",
    "VISIBILITIES",
    "Gettext",
    "deadline_label",
    "only_for",
    "pseudonym",
    "word",
]

Gettext = Callable[[str], str]

# Each action's title, as its declaration names it.
ACTIONS: dict[str, str] = {name: model.spec.label for name, model in REGISTRY.items()}
# Deadline labels the engine writes with a company's name or an order's text in them.
PER_COMPANY = {
    "Response of ": N_("Response of %(company)s"),
    "Due diligence and remediation by ": N_("Due diligence and remediation by %(company)s"),
}
OTHER_DEADLINE_LABELS = {
    FORWARD_LABEL: N_("Pass the signal on to the companies"),
    AFTER_RESPONSES.label: N_("Offer mediation or send the case to a hearing"),
    REVIEW_PLAN.label: N_("Approve or reject the remediation plan"),
    CLOSE_CASE.label: N_("Close the case"),
    CLOSE_SIGNAL.label: N_("Close the signal or turn it into a complaint"),
}


def deadline_label(
    name: str, label: str, gettext: Gettext, digits: Callable[[str], str] = str
) -> str:
    """A deadline's label in the page language; company names and order texts are kept (an
    order's number in the page's ``digits``)."""
    if name.startswith("order-"):
        number = digits(name.removeprefix("order-"))
        text = label.split(": ", 1)[1] if ": " in label else label
        return gettext("Order %(number)s: %(text)s") % {"number": number, "text": text}
    for prefix, message in PER_COMPANY.items():
        if label.startswith(prefix):
            return gettext(message) % {"company": label.removeprefix(prefix)}
    if label in OTHER_DEADLINE_LABELS:
        return gettext(OTHER_DEADLINE_LABELS[label])
    return gettext(DEADLINES.get(name, label))


def only_for(company: str, gettext: Gettext) -> str:
    """What marks a message or document meant for one respondent company."""
    return gettext("Only for %(company)s") % {"company": company}


def word(table: dict[str, str], value: object, gettext: Gettext) -> str:
    """The translated word for an enum value, or the value itself when unknown."""
    key = str(value) if value is not None else ""
    return gettext(table[key]) if key in table else key.replace("_", " ")


# A confidential complainant's stand-in name as ``core.security.pseudonym`` makes it: stored,
# and given by the API, in English; the pages say it in their own language, with the word
# they already use for the role (its code follows it in each of them).
PSEUDONYM = re.compile(r"^Complainant ([A-Z2-7]{6})$")
PSEUDONYM_WORD = N_("Complainant")


def pseudonym(stored: str, gettext: Gettext) -> str:
    """A pseudonym in the page language ("অভিযোগকারী D6DD54"); any other name as it is."""
    found = PSEUDONYM.match(stored)
    return f"{gettext(PSEUDONYM_WORD)} {found.group(1)}" if found else stored
