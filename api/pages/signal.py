"""The signal form (``/signal``): anyone reports abuse at a listed workplace, and its
confirmation (``/signal/filed``).

A signal is filed through the same service as a complaint (``CaseKind.SIGNAL``): it names
a production location, and every company of the covenant that lists it is asked for due
diligence. The location is searched for and picked, or comes in the link
(``/signal?location=<id>``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import SessionDep, SettingsDep, get_client
from api.errors import status_of
from api.pages import filing_form, forms
from api.pages.cookies import PageViewerDep
from api.pages.i18n import negotiate
from api.pages.templating import render
from api.throttle import client_address, throttle_of
from core.settings import Settings
from domain.enums import CaseKind, Channel
from domain.filing import FileComplaintInput
from domain.problems import Problem
from domain.procedure import Covenant
from services.access import Viewer
from services.intake import LOCATION_LOC, submit_complaint
from services.throttling import SEARCH
from store import covenants as covenant_store
from store import locations as location_store

log = logging.getLogger("redress.pages")

router = APIRouter(include_in_schema=False)

SEARCH_SIZE = 20  # workplaces found by a search, as the complaint form shows
ID_LENGTH = 64  # the longest production location id (``RespondentInput``)
KIND = "signal"  # the form's token cookie (``filing_form.shown_token``)


@dataclass(frozen=True)
class Workplace:
    """A production location listed under the covenant, and the companies that list it."""

    id: str
    name: str
    address: str | None
    country: str | None
    buyers: tuple[str, ...]


def listed(session: Session, covenant: str, ids: Sequence[str]) -> list[Workplace]:
    """Those of the locations that companies of the covenant list, by name."""
    if not ids:
        return []
    pairs = location_store.covenant_sourcing(
        session=session, covenant=covenant, location_ids=ids, limit=SEARCH_SIZE * 10
    )
    found: dict[str, Workplace] = {}
    for company, location in pairs:
        known = found.get(location.id)
        buyers = (*known.buyers, company.name) if known else (company.name,)
        found[location.id] = Workplace(
            location.id, location.name, location.address, location.country, buyers
        )
    return list(found.values())


def workplaces(session: Session, covenant: str, q: str) -> list[Workplace]:
    """The covenant's listed workplaces whose name or address holds every word of ``q``."""
    if not q.strip():
        return []
    found, _ = location_store.search_locations(session=session, q=q, page_size=SEARCH_SIZE)
    return listed(session, covenant, [location.id for location in found])


def covenant_of(session: Session, covenants: list[Covenant], location: str) -> Covenant | None:
    """The first covenant under which a company lists the location."""
    return next((c for c in covenants if listed(session, c.slug, [location])), None)


def _form_page(
    request: Request,
    session: Session,
    settings: Settings,
    viewer: Viewer,
    *,
    covenant: str | None,
    values: dict[str, Any],
    errors: forms.Errors | None = None,
    problem: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    covenants = covenant_store.list_covenants(session=session)
    location = str(values.get("location", ""))[:ID_LENGTH]
    if covenant is None and location:
        found = covenant_of(session, covenants, location)
        covenant = found.slug if found else None
    chosen = filing_form.chosen_covenant(session, covenants, covenant, viewer)
    choices = workplaces(session, chosen.slug, str(values.get("q", ""))) if chosen else []
    if chosen and location and location not in {w.id for w in choices}:
        # The picked workplace stays on the list when the form comes back.
        choices = [*listed(session, chosen.slug, [location]), *choices]
    context = filing_form.form_context(covenants, chosen, values, choices, errors, problem, viewer)
    return render(request, settings, viewer, "public/signal.html", context, status=status)


@router.get("/signal", response_class=HTMLResponse)
def signal_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    covenant: str | None = None,
    q: str = "",
    location: str = "",
) -> HTMLResponse:
    """The signal form; ``q`` searches the covenant's workplaces (throttled per address like
    every search), ``location`` names one by its id (an unknown one is said so)."""
    if q:
        throttle_of(request).take(SEARCH, client_address(request, settings))
    location = location.strip()
    token = filing_form.shown_token(request, KIND)
    values = {
        "q": q[:200],
        "location": location,
        "language": negotiate(request),
        filing_form.TOKEN_FIELD: token,
    }
    errors: forms.Errors = {}
    if location:
        covenants = covenant_store.list_covenants(session=session)
        wanted = [c for c in covenants if c.slug == covenant] if covenant else covenants
        if len(location) > ID_LENGTH or not any(
            listed(session, c.slug, [location]) for c in wanted
        ):
            errors["location"] = forms.FieldError("unknown_workplace", {"id": location[:80]})
            values["location"] = ""
    page = _form_page(
        request, session, settings, viewer, covenant=covenant, values=values, errors=errors
    )
    return filing_form.keep_token(page, request, settings, KIND, token)


