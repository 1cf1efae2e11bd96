"""Transitions of the actions possible at any stage (pure)."""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.cases import Actor, DocumentRef, InformationRequest, Recusal
from domain.effects import PARTY_AUDIENCES, SIDE_AUDIENCE, Builder
from domain.enums import (
    Audience,
    CaseStatus,
    DeadlineState,
    NoticeKind,
    Outcome,
    Side,
    Visibility,
)
from domain.merging import remaining_complainants, several_complainants
from domain.splitting import split_off

WITHDREW_ONE = "A complainant withdrew from the case; it goes on for the other complainants:"


def apply(b: Builder, actor: Actor, action: a.AnytimeAction) -> None:
    """The effect of an action possible at any stage."""
    s, now = b.s, b.now
    match action:
        case a.RequestInformation(from_=side, question=question):
            s.information_request = InformationRequest(from_side=side, question=question, at=now)
            _suspend(b, f"Information requested from the {side}")
            # The question may name workers: on the timeline for the committee; the side
            # asked reads it on its page and in its e-mail.
            seq = b.event(
                "information_requested",
                f"Question to the {side}",
                text=question,
                visibility=Visibility.COMMITTEE,
            )
            b.open("information", SIDE_AUDIENCE[side])
            b.notify(
                NoticeKind.INFORMATION_REQUESTED,
                [SIDE_AUDIENCE[side]],
                deadline="information",
                quote=seq,
            )
        case a.ProvideInformation(text=text):
            s.information_request = None
            b.meet("information")
            # A complainant's answer often names workers: the committee alone reads it.
            private = actor.side is Side.COMPLAINANT
            b.event(
                "information_provided",
                "The requested information was provided",
                text=text,
                visibility=Visibility.COMMITTEE if private else Visibility.PARTIES,
                party=_undisclosed(b, actor),
            )
            b.t.events[-1].complainant = _complainant(b, actor)
            _resume(b, "The clock runs again")
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.SECRETARIAT],
                text="The requested information was provided.",
            )
        case a.Suspend(reason=reason):
            s.suspension_reason = reason
            seq = _suspend(b, "Suspended: the clock is stopped", text=reason)
            b.notify(NoticeKind.MESSAGE, PARTY_AUDIENCES, text="The case is suspended:", quote=seq)
        case a.Resume(note=note):
            if s.information_request is not None:
                s.information_request = None
                b.meet("information", state=DeadlineState.CANCELLED)
            _resume(b, "Resumed: the clock runs again", text=note)
            b.notify(NoticeKind.MESSAGE, PARTY_AUDIENCES, text="The case has resumed.")
        case a.ExtendDeadline(deadline=key, until=until, reason=reason):
            deadline = next(d for d in s.open_deadlines() if key in (d.id, d.name))
            b.t.extend = (deadline.id, until, reason)
            # One company's own deadline: the other companies are not told of it.
            seq = b.event(
                "deadline_extended",
                f"{deadline.label}: extended to {until.date()}",
                text=reason,
                party=deadline.party,
            )
            b.notify(
                NoticeKind.MESSAGE,
                [deadline.owner, *PARTY_AUDIENCES],
                text=f"{deadline.label}: extended to {until.date()}.",
                quote=seq,
                party=deadline.party,
            )
        case a.Withdraw(reason=reason):
            if not _withdraws_one(b, actor, reason):
                b.close(Outcome.WITHDRAWN, "Withdrawn by the complainant", reason)
        case a.Recuse(member=member, reason=reason):
            s.recusals.append(Recusal(member=member, reason=reason, at=now))
            b.event("recusal", f"{member} recused", text=reason, visibility=Visibility.COMMITTEE)
        case a.Assign(officer=officer, mediator=mediator):
            s.officer = officer or s.officer
            s.mediator = mediator or s.mediator
            who = ", ".join(
                f"{k}: {v}" for k, v in (("officer", officer), ("mediator", mediator)) if v
            )
            b.event("assigned", f"Assigned ({who})", visibility=Visibility.COMMITTEE)
            if mediator:
                b.notify(
                    NoticeKind.MESSAGE,
                    [Audience.MEDIATOR],
                    text="You have been assigned as mediator of this case.",
                )
        case a.AddMessage(text=text, visibility=visibility, party=party):
            party = party or _undisclosed(b, actor)
            seq = b.event("message", "Message", text=text, visibility=visibility, party=party)
            b.t.events[-1].complainant = _complainant(b, actor)
            audiences = _message_audiences(actor, visibility)
            b.notify(NoticeKind.MESSAGE, audiences, quote=seq, party=party)
        case a.AddDocument(
            document_id=doc_id, filename=filename, visibility=visibility, party=party
        ):
            party = party or _undisclosed(b, actor)
            b.t.documents.append(
                DocumentRef(
                    id=doc_id,
                    filename=filename,
                    visibility=visibility,
                    at=now,
                    by_side=actor.side,
                    party=party,
                )
            )
            summary = f"Document added: {filename}"
            b.event("document_added", summary, visibility=visibility, party=party)
        case a.SplitCase(respondent=organisation_id):
            b.t.spawn = split_off(b, organisation_id)
        case _:
            assert_never(action)


