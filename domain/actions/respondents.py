"""Which respondent company an action concerns, on a case against several (pure).

A company acts for itself; staff acting for a company name it (``respondent``); on a case
against one company that company is meant.
"""

from __future__ import annotations

from domain.actions.base import FormField
from domain.cases import Actor, CaseState, OrderInput
from domain.enums import Role, Side
from domain.errors import Forbidden, InvalidAction
from domain.words import N_


def respondent_ids(state: CaseState) -> list[str]:
    """The organisation ids of the case's respondents."""
    return [p.organisation_id for p in state.respondents]


def check_respondent(state: CaseState, respondent: str, field: str = "respondent") -> None:
    """Refuse an organisation that is not a respondent of the case."""
    ids = respondent_ids(state)
    if respondent not in ids:
        raise InvalidAction(
            f"{field}: '{respondent}' is not a respondent of this case; "
            f"its respondents are: {', '.join(ids)}",
            field=field.split("[")[0],
        )


def company_of(state: CaseState, actor: Actor, respondent: str | None) -> str:
    """The company the action concerns: the acting company's own, or the one staff name.

    Raises ``Forbidden`` for a company naming another, ``InvalidAction`` for staff naming
    none on a case against several companies or one that is not a respondent.
    """
    if actor.side is Side.RESPONDENT:
        own = actor.organisation_id or ""
        if respondent is not None and respondent != own:
            raise Forbidden("a company acts only for itself: leave out 'respondent'")
        return own
    ids = respondent_ids(state)
    if respondent is None:
        if len(ids) == 1:
            return ids[0]
        raise InvalidAction(
            "respondent: name the company this concerns; "
            f"the case's respondents are: {', '.join(ids)}",
            field="respondent",
        )
    check_respondent(state, respondent)
    return respondent


def resolved(state: CaseState, actor: Actor, respondent: str | None) -> str:
    """``company_of`` for a transition, whose action the rules already accepted."""
    if actor.side is Side.RESPONDENT:
        return actor.organisation_id or ""
    if respondent is not None:
        return respondent
    return respondent_ids(state)[0]


def check_order_respondents(state: CaseState, orders: list[OrderInput]) -> None:
    """Every order of a decision or agreement binds one of the case's respondents; on a case
    against several companies filed since orders are per company, it must name it."""
    several = state.per_company and len(state.respondents) > 1
    for i, order in enumerate(orders):
        if order.respondent is not None:
            check_respondent(state, order.respondent, f"orders[{i}].respondent")
        elif several:
            raise InvalidAction(
                f"orders[{i}].respondent: name the company the order binds; "
                f"the case's respondents are: {', '.join(respondent_ids(state))}",
                field="orders",
            )


# Staff acting for one company of a case against several name it; a company acts for itself.
RESPONDENT = FormField("respondent", N_("Which company"), kind="select", choices="companies")


def secretariat_per_company(state: CaseState) -> frozenset[Role | Side]:
    """The secretariat besides the parties, on a case filed since consent is per company:
    it records a company's answer given otherwise (by letter, or none by the deadline)."""
    return frozenset({Role.SECRETARIAT}) if state.per_company else frozenset()
