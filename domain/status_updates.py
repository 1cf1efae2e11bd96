"""The complainant's periodic status e-mail while a case is open (pure).

Every ``status_update_days`` (per covenant; 0 for cases filed before the setting existed,
so that their histories replay as recorded) since filing or the last status e-mail, the
complainant is told the stage, what the parties saw happen since and the next due date.
The workflow keeps only when the last e-mail went out (``CaseState.status_mail_at``): what
happened is the case's content, which the notifier reads from the read model
(``activities.notify``: the latest ``KEPT`` events since the previous ``status_sent``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.cases import CaseState
from domain.effects import Builder
from domain.enums import Audience, CaseStatus, NoticeKind, Visibility

# The latest events an e-mail lists (the case page has them all): those the complainant may
# see (not the committee's own), and nothing about a company routed to through its
# confidential list (``Party.disclosed``): neither its own events nor those naming it, as
# ``services.listing_matches.hide_undisclosed``.
KEPT = 30
SENT = "status_sent"  # the event each status e-mail records (and quotes, for the notifier)


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


def hidden_companies(state: CaseState) -> dict[str, str]:
    """The companies the complainant may not know of: organisation id -> name."""
    return {p.organisation_id: p.name for p in state.respondents if not p.disclosed}


def send_due(b: Builder) -> None:
    """After a timer's step: send the status e-mail if it is due by now. Its ``status_sent``
    event is quoted: the notifier lists the events between the previous one and it."""
    at = due_at(b.s)
    if at is None or b.now < at:
        return
    s = b.s
    s.status_mail_at = b.now
    seq = b.event(
        "status_sent",  # SENT, written out: tests/domain/test_action_registry.py reads it
        "Status update sent to the complainant",
        visibility=Visibility.COMMITTEE,  # the complainant reads it in the e-mail
    )
    undisclosed = set(hidden_companies(s))
    upcoming = [d for d in s.open_deadlines() if d.party not in undisclosed]
    next_due = upcoming[0] if upcoming else None
    b.notify(
        NoticeKind.STATUS_UPDATE,
        [Audience.COMPLAINANT],
        deadline=next_due.name if next_due else None,
        party=next_due.party if next_due else None,
        quote=seq,
    )
