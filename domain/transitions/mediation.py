"""Transitions of mediation and of a dispute's direct dialogue (pure)."""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.actions.respondents import resolved
from domain.cases import Actor
from domain.effects import PARTY_AUDIENCES, Builder
from domain.enums import Audience, DeadlineState, NoticeKind, Side, Stage
from domain.merging import remaining_complainants, several_complainants
from domain.splitting import split_off_several

STARTED = "Both parties consented: mediation has started."


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
        case a.ConsentToMediation(respondent=respondent) if s.per_company:
            if actor.side is Side.COMPLAINANT:
                if _complainants_consent(b, actor):
                    s.mediation.consents.append(Side.COMPLAINANT)
            else:
                org = resolved(s, actor, respondent)
                s.mediation.companies[org] = True
                b.event("mediation_consent", f"{_name(b, org)} consented to mediation", party=org)
            _settle(b)
        case a.DeclineMediation(reason=reason, respondent=respondent) if (
            s.per_company and actor.side is not Side.COMPLAINANT
        ):
            org = resolved(s, actor, respondent)
            s.mediation.companies[org] = False
            summary = f"{_name(b, org)} declined mediation"
            b.event("mediation_declined", summary, text=reason or None, party=org)
            _settle(b)
        case a.ConsentToMediation():
            assert actor.side is not None
            if actor.side is not Side.COMPLAINANT:
                if actor.side not in s.mediation.consents:
                    s.mediation.consents.append(actor.side)
                b.event("mediation_consent", f"The {actor.side} consented to mediation")
            elif _complainants_consent(b, actor):
                s.mediation.consents.append(Side.COMPLAINANT)
            if set(s.mediation.consents) == {Side.COMPLAINANT, Side.RESPONDENT}:
                s.mediation.started_at = b.now
                b.event("mediation_started", "Both parties consented: mediation has started")
                b.notify(
                    NoticeKind.MESSAGE,
                    [*PARTY_AUDIENCES, Audience.MEDIATOR],
                    text=STARTED,
                )
        case a.DeclineMediation(reason=reason):
            b.meet("mediation", state=DeadlineState.CANCELLED)
            b.event("mediation_declined", f"The {actor.side} declined mediation", text=reason)
            if actor.side is Side.COMPLAINANT and several_complainants(s):
                # Any complainant may refuse mediation: the case goes to a hearing.
                b.t.events[-1].complainant = actor.complainant or 1
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


def _complainants_consent(b: Builder, actor: Actor) -> bool:
    """Record a complainant's consent; whether the complainant side now consents (not
    before): on a case with several complainants, once every one still in it has."""
    s = b.s
    if not several_complainants(s):
        b.event("mediation_consent", "The complainant consented to mediation")
        return Side.COMPLAINANT not in s.mediation.consents
    number = actor.complainant or 1
    if number not in s.mediation.complainants:
        s.mediation.complainants.append(number)
    b.event("mediation_consent", "A complainant consented to mediation")
    b.t.events[-1].complainant = number
    agreed = set(s.mediation.complainants)
    waiting = [n for n in remaining_complainants(s) if n not in agreed]
    return not waiting and Side.COMPLAINANT not in s.mediation.consents


def _name(b: Builder, organisation_id: str) -> str:
    return next(p.name for p in b.s.respondents if p.organisation_id == organisation_id)


def _settle(b: Builder) -> None:
    """Once every company has answered: a hearing if none consented; otherwise, with the
    complainant's consent, mediation with those that did, the others split off to a hearing."""
    s = b.s
    ids = [p.organisation_id for p in s.respondents]
    answers = s.mediation.companies
    if any(org not in answers for org in ids):
        return  # a company may still answer (the secretariat records one that never does)
    declined = [org for org in ids if not answers[org]]
    if len(declined) == len(ids):
        b.meet("mediation", state=DeadlineState.CANCELLED)
        b.hearing("Mediation declined; the case goes to a hearing")
        return
    if Side.COMPLAINANT not in s.mediation.consents:
        return
    if declined:
        b.t.spawn = split_off_several(b, declined, stage=Stage.HEARING)
    s.mediation.started_at = b.now
    b.event("mediation_started", "Mediation has started with the companies that consented")
    b.notify(NoticeKind.MESSAGE, [*PARTY_AUDIENCES, Audience.MEDIATOR], text=STARTED)
