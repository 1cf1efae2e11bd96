"""What the case page shows: the case as the viewer may see it, and a form per allowed action."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from api.pages import labels, request_choices
from api.pages.action_forms import CHOICES, FORM_ERROR, ORDER_ROWS, form_fields
from api.pages.i18n import SEAT_READER, Reader
from api.pages.labels import Gettext
from api.pages.timeline import progress
from core.settings import Settings
from domain.actions import ActionName, FormField, Placement, ProvideInformation, spec_of
from domain.cases import CaseState
from domain.deadlines import Deadline
from domain.enums import OrderStatus, Role, Visibility
from services.access import Standing, VisibleCase
from services.acting import allowed_now
from services.case_views import for_caller
from services.reading import present_case
from services.uploads import ACCEPT
from store import case_content, covenants, people

# What the template may ask of the complainant; absent ones (a pseudonym only) are None.
IDENTITY_KEYS = ("name", "organisation", "represents", "email", "phone", "language")
# Shown in their own sections of the page rather than among the actions' forms.
OWN_SECTION = frozenset({Placement.MESSAGES, Placement.UPLOAD})


@dataclass
class FieldView:
    """A form field ready for the template."""

    id: str
    name: str
    label: str
    kind: str
    required: bool
    hint: str | None
    value: str = ""
    error: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    rows: list[dict[str, str | None]] = field(default_factory=list)


@dataclass
class FormView:
    """One action's form."""

    action: str
    title: str
    fields: list[FieldView]
    error: str | None = None
    open: bool = False
    note: str | None = None


def _people(session: Session, roles: tuple[Role, ...], skip: set[str]) -> list[tuple[str, str]]:
    found = []
    for role in roles:
        for user in people.users_with_role(session=session, role=role):
            if user.username not in skip:
                found.append((user.username, user.display_name))
    return found


def _options(
    name: str, case: VisibleCase, session: Session, gettext: Gettext, reader: Reader = SEAT_READER
) -> list[tuple[str, str]]:
    state = case.state
    if name in CHOICES:
        return [(value, gettext(text)) for value, text in CHOICES[name]]
    if name in request_choices.REQUEST_CHOICES:
        return request_choices.options(name, case, gettext, reader)
    if name in ("open_orders", "reported_orders"):
        wanted = {OrderStatus.REPORTED} if name == "reported_orders" else set(OrderStatus)
        return [
            (str(o.number), f"{reader.number(o.number)}. {o.text[:80]} ({reader.day(o.due)})")
            for o in state.orders
            if o.status is not OrderStatus.VERIFIED
            and o.status in wanted
            and for_caller(o.respondent, case.standing, case.viewer.organisation_id)
        ]
    if name == "companies":  # staff acting for one company
        return [(p.organisation_id, p.name) for p in state.respondents]
    if name == "deadlines":
        return [
            (d.id, f"{_deadline(d, gettext, reader)} ({reader.moment(d.due)})")
            for d in state.open_deadlines()
            if for_caller(d.party, case.standing, case.viewer.organisation_id)
        ]
    if name == "members":
        recused = {r.member for r in state.recusals}
        return _people(session, (Role.CHAIR, Role.COMMITTEE), recused)
    no_change = [("", gettext("— no change —"))]
    if name == "officers":
        return no_change + _people(session, (Role.SECRETARIAT, Role.CHAIR), set())
    if name == "mediators":
        return no_change + _people(session, (Role.MEDIATOR,), set())
    if name == "visibility":
        shown = [Visibility.PARTIES, Visibility.COMMITTEE]
        if case.standing is Standing.STAFF:
            shown.append(Visibility.PUBLIC)
        return [(v.value, gettext(labels.VISIBILITIES[v])) for v in shown]
    if name == "respondents":
        return [("", gettext("Every company"))] + [
            (p.organisation_id, labels.only_for(p.name, gettext)) for p in state.respondents
        ]
    return []


def _for_one_company(spec: FormField) -> bool:
    """A field naming one company, for staff on a case with several (else not shown)."""
    return spec.name == "party" or spec.choices == "companies"


def seen_state(case: VisibleCase) -> CaseState:
    """The case's state with only the orders and deadlines the viewer may see: a company
    sees its own and those of every company, never another company's."""
    state, organisation = case.state, case.viewer.organisation_id
    if case.standing is not Standing.RESPONDENT:
        return state
    update = {
        "orders": [
            o for o in state.orders if for_caller(o.respondent, case.standing, organisation)
        ],
        "deadlines": [
            d for d in state.deadlines if for_caller(d.party, case.standing, organisation)
        ],
    }
    return state.model_copy(update=update)


def may_mark_party(case: VisibleCase) -> bool:
    """Whether the viewer may mark an item for one company: staff, on a case with several."""
    return case.standing is Standing.STAFF and len(case.state.respondents) > 1


