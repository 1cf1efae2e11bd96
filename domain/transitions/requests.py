"""Transitions of the parties' requests: extensions, follow-up and meetings (pure)."""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.actions.requests import askable
from domain.cases import Actor
from domain.effects import PARTY_AUDIENCES, SIDE_AUDIENCE, Builder
from domain.enums import Audience, DeadlineState, NoticeKind, Side, Visibility
from domain.merging import several_complainants
from domain.party_requests import Answer, ExtensionAsk, PartyRequest, RequestKind


def apply(b: Builder, actor: Actor, action: a.RequestsAction) -> None:
    """The effect of a party's request, or of its answer."""
    s, now = b.s, b.now
    match action:
        case a.RequestExtension(until=until, reasons=reasons):
            deadline = next(d for d in askable(s, actor) if action.deadline in (d.id, d.name))
            assert actor.side is not None
            company = actor.organisation_id if actor.side is Side.RESPONDENT else None
            asked = ExtensionAsk(
                id=f"extension-{len(s.extension_requests) + 1}",
                deadline_id=deadline.id,
                deadline_label=deadline.label,
                until=until,
                side=actor.side,
                organisation_id=company,
                at=now,
                answer_deadline_id=_open_answer(b, "extension_answer", Audience.CHAIR),
            )
            s.extension_requests.append(asked)
            # A complainant's reasons may name workers: the committee reads them (and the
            # complainant, its own); a company's are seen like its other writing on the case.
            private = actor.side is Side.COMPLAINANT
            # A company routed to through its confidential list asking more time for a shared
            # period (mediation): for itself and staff, as its other writing on the case.
            undisclosed = any(
                p.organisation_id == company and not p.disclosed for p in s.respondents
            )
            seq = b.event(
                "extension_requested",
                f"{asked.id}: more time asked for '{deadline.label}', until {until.date()}",
                text=reasons,
                visibility=Visibility.COMMITTEE if private else Visibility.PARTIES,
                party=None if private else company if undisclosed else deadline.party,
            )
            b.t.events[-1].complainant = _complainant(b, actor)
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.CHAIR],
                deadline="extension_answer",
                text=f"{deadline.label}: more time is asked, until {until.date()}.",
                quote=seq,
            )
        case a.GrantExtension(request=request, reason=reason):
            asked = _answer(b, request, Answer.GRANTED)
            deadline = next(d for d in s.open_deadlines() if d.id == asked.deadline_id)
            b.t.extend = (deadline.id, asked.until, reason or f"{asked.id} granted")
            seq = b.event(
                "extension_granted",
                f"{asked.id} granted: '{deadline.label}' extended to {asked.until.date()}",
                text=reason or None,
                party=deadline.party,
            )
            b.notify(
                NoticeKind.MESSAGE,
                list(dict.fromkeys([*PARTY_AUDIENCES, deadline.owner])),
                text=f"{deadline.label}: extended to {asked.until.date()}.",
                quote=seq,
                party=deadline.party,
            )
        case a.RefuseExtension(request=request, reason=reason):
            asked = _answer(b, request, Answer.REFUSED)
            seq = b.event(
                "extension_refused",
                f"{asked.id} refused: no more time for '{asked.deadline_label}'",
                text=reason,
                party=asked.organisation_id,
            )
            b.notify(
                NoticeKind.MESSAGE,
                [SIDE_AUDIENCE[asked.side]],
                text=f"{asked.deadline_label}: the extension asked for was refused.",
                quote=seq,
                party=asked.organisation_id,
            )
        case a.RequestFollowUp(text=text):
            asked_for = _request(b, RequestKind.FOLLOW_UP)
            seq = b.event(
                "follow_up_requested",
                f"{asked_for.id}: the complainant asks for follow-up",
                text=text,
                visibility=Visibility.COMMITTEE,  # it may name workers
            )
            b.t.events[-1].complainant = asked_for.complainant
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.SECRETARIAT],
                deadline="request_answer",
                text="The complainant asks for follow-up:",
                quote=seq,
            )
        case a.RequestMeeting(text=text):
            asked_for = _request(b, RequestKind.MEETING)
            seq = b.event(
                "meeting_requested",
                f"{asked_for.id}: the complainant asks for a meeting with the company's "
                "representatives",
                text=text,
                visibility=Visibility.COMMITTEE,
            )
            b.t.events[-1].complainant = asked_for.complainant
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.SECRETARIAT],
                deadline="request_answer",
                text="The complainant asks for a meeting with the company's representatives:",
                quote=seq,
            )
            # The companies learn that a meeting is asked for, not who asked or in what words.
            _tell_disclosed(
                b,
                "The complainant asks for a meeting with your company's representatives. "
                "The secretariat will be in touch to arrange it.",
            )
        case a.AnswerRequest(request=request, text=text):
            asked_for = next(r for r in s.party_requests if r.id == request)
            asked_for.answered_at = now
            _meet(b, asked_for.answer_deadline_id)
            # For the complainant (its tracking page and e-mail) and the committee.
            seq = b.event(
                "request_answered",
                f"{asked_for.id} answered",
                text=text,
                visibility=Visibility.COMMITTEE,
            )
            b.t.events[-1].complainant = asked_for.complainant
            if asked_for.kind is RequestKind.MEETING:
                lead = (
                    "The secretariat answers your request for a meeting with the company's "
                    "representatives:"
                )
            else:
                lead = "The secretariat answers your request for follow-up:"
            b.notify(NoticeKind.MESSAGE, [Audience.COMPLAINANT], text=lead, quote=seq)
            # On a case with several complainants the answer is for the one that asked.
            b.t.notices[-1].complainant = asked_for.complainant
        case _:
            assert_never(action)


