"""Confidential listings at intake: a complaint or signal that names a factory on a company's
confidential supplier list is routed to that company, and the secretariat is told.

The complainant never learns the listing exists: the company joins the case's respondents
undisclosed (``Party.disclosed`` false), which only staff and the company itself see
(``VisibleCase.seen``); the filing answers the same, in the same way, whether or not a
listing matched (the secretariat's note is sent after the answer, not before it); and
nothing of the match is logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session
from temporalio.client import Client

from domain.actions import ActionRequest, AddMessage
from domain.cases import Actor, CaseState, Party
from domain.enums import Role, Visibility
from domain.supplier_lists import Mention
from services.engine import run_action
from store import locations

log = logging.getLogger(__name__)
# Who the note is from on the timeline: the system, acting for the secretariat.
NOTING_USER = "redress"
# Notes being sent; kept so that a task is not collected before it has run.
_PENDING: set[asyncio.Task[None]] = set()


@dataclass(frozen=True)
class ListingMatch:
    """A confidential listing a filing names: the company and its factory."""

    company_id: str
    company_name: str
    location_id: str
    location_name: str
    address: str
    country: str
    by: str  # "the production location named" or "the complaint's text"


def find_matches(
    *, session: Session, covenant: str, texts: Sequence[str], location_id: str | None
) -> list[ListingMatch]:
    """The covenant's confidential listings of the location the filing names, and those
    whose factory its texts name by name and address (blocking)."""
    mention = Mention.of(*texts)
    found: dict[tuple[str, str], ListingMatch] = {}
    for row in locations.confidential_listing_rows(session=session, covenant=covenant):
        if row.location_id == location_id:
            by = "the production location named"
        elif mention.may_name(row.search_text) and mention.names(row.name, row.address):
            by = "the complaint's text"
        else:
            continue
        found.setdefault(
            (row.company_id, row.location_id),
            ListingMatch(
                company_id=row.company_id,
                company_name=row.company_name,
                location_id=row.location_id,
                location_name=row.name,
                address=row.address,
                country=row.country,
                by=by,
            ),
        )
    return list(found.values())


def routed(respondents: list[Party], matches: Sequence[ListingMatch]) -> list[Party]:
    """The respondents with every matched company that is not one yet, undisclosed."""
    known = {p.organisation_id for p in respondents}
    added: list[Party] = []
    for match in matches:
        if match.company_id not in known:
            known.add(match.company_id)
            added.append(
                Party(
                    organisation_id=match.company_id,
                    name=match.company_name,
                    production_location_id=match.location_id,
                    disclosed=False,
                )
            )
    return [*respondents, *added]


def note_text(matches: Sequence[ListingMatch]) -> str:
    """The secretariat's note: which confidential listings the filing matched."""
    lines = [
        "This case names a factory on a confidential supplier list (staff only; the "
        "complainant is not told):"
    ]
    for m in matches:
        lines.append(
            f"- {m.location_name}, {m.address} ({m.country}): listed confidentially by "
            f"{m.company_name} ({m.company_id}), matched on {m.by}. The company is a "
            "respondent that only staff and the company itself see."
        )
    return "\n".join(lines)


async def note_matches(client: Client, *, session: Session, reference: str, note: str) -> None:
    """Record the note on the case's timeline, for staff only (a committee message)."""
    request = ActionRequest(
        actor=Actor(user=NOTING_USER, role=Role.SECRETARIAT),
        action=AddMessage(action="add_message", text=note, visibility=Visibility.COMMITTEE),
    )
    await run_action(
        client,
        session=session,
        reference=reference,
        request=request,
        idempotency_key=f"listing-match:{reference}",
    )


def send_note_later(
    client: Client, *, session: Session, reference: str, matches: Sequence[ListingMatch]
) -> None:
    """Send the note once the filing has been answered: the answer takes as long with a
    match as without one. A note that cannot be sent is logged, naming nothing matched
    (the routing stands: staff see the undisclosed respondent on the case)."""
    note = note_text(matches)

    async def send() -> None:
        # Its own session: the request's is closed once the answer has gone.
        own = Session(session.get_bind())
        try:
            await note_matches(client, session=own, reference=reference, note=note)
        except Exception as exc:
            log.warning(
                "case %s: the confidential-listing note was not recorded (%s)",
                reference,
                type(exc).__name__,
            )
        finally:
            own.close()

    task = asyncio.get_running_loop().create_task(send())
    _PENDING.add(task)
    task.add_done_callback(_PENDING.discard)


def hide_undisclosed(state: CaseState, organisation: str | None) -> CaseState:
    """The case without the respondents it was routed to through a confidential listing,
    but for the caller's own organisation: for everyone who is not staff. Their deadlines,
    orders, plans, documents and events go with them, as does any event naming them."""
    hidden = {
        p.organisation_id
        for p in state.respondents
        if not p.disclosed and p.organisation_id != organisation
    }
    if not hidden:
        return state
    names = [p.name for p in state.respondents if p.organisation_id in hidden]

    def shown(text: str | None) -> bool:
        return not text or not any(name in text for name in names)

    companies = {k: v for k, v in state.mediation.companies.items() if k not in hidden}
    mediation = state.mediation.model_copy(update={"companies": companies})
    return state.model_copy(
        update={
            "respondents": [p for p in state.respondents if p.organisation_id not in hidden],
            "deadlines": [d for d in state.deadlines if d.party not in hidden],
            "orders": [o for o in state.orders if o.respondent not in hidden],
            "documents": [d for d in state.documents if d.party not in hidden],
            "events": [
                e
                for e in state.events
                if e.party not in hidden and shown(e.summary) and shown(e.text)
            ],
            "responses": {k: v for k, v in state.responses.items() if k not in hidden},
            "due_diligence": {k: v for k, v in state.due_diligence.items() if k not in hidden},
            "plans": {k: v for k, v in state.plans.items() if k not in hidden},
            "non_compliance": [n for n in state.non_compliance if n.respondent not in hidden],
            "mediation": mediation,
        }
    )