def _field_view(
    action: ActionName,
    spec: FormField,
    case: VisibleCase,
    session: Session,
    gettext: Gettext,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    reader: Reader,
) -> FieldView:
    view = FieldView(
        id=f"{action}-{spec.name}",
        name=spec.name,
        label=gettext(spec.label),
        kind=spec.kind,
        required=spec.required,
        hint=gettext(spec.hint) if spec.hint else None,
        value=values.get(spec.name, ""),
        error=errors.get(spec.name),
    )
    if spec.choices:
        view.options = _options(spec.choices, case, session, gettext, reader)
    if spec.kind == "orders" and may_mark_party(case):
        # Each row's company: ``order-<n>-respondent``, a select of the case's companies.
        view.options = _options("companies", case, session, gettext)
    if spec.kind == "orders":
        view.rows = [
            {
                "number": str(n),
                "text": values.get(f"order-{n}-text", ""),
                "due": values.get(f"order-{n}-due", ""),
                "respondent": values.get(f"order-{n}-respondent", ""),
                "error": errors.get(f"order-{n}"),
            }
            for n in range(1, ORDER_ROWS + 1)
        ]
    return view


def form_view(
    action: ActionName,
    case: VisibleCase,
    session: Session,
    gettext: Gettext,
    posted: Mapping[str, Any],
    reader: Reader = SEAT_READER,
) -> FormView:
    """The form of one action, refilled with what was posted and its errors if it failed."""
    mine = posted.get("action") == action.value
    values: Mapping[str, str] = posted.get("values", {}) if mine else {}
    errors: Mapping[str, str] = posted.get("errors", {}) if mine else {}
    view = FormView(
        action=action.value,
        title=gettext(labels.ACTIONS.get(action, action.value)),
        fields=[
            _field_view(action, spec, case, session, gettext, values, errors, reader)
            for spec in form_fields(action)
            if not _for_one_company(spec) or may_mark_party(case)
        ],
        error=errors.get(FORM_ERROR),
        # Actions possible at any time start folded, so that the stage's own come first.
        open=mine or spec_of(action).page is not Placement.ANY_TIME,
    )
    request = case.state.information_request
    if action == ProvideInformation.spec.name and request is not None:
        view.note = request.question
    return view


def _deadline(d: Deadline, gettext: Gettext, reader: Reader) -> str:
    return labels.deadline_label(d.name, d.label, gettext, reader.digits)


def next_step(
    state: CaseState, gettext: Gettext, now: datetime, reader: Reader = SEAT_READER
) -> dict[str, Any] | None:
    """The earliest open deadline: what is due next, by when, and whether it is missed."""
    deadlines = state.open_deadlines()
    if not deadlines:
        return None
    first = deadlines[0]
    return {
        "label": _deadline(first, gettext, reader),
        "due": first.due,
        "overdue": first.overdue or first.due < now,
        "owner": labels.word(labels.OWNERS, first.owner, gettext),
    }


def case_context(
    *,
    case: VisibleCase,
    session: Session,
    settings: Settings,
    gettext: Gettext,
    now: datetime,
    posted: Mapping[str, Any] | None = None,
    reader: Reader | None = None,
) -> dict[str, Any]:
    """Everything the case page template needs; its option texts (dates, numbers) written for
    ``reader`` (``i18n.reader_of(request)``; English and the seat's zone if None)."""
    posted = posted or {}
    reader = reader or SEAT_READER
    state = seen_state(case)
    shown = present_case(
        session=session,
        settings=settings,
        state=state,
        standing=case.standing,
        organisation=case.viewer.organisation_id,
        complainant=case.viewer.complainant,
    )
    allowed = allowed_now(case)
    forms = [
        form_view(action, case, session, gettext, posted, reader)
        for action in allowed
        if spec_of(action).page not in OWN_SECTION
    ]
    messages = next((a for a in allowed if spec_of(a).page is Placement.MESSAGES), None)
    message_form = form_view(messages, case, session, gettext, posted, reader) if messages else None
    upload_visibility = _options("visibility", case, session, gettext)
    upload_parties = _options("respondents", case, session, gettext) if may_mark_party(case) else []
    names = {p.organisation_id: p.name for p in state.respondents}

    def only_for(organisation: str) -> str:
        return labels.only_for(names.get(organisation, organisation), gettext)

    deadlines = {d.id: _deadline(d, gettext, reader) for d in state.open_deadlines()}
    return {
        "case": shown,
        "covenant": covenants.latest_covenant(session=session, slug=state.covenant),
        "state": state,
        "staff": case.standing is Standing.STAFF,
        "complainant": {**dict.fromkeys(IDENTITY_KEYS), **shown.complainant.model_dump()},
        "progress": progress(state, now=now, gettext=gettext),
        "next_step": next_step(state, gettext, now, reader),
        "deadline_labels": deadlines,
        "open_deadlines": state.open_deadlines(),
        "forms": forms,
        "message_form": message_form,
        "may_upload": any(spec_of(a).page is Placement.UPLOAD for a in allowed),
        "upload_visibility": upload_visibility,
        "upload_parties": upload_parties,
        "only_for": only_for,
        "upload_error": posted.get("upload_error"),
        "accept": ACCEPT,
        "messages": [e for e in shown.events if e.type == "message"],
        "events": [e for e in shown.events if e.type != "message"],
        "earlier": case_content.has_earlier_events(state),
        "L": labels,
        "now": now,
    }