def _tell_disclosed(b: Builder, text: str) -> None:
    """Tell the companies the complainant knows of, not one routed to through its
    confidential list (``Party.disclosed``): the complainant does not know to ask it. One
    notice as before when every company is disclosed, or but one is (that one's), or none
    is (to no one); else one to each disclosed company."""
    shown = [p.organisation_id for p in b.s.respondents if p.disclosed]
    if len(shown) == len(b.s.respondents):
        b.notify(NoticeKind.MESSAGE, [Audience.RESPONDENTS], text=text)
    elif not shown:
        b.notify(NoticeKind.MESSAGE, [], text=text)
    else:
        for org in shown:
            b.notify(NoticeKind.MESSAGE, [Audience.RESPONDENTS], text=text, party=org)


def _answer(b: Builder, request: str, answer: Answer) -> ExtensionAsk:
    asked = next(r for r in b.s.extension_requests if r.id == request)
    asked.answer, asked.answered_at = answer, b.now
    _meet(b, asked.answer_deadline_id)
    return asked


def _request(b: Builder, kind: RequestKind) -> PartyRequest:
    asked_for = PartyRequest(
        id=f"request-{len(b.s.party_requests) + 1}",
        kind=kind,
        at=b.now,
        answer_deadline_id=_open_answer(b, "request_answer", Audience.SECRETARIAT),
        complainant=_complainant(b, b.actor),
    )
    b.s.party_requests.append(asked_for)
    return asked_for


def _complainant(b: Builder, actor: Actor | None) -> int | None:
    """The acting complainant, on a case with several (what it asks is its own)."""
    if actor is None or actor.side is not Side.COMPLAINANT or not several_complainants(b.s):
        return None
    return actor.complainant or 1


def _open_answer(b: Builder, name: str, owner: Audience) -> str:
    """Open the deadline to answer a request; its id, as the planner will number it
    (``domain.schedule.plan``: after the case's deadlines, in the order they are opened)."""
    deadline_id = f"{name}-{len(b.s.deadlines) + len(b.t.opens) + 1}"
    b.open(name, owner)
    return deadline_id


def _meet(b: Builder, deadline_id: str | None) -> None:
    """Mark met the one deadline opened to answer a request (others run on)."""
    for d in b.s.deadlines:
        if d.id == deadline_id and d.state is DeadlineState.OPEN:
            d.state, d.closed_at = DeadlineState.MET, b.now