def _complainant(b: Builder, actor: Actor) -> int | None:
    """The complainant writing, on a case with several: what it wrote is its own to read."""
    if actor.side is not Side.COMPLAINANT or not several_complainants(b.s):
        return None
    return actor.complainant or 1


def _withdraws_one(b: Builder, actor: Actor, reason: str) -> bool:
    """On a case with several complainants, the one acting withdraws alone while others
    remain: it is marked withdrawn (no more notices), staff are told, and the case goes on.
    False when the case itself is withdrawn (one complainant, or the last one)."""
    s = b.s
    if not several_complainants(s):
        return False
    number = actor.complainant or 1
    if not [n for n in remaining_complainants(s) if n != number]:
        return False
    s.withdrawn_complainants.append(number)
    # The reason may name the complainant or workers: the committee reads it (and the
    # complainant who wrote it, on its tracking page); the other complainants do not.
    seq = b.event(
        "complainant_withdrawn",
        "A complainant withdrew; the case goes on for the others",
        text=reason,
        visibility=Visibility.COMMITTEE,
    )
    b.t.events[-1].complainant = number
    b.notify(NoticeKind.MESSAGE, [Audience.SECRETARIAT], text=WITHDREW_ONE, quote=seq)
    return True


def _suspend(b: Builder, summary: str, text: str | None = None) -> int:
    if b.s.status is CaseStatus.OPEN:
        b.s.status, b.s.suspended_at = CaseStatus.SUSPENDED, b.now
    return b.event("suspended", summary, text=text)


def _resume(b: Builder, summary: str, text: str | None = None) -> None:
    if b.s.status is CaseStatus.SUSPENDED:
        b.t.resumed_from = b.s.suspended_at
        b.s.status, b.s.suspended_at, b.s.suspension_reason = CaseStatus.OPEN, None, None
    b.event("resumed", summary, text=text or None)


def _undisclosed(b: Builder, actor: Actor) -> str | None:
    """The acting company if it was routed to through its confidential list: what it writes
    is for staff and itself (``Party.disclosed``), as everything else about it."""
    org = actor.organisation_id if actor.side is Side.RESPONDENT else None
    return (
        org if any(p.organisation_id == org and not p.disclosed for p in b.s.respondents) else None
    )


def _message_audiences(actor: Actor, visibility: Visibility) -> list[Audience]:
    audiences = [Audience.SECRETARIAT]
    if visibility is not Visibility.COMMITTEE:
        audiences += [aud for side, aud in SIDE_AUDIENCE.items() if side is not actor.side]
    return audiences
