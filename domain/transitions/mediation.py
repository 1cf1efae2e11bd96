"""Transitions of mediation and of a dispute's direct dialogue (pure)."""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.cases import Actor
from domain.effects import PARTY_AUDIENCES, Builder
from domain.enums import Audience, DeadlineState, NoticeKind, Side, Stage


def apply(b: Builder, actor: Actor, action: a.MediationAction) -> None:
    """The effect of a mediation or dialogue action."""
    s = b.s
    match action:
        case a.ProposeMediation(note=note):
            # Response deadlines still open were missed, not met.
            b.meet("response", state=DeadlineState.CANCELLED)
            s.mediation.proposed_at = b.now
            summary = "Mediation proposed; both parties are asked to consent"
            b.enter(Stage.MEDIATION, summary, text=note)
            b.open("mediation", Audience.MEDIATOR)
            b.notify(NoticeKind.COMPANY_NOTICE, [Audience.RESPONDENTS], deadline="mediation")
        case a.ConsentToMediation():
            assert actor.side is not None
            if actor.side not in s.mediation.consents:
                s.mediation.consents.append(actor.side)
            b.event("mediation_consent", f"The {actor.side} consented to mediation")
            if set(s.mediation.consents) == {Side.COMPLAINANT, Side.RESPONDENT}:
                s.mediation.started_at = b.now
                b.event("mediation_started", "Both parties consented: mediation has started")
                b.notify(
                    NoticeKind.MESSAGE,
                    [*PARTY_AUDIENCES, Audience.MEDIATOR],
                    text="Both parties consented: mediation has started.",
                )
        case a.DeclineMediation(reason=reason):
            b.meet("mediation", state=DeadlineState.CANCELLED)
            b.event("mediation_declined", f"The {actor.side} declined mediation", text=reason)
            b.hearing("Mediation declined; the case goes to a hearing")
        case a.RecordMediationAgreement(terms=terms, orders=orders):
            s.mediation.terms = terms
            b.meet("mediation")
            b.event("mediation_agreement", "The parties reached a mediation agreement", text=terms)
            b.remediation(orders)
        case a.EndMediation(reason=reason):
            b.meet("mediation", state=DeadlineState.CANCELLED)
            b.event("mediation_failed", "Mediation ended without agreement", text=reason)
            b.hearing("Mediation failed; the case goes to a hearing")
        case a.EndDialogue(reason=reason):
            b.meet("dialogue")
            b.event("dialogue_ended", "The dialogue ended without settlement", text=reason)
            b.hearing(f"Referred to the {s.deciding_body.replace('_', ' ')} for a hearing")
        case _:
            assert_never(action)
