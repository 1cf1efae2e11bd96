"""Transitions of screening, admissibility and the company's response (pure)."""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.cases import Actor
from domain.effects import Builder
from domain.enums import Audience, NoticeKind, Outcome, Stage, Visibility


def apply(b: Builder, actor: Actor, action: a.ScreeningAction | a.ResponseAction) -> None:
    """The effect of a screening, admissibility or response action."""
    s = b.s
    match action:
        case a.Register(note=note):
            b.meet("register")
            # The secretariat's screening note may weigh reprisal risks: for the committee.
            b.enter(
                Stage.ADMISSIBILITY,
                "Registered; the committee examines admissibility",
                text=note,
                visibility=Visibility.COMMITTEE,
            )
            b.open("admissibility", Audience.CHAIR)
            b.notify(NoticeKind.COMPANY_NOTICE, [Audience.RESPONDENTS], deadline="admissibility")
            b.notify(
                NoticeKind.STAGE_CHANGED,
                [Audience.CHAIR, Audience.COMMITTEE],
                deadline="admissibility",
            )
        case a.ReferOut(reason=reason):
            b.close(Outcome.REFERRED, "Not processed: referred elsewhere", reason)
        case a.DeclareAdmissible(reasons=reasons):
            b.meet("admissibility")
            b.enter(Stage.RESPONSE, "Declared admissible; the company is to respond", text=reasons)
            for party in s.respondents:  # each company answers for itself, by its own date
                org = party.organisation_id
                label = f"Response of {party.name}"
                b.open("response", Audience.RESPONDENTS, label=label, party=org)
                b.notify(
                    NoticeKind.COMPANY_NOTICE,
                    [Audience.RESPONDENTS],
                    deadline="response",
                    party=org,
                )
        case a.DeclareInadmissible(reasons=reasons):
            b.close(Outcome.INADMISSIBLE, "Declared inadmissible", reasons)
        case a.SubmitResponse(text=text):
            org = actor.organisation_id or ""
            s.responses[org] = b.now
            if all(p.organisation_id in s.responses for p in s.respondents):
                s.response_submitted_at = b.now
            b.meet("response", party=org)
            company = next((p for p in s.respondents if p.organisation_id == org), None)
            name = company.name if company is not None else "The company"
            # A company routed to through its confidential list is not named to the
            # complainant (Party.disclosed; cases filed before it have none such): its response
            # is for staff and itself, whatever its text says.
            told = company is None or company.disclosed
            summary = f"{name} submitted its response"
            b.event("response_submitted", summary, text=text, party=None if told else org)
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.COMPLAINANT, Audience.SECRETARIAT] if told else [Audience.SECRETARIAT],
                text=f"{name} has submitted its response.",
            )
        case _:
            assert_never(action)
