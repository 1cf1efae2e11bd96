"""The complainant's periodic status e-mail while a case is open (pure).

Every ``status_update_days`` (per covenant; 0 for cases filed before the setting existed,
so that their histories replay as recorded) since filing or the last status e-mail, the
complainant is told the stage, what the parties saw happen since and the next due date.
The summaries are gathered as steps happen (``note``): the workflow keeps no events.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.cases import CaseState
from domain.effects import Builder
from domain.enums import Audience, CaseStatus, NoticeKind, Visibility

DIGEST_KEPT = 30  # the latest summaries an e-mail lists; the case page has them all
SUMMARY_CHARS = 200


def due_at(state: CaseState) -> datetime | None:
    """When the next status e-mail is due, if the case sends them."""
    days = state.procedure.status_update_days
    if days <= 0 or state.status is CaseStatus.CLOSED:
        return None
    return (state.status_mail_at or state.filed_at) + timedelta(days=days)


def wakes(state: CaseState) -> list[datetime]:
    """The moment the timer must wake for the next status e-mail (none or one)."""
    at = due_at(state)
    return [] if at is None else [at]


def note(b: Builder) -> None:
    """Keep the summaries of this step's events that the complainant may see, for the next
    status e-mail (bounded: the latest ``DIGEST_KEPT``)."""
    if b.s.procedure.status_update_days <= 0:
        return
    # Nothing about a company routed to through its confidential list (``Party.disclosed``):
    # its own events, and those naming it, as ``services.listing_matches.hide_undisclosed``.
    hidden = {p.organisation_id: p.name for p in b.s.respondents if not p.disclosed}
    seen = [
        f"{e.at.date()}: {e.summary[:SUMMARY_CHARS]}"
        for e in b.t.events
        if e.visibility is not Visibility.COMMITTEE
        and e.party not in hidden
        and not any(name in e.summary for name in hidden.values())
    ]
    if seen:
        b.s.status_digest = [*b.s.status_digest, *seen][-DIGEST_KEPT:]


def send_due(b: Builder) -> None:
    """After a timer's step: keep its summaries, then send the status e-mail if it is due
    by now, with what happened since the last one."""
    note(b)
    at = due_at(b.s)
    if at is None or b.now < at:
        return
    s = b.s
    since = "\n".join(f"- {line}" for line in s.status_digest) or None
    s.status_mail_at, s.status_digest = b.now, []
    seq = b.event(
        "status_sent",
        "Status update sent to the complainant",
        text=since,
        visibility=Visibility.COMMITTEE,  # the complainant reads it in the e-mail
    )
    undisclosed = {p.organisation_id for p in s.respondents if not p.disclosed}
    upcoming = [d for d in s.open_deadlines() if d.party not in undisclosed]
    next_due = upcoming[0] if upcoming else None
    b.notify(
        NoticeKind.STATUS_UPDATE,
        [Audience.COMPLAINANT],
        deadline=next_due.name if next_due else None,
        party=next_due.party if next_due else None,
        quote=seq if since else None,
    )
