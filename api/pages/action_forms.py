"""The form of each action: its fields for the page, and the posted form parsed into an action.

A posted form becomes the same ``ActionInput`` the JSON API receives; field errors come
back keyed by form field, in the page's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast, get_args
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from api.pages.labels import N_, Gettext
from domain.actions import ActionInput, action_adapter
from domain.calendar import END_OF_DAY
from domain.enums import ActionName

A = ActionName
ORDER_ROWS = 5  # without script, a decision offers this many optional order rows
ZONE = ZoneInfo("Europe/Amsterdam")  # the seat: dates and times on forms are local to it


@dataclass(frozen=True)
class Field:
    """One field of an action's form.

    ``kind`` is textarea, text, select, date (a day, ending at its last second), datetime
    or orders (rows of text and due date). ``choices`` names the options of a select:
    a fixed table in ``CHOICES`` or one the case page fills in (orders, deadlines, people).
    """

    name: str
    label: str
    kind: str = "textarea"
    required: bool = False
    choices: str | None = None
    hint: str | None = None


NOTE = Field("note", N_("Note (optional)"))
REASON = Field("reason", N_("Reason"), required=True)
REASONS = Field("reasons", N_("Reasons"), required=True)
ORDERS = Field(
    "orders",
    N_("Remediation orders"),
    kind="orders",
    hint=N_("One order a row, each with the day it is due; leave unused rows empty."),
)
# Staff only, on a case with several companies: the one company a message concerns.
PARTY = Field(
    "party",
    N_("Which company"),
    kind="select",
    choices="respondents",
    hint=N_("The other companies do not see it; the complainant and the committee do."),
)

FIELDS: dict[ActionName, tuple[Field, ...]] = {
    A.REGISTER: (NOTE,),
    A.REFER_OUT: (
        Field("reason", N_("Why it is not processed, and where it is referred"), required=True),
    ),
    A.DECLARE_ADMISSIBLE: (Field("reasons", N_("Reasons (optional)")),),
    A.DECLARE_INADMISSIBLE: (REASONS,),
    A.SUBMIT_RESPONSE: (Field("text", N_("Your response to the complaint"), required=True),),
    A.PROPOSE_MEDIATION: (NOTE,),
    A.CONSENT_TO_MEDIATION: (),
    A.DECLINE_MEDIATION: (Field("reason", N_("Reason (optional)")),),
    A.RECORD_MEDIATION_AGREEMENT: (
        Field("terms", N_("Terms of the agreement"), required=True),
        ORDERS,
    ),
    A.END_MEDIATION: (REASON,),
    A.END_DIALOGUE: (REASON,),
    A.SCHEDULE_HEARING: (
        Field(
            "at",
            N_("Date and time of the hearing"),
            kind="datetime",
            required=True,
            hint=N_("Amsterdam time."),
        ),
    ),
    A.RECORD_HEARING: (Field("minutes", N_("Minutes of the hearing"), required=True),),
    A.ISSUE_DECISION: (
        Field("finding", N_("Finding"), kind="select", required=True, choices="finding"),
        REASONS,
        ORDERS,
        Field("recommendations", N_("Recommendations (optional)")),
    ),
    A.SUBMIT_REMEDIATION_PLAN: (Field("text", N_("The remediation plan"), required=True),),
    A.APPROVE_REMEDIATION_PLAN: (NOTE,),
    A.REJECT_REMEDIATION_PLAN: (REASONS,),
    A.SUBMIT_PROGRESS_REPORT: (
        Field("order", N_("Order"), kind="select", required=True, choices="open_orders"),
        Field("text", N_("Progress report"), required=True),
    ),
    A.VERIFY_ORDER: (
        Field("order", N_("Order"), kind="select", required=True, choices="open_orders"),
        NOTE,
    ),
    A.CLOSE: (
        Field("outcome", N_("Outcome"), kind="select", required=True, choices="outcome"),
        Field("summary", N_("Summary of the outcome"), required=True),
    ),
    A.REQUEST_INFORMATION: (
        Field("from", N_("Ask"), kind="select", required=True, choices="side"),
        Field("question", N_("Question"), required=True),
    ),
    A.PROVIDE_INFORMATION: (Field("text", N_("Your answer"), required=True),),
    A.SUSPEND: (REASON,),
    A.RESUME: (NOTE,),
    A.EXTEND_DEADLINE: (
        Field("deadline", N_("Deadline"), kind="select", required=True, choices="deadlines"),
        Field("until", N_("New due date"), kind="date", required=True),
        REASON,
    ),
    A.WITHDRAW: (REASON,),
    A.RECUSE: (
        Field("member", N_("Committee member"), kind="select", required=True, choices="members"),
        REASON,
    ),
    A.ASSIGN: (
        Field("officer", N_("Case officer"), kind="select", choices="officers"),
        Field("mediator", N_("Mediator"), kind="select", choices="mediators"),
    ),
    A.FORWARD_SIGNAL: (Field("note", N_("Note to the companies (optional)")),),
    A.REPORT_DUE_DILIGENCE: (
        Field("text", N_("What your company looked into and what it did"), required=True),
    ),
    A.CONVERT_TO_COMPLAINT: (
        Field("reason", N_("Why it becomes a formal complaint"), required=True),
    ),
    A.SPLIT_CASE: (
        Field(
            "respondent",
            N_("The company whose part continues as a case of its own"),
            kind="select",
            required=True,
            choices="respondents",
        ),
    ),
    A.ADD_MESSAGE: (
        Field("text", N_("Message"), required=True),
        Field("visibility", N_("Who may read it"), kind="select", choices="visibility"),
        PARTY,
    ),
}
# Fixed option tables: (value, English message id).
CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "finding": (
        ("founded", N_("Founded")),
        ("partly_founded", N_("Partly founded")),
        ("unfounded", N_("Unfounded")),
    ),
    "outcome": (
        ("resolved", N_("Resolved")),
        ("partly_resolved", N_("Partly resolved")),
        ("unresolved", N_("Unresolved")),
    ),
    "side": (("complainant", N_("The complainant")), ("respondent", N_("The company"))),
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


def _model_of(action: ActionName) -> type[BaseModel] | None:
    """The payload model of an action, found in the ``ActionInput`` union."""
    union = get_args(ActionInput)[0]
    for model in get_args(union):
        literal = model.model_fields["action"].annotation
        if action.value in get_args(literal):
            return cast(type[BaseModel], model)
    return None


def _derived(action: ActionName) -> tuple[Field, ...]:
    """Plain text fields read off the payload model, for an action without a form above."""
    model = _model_of(action)
    if model is None:
        return ()
    return tuple(
        Field(name, name.replace("_", " ").capitalize(), required=info.is_required())
        for name, info in model.model_fields.items()
        if name != "action"
    )


def form_fields(action: ActionName) -> tuple[Field, ...]:
    """The fields of an action's form (none for an action that needs no input)."""
    if action in FIELDS:
        return FIELDS[action]
    return _derived(action)


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
        try:
            rows.append({"text": text, "due": _day(due, gettext).isoformat()})
        except ValueError as error:
            errors[f"order-{number}"] = str(error)
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
    if action is A.ADD_DOCUMENT:
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