def _values(form: FormData) -> dict[str, Any]:
    return filing_form.case_values(form, "location")


def _body(covenant: str, values: dict[str, Any]) -> dict[str, Any]:
    # Never a company: a signal goes to every company that lists the workplace.
    respondent = {"production_location": values["location"] or None}
    return filing_form.case_body(covenant, respondent, values)


_field_of = partial(filing_form.field_of, respondent="location")


def _service_word(location: str) -> Callable[[list[str], str], forms.FieldError | None]:
    """The filing service's unknown covenant or workplace."""

    def word(loc: list[str], name: str) -> forms.FieldError | None:
        if name == "covenant":
            return forms.FieldError("unknown_covenant")
        if loc == LOCATION_LOC or name == "location":
            return forms.FieldError("unknown_workplace", {"id": location[:80]})
        return None

    return word


@router.post("/signal", response_class=HTMLResponse)
async def send_signal(
    form: forms.CheckedForm,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
) -> Response:
    """File the signal through the API's filing service; the form again on a problem."""
    covenant = forms.text(form, "covenant")
    values = _values(form)

    def again(errors: forms.Errors, problem: str | None = None, status: int = 422) -> Response:
        page = _form_page(
            request, session, settings, viewer, covenant=covenant, values=values,
            errors=errors, problem=problem, status=status,
        )  # fmt: skip
        token = values[filing_form.TOKEN_FIELD]
        return filing_form.keep_token(page, request, settings, KIND, token)

    if not filing_form.may_file(viewer):
        return again({}, "cannot_file", status=403)
    try:
        body = FileComplaintInput.model_validate(_body(covenant, values))
    except ValidationError as invalid:
        errors = forms.validation_errors(invalid, _field_of)
        filing_form.unfilled(errors, values)
        if "location" in errors:
            code = "choose_workplace" if not values["location"] else "unknown_workplace"
            errors["location"] = forms.FieldError(code, {"id": values["location"][:80]})
        return again(errors)
    try:
        filed = (
            await submit_complaint(
                body=body,
                filer=viewer,
                throttle=throttle_of(request),
                address=client_address(request, settings),
                session=session,
                client=await get_client(request),
                settings=settings,
                channel=Channel.WEB,
                kind=CaseKind.SIGNAL,
                # One case however often the form is sent (its token), as the complaint form.
                idempotency_key=filing_form.filing_key(request, form),
            )
        ).answer
    except Problem as error:
        if filing_form.resent_changed(error):
            values[filing_form.TOKEN_FIELD] = filing_form.new_token()
            return again({}, "resent_changed", status=409)
        if status_of(error) == 422:
            errors = filing_form.service_errors(error, _field_of, _service_word(values["location"]))
            if "location" in errors:
                values["location"] = ""  # not a workplace to pick again
            return again(errors)
        return again({}, filing_form.refusal(error), status=status_of(error))
    except Exception as error:  # the engine or the database failed: keep what was typed
        log.warning("a signal form could not be filed: %s", type(error).__name__)
        return again({}, "unconfirmed", status=503)
    return filing_form.filed_redirect(
        request, settings, "/signal/filed", filed.reference, filed.access_code
    )


@router.get("/signal/filed", response_class=HTMLResponse)
def signal_filed(
    request: Request, session: SessionDep, settings: SettingsDep, viewer: PageViewerDep
) -> HTMLResponse:
    """The reference and access code of the signal just filed, and what happens next."""
    return filing_form.filed_page(request, session, settings, viewer, kind="signal")
