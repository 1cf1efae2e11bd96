"""What every action declaration is made of: its payload model, its ``Spec`` and form fields."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, get_args

from pydantic import BaseModel, ConfigDict, Field

from domain.cases import Actor, CaseState, OrderInput
from domain.enums import CaseKind, DecidingBody, NoticeKind, Role, Side, Stage
from domain.errors import InvalidAction
from domain.words import N_

Reason = Annotated[str, Field(min_length=3, max_length=5_000)]
Note = Annotated[str, Field(max_length=5_000)]
# The one respondent organisation an item concerns: only it, the complainant and staff see it.
Party = Annotated[str, Field(min_length=1, max_length=64)]

Who = frozenset[Role | Side]
PARTIES: Who = frozenset({Side.COMPLAINANT, Side.RESPONDENT})
CASE_STAFF: Who = frozenset({Role.SECRETARIAT, Role.CHAIR, Role.COMMITTEE, Role.MEDIATOR})
NOBODY_ELSE: Who = frozenset()


class Placement(StrEnum):
    """Where the case page offers an action."""

    STAGE = "stage"  # among the stage's own actions, its form open
    ANY_TIME = "any_time"  # possible at any time: folded below the stage's own
    MESSAGES = "messages"  # the message box of its own section
    UPLOAD = "upload"  # the upload form of its own section, not an action form


@dataclass(frozen=True)
class FormField:
    """One field of an action's form on the pages.

    ``kind`` is textarea, text, select, date (a day, ending at its last second), datetime
    or orders (rows of text and due date). ``choices`` names the options of a select: a
    fixed table of the form module or one the case page fills in (orders, deadlines, people).
    ``label`` and ``hint`` are English message ids.
    """

    name: str
    label: str
    kind: str = "textarea"
    required: bool = False
    choices: str | None = None
    hint: str | None = None


def _frozen(items: AbstractSet[Any]) -> frozenset[Any]:
    return frozenset(items)


@dataclass(frozen=True)
class Spec:
    """Everything about an action besides its payload fields and its transition.

    ``stages`` empty means any open stage. ``refusal`` says why the action is impossible in
    the case's state (within its stages), ``actor_refusal`` why for this actor in particular
    (a company that already responded). ``who_also`` adds roles on some cases; ``sides_now``
    narrows which of the sides in ``who`` may act now. ``notices`` and ``events`` are every
    notice kind and event type its transition may produce. ``not_on_form`` names payload
    fields the pages fill in otherwise (an upload's file); ``tracking`` the fields the
    complainant's tracking page offers (None: not offered there).
    """

    label: str
    who: AbstractSet[Role | Side]
    stages: AbstractSet[Stage] = frozenset()
    while_suspended: bool = False
    refusal: Callable[[CaseState, datetime], str | None] | None = None
    actor_refusal: Callable[[CaseState, Actor], str | None] | None = None
    who_also: Callable[[CaseState], Who] | None = None
    sides_now: Callable[[CaseState], frozenset[Side]] | None = None
    notices: AbstractSet[NoticeKind] = frozenset()
    events: AbstractSet[str] = frozenset()
    form: tuple[FormField, ...] = ()
    not_on_form: AbstractSet[str] = frozenset()
    page: Placement = Placement.STAGE
    tracking: tuple[str, ...] | None = None
    name: str = field(default="")  # set from the payload model's ``action`` literal

    def __post_init__(self) -> None:
        for name in ("who", "stages", "notices", "events", "not_on_form"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))


class ActionModel(BaseModel):
    """The payload of one action; its class carries the action's ``spec``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    spec: ClassVar[Spec]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        (name,) = get_args(cls.model_fields["action"].annotation)
        cls.spec = replace(cls.spec, name=name)

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        """Raise ``InvalidAction`` when a field does not fit the case (an order it lacks)."""


def check_orders_due(orders: list[OrderInput], now: datetime) -> None:
    """Every order of a decision or agreement falls due after today."""
    if any(o.due <= now.date() for o in orders):
        raise InvalidAction("every order needs a due date in the future")


def steering_group_decides(kind: CaseKind, deciding_body: DecidingBody) -> bool:
    """Whether the covenant's steering group decides this case (disputes, on some routes)."""
    return kind is CaseKind.DISPUTE and deciding_body is DecidingBody.STEERING_GROUP


def deciders(state: CaseState) -> Who:
    """Who besides the chair decides and closes: the steering group's members, or the
    secretariat recording what the steering group decided."""
    if steering_group_decides(state.kind, state.deciding_body):
        return frozenset({Role.SECRETARIAT, Role.STEERING_GROUP})
    return NOBODY_ELSE


# Fields several forms share.
NOTE = FormField("note", N_("Note (optional)"))
REASON = FormField("reason", N_("Reason"), required=True)
REASONS = FormField("reasons", N_("Reasons"), required=True)
ORDERS = FormField(
    "orders",
    N_("Remediation orders"),
    kind="orders",
    hint=N_("One order a row, each with the day it is due; leave unused rows empty."),
)
# Staff only, on a case with several companies: the one company an item concerns.
PARTY = FormField(
    "party",
    N_("Which company"),
    kind="select",
    choices="respondents",
    hint=N_("The other companies do not see it; the complainant and the committee do."),
)
