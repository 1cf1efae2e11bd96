"""What each action does to a case: the new state and its effects (pure)."""

from __future__ import annotations

from datetime import datetime

from domain import actions as a
from domain.actions import ActionInput
from domain.cases import (
    Actor,
    CaseStart,
    CaseState,
    Decision,
    DocumentRef,
    InformationRequest,
    Plan,
    Recusal,
)
from domain.effects import PARTY_AUDIENCES, SIDE_AUDIENCE, Builder, Transition
from domain.enums import (
    Audience,
    CaseKind,
    CaseStatus,
    DeadlineState,
    NoticeKind,
    OrderStatus,
    Outcome,
    PlanStatus,
    Side,
    Stage,
    Visibility,
)
from domain.signals import apply_signal, start_signal
from domain.splitting import split_off, start_split


def start_case(start: CaseStart) -> Transition:
    """A new case: screening for a complaint, dialogue for a dispute, forwarding for a signal."""
    state = CaseState(
        **start.model_dump(exclude={"procedure", "stage", "responses", "carried"}),
        procedure=start.procedure,
        deciding_body=start.procedure.deciding_body,
        stage=Stage.RECEIVED,
    )
    b = Builder(state, start.filed_at, None)
    if start.split_from is not None:
        start_split(b, start)
        return b.t
    if start.kind is CaseKind.SIGNAL:
        start_signal(b)
        return b.t
    noun = "Complaint" if start.kind is CaseKind.COMPLAINT else "Dispute"
    b.event("filed", f"{noun} received")
    b.notify(NoticeKind.RECEIPT, [Audience.COMPLAINANT])
    if start.kind is CaseKind.COMPLAINT:
        b.enter(Stage.SCREENING, "Screening by the secretariat", notify=False)
        b.open("register", Audience.SECRETARIAT)
        b.notify(NoticeKind.STAGE_CHANGED, [Audience.SECRETARIAT], deadline="register")
    else:
        b.enter(Stage.DIALOGUE, "Direct dialogue between the parties", notify=False)
        b.open("dialogue", Audience.SECRETARIAT)
        audiences = [Audience.RESPONDENTS, Audience.SECRETARIAT]
        b.notify(NoticeKind.STAGE_CHANGED, audiences, deadline="dialogue")
    return b.t


def apply(state: CaseState, actor: Actor, action: ActionInput, now: datetime) -> Transition:
    """The effect of an action that ``rules.check`` accepted."""
    b = Builder(state, now, actor)
    s = b.s
    match action:
        case a.ForwardSignal() | a.ReportDueDiligence() | a.ConvertToComplaint():
            apply_signal(b, actor, action)
        case a.SplitCase(respondent=organisation_id):
            b.t.spawn = split_off(b, organisation_id)
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
            s.responses[org] = now
            if all(p.organisation_id in s.responses for p in s.respondents):
                s.response_submitted_at = now
            b.meet("response", party=org)
            name = next((p.name for p in s.respondents if p.organisation_id == org), "The company")
            b.event("response_submitted", f"{name} submitted its response", text=text)
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.COMPLAINANT, Audience.SECRETARIAT],
                text=f"{name} has submitted its response.",
            )
        case a.ProposeMediation(note=note):
            # Response deadlines still open were missed, not met.
            b.meet("response", state=DeadlineState.CANCELLED)
            s.mediation.proposed_at = now
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
                s.mediation.started_at = now
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
        case a.ScheduleHearing(at=at):
            s.hearing_at = at
            b.event("hearing_scheduled", f"Hearing scheduled for {at.isoformat()}")
            b.notify(NoticeKind.MESSAGE, PARTY_AUDIENCES, text=f"Hearing: {at.isoformat()}")
        case a.RecordHearing(minutes=minutes):
            s.hearing_held_at = now
            b.meet("hearing")
            b.event(
                "hearing_held", "The hearing was held", text=minutes, visibility=Visibility.PARTIES
            )
            b.enter(Stage.DECISION, "Hearing held; the decision is being prepared")
            b.open("decision", Audience.CHAIR)
        case a.IssueDecision(
            finding=finding, reasons=reasons, orders=orders, recommendations=recommendations
        ):
            s.decision = Decision(
                finding=finding,
                reasons=reasons,
                issued_at=now,
                recommendations=recommendations,
                body=s.deciding_body,
            )
            b.meet("decision")
            seq = b.event(
                "decision_issued", f"Decision issued: {finding.replace('_', ' ')}", text=reasons
            )
            b.notify(
                NoticeKind.MESSAGE,
                [*PARTY_AUDIENCES, Audience.SECRETARIAT],
                text=f"Decision: {finding.replace('_', ' ')}.",
                quote=seq,
            )
            if orders:
                b.remediation(orders)
        case a.SubmitRemediationPlan(text=text):
            s.plan = Plan(status=PlanStatus.SUBMITTED, text=text)
            b.meet("remediation_plan")
            b.event("plan_submitted", "The company submitted a remediation plan", text=text)
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.SECRETARIAT, Audience.COMPLAINANT],
                text="The company submitted a remediation plan for review.",
            )
        case a.ApproveRemediationPlan(note=note):
            assert s.plan is not None
            s.plan.status = PlanStatus.APPROVED
            b.event("plan_approved", "The remediation plan was approved", text=note or None)
            if any(o.status is not OrderStatus.VERIFIED for o in s.orders):
                b.open("progress_report", Audience.RESPONDENTS)
                b.notify(
                    NoticeKind.COMPANY_NOTICE, [Audience.RESPONDENTS], deadline="progress_report"
                )
        case a.RejectRemediationPlan(reasons=reasons):
            assert s.plan is not None
            s.plan.status, s.plan.rejection_reasons = PlanStatus.REJECTED, reasons
            seq = b.event("plan_rejected", "The remediation plan was rejected", text=reasons)
            b.open("remediation_plan", Audience.RESPONDENTS)
            b.notify(
                NoticeKind.COMPANY_NOTICE,
                [Audience.RESPONDENTS],
                deadline="remediation_plan",
                quote=seq,
            )
        case a.SubmitProgressReport(text=text, order=number):
            s.orders[number - 1].status = OrderStatus.REPORTED
            b.meet("progress_report")
            b.event("progress_reported", f"Progress report on order {number}", text=text)
            b.open("progress_report", Audience.RESPONDENTS)
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.SECRETARIAT],
                text=f"Progress report on order {number}.",
            )
        case a.VerifyOrder(order=number, note=note):
            s.orders[number - 1].status = OrderStatus.VERIFIED
            b.meet(f"order-{number}")
            summary = f"Order {number} verified as complied with"
            b.event("order_verified", summary, text=note or None)
            if all(o.status is OrderStatus.VERIFIED for o in s.orders):
                b.meet("progress_report", state=DeadlineState.CANCELLED)
                b.event("orders_complied", "Every order is verified; the case can be closed")
            b.notify(
                NoticeKind.MESSAGE,
                [*PARTY_AUDIENCES, Audience.CHAIR],
                text=f"Order {number} has been verified as complied with.",
            )
        case a.Close(outcome=outcome, summary=summary):
            b.close(Outcome(outcome), f"Closed: {Outcome(outcome).replace('_', ' ')}", summary)
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
            )
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
            seq = b.event(
                "deadline_extended", f"{deadline.label}: extended to {until.date()}", text=reason
            )
            b.notify(
                NoticeKind.MESSAGE,
                [deadline.owner, *PARTY_AUDIENCES],
                text=f"{deadline.label}: extended to {until.date()}.",
                quote=seq,
            )
        case a.Withdraw(reason=reason):
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
            seq = b.event("message", "Message", text=text, visibility=visibility, party=party)
            audiences = _message_audiences(actor, visibility)
            b.notify(NoticeKind.MESSAGE, audiences, quote=seq, party=party)
        case a.AddDocument(
            document_id=doc_id, filename=filename, visibility=visibility, party=party
        ):
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
    return b.t


def _suspend(b: Builder, summary: str, text: str | None = None) -> int:
    if b.s.status is CaseStatus.OPEN:
        b.s.status, b.s.suspended_at = CaseStatus.SUSPENDED, b.now
    return b.event("suspended", summary, text=text)


def _resume(b: Builder, summary: str, text: str | None = None) -> None:
    if b.s.status is CaseStatus.SUSPENDED:
        b.t.resumed_from = b.s.suspended_at
        b.s.status, b.s.suspended_at, b.s.suspension_reason = CaseStatus.OPEN, None, None
    b.event("resumed", summary, text=text or None)


def _message_audiences(actor: Actor, visibility: Visibility) -> list[Audience]:
    audiences = [Audience.SECRETARIAT]
    if visibility is not Visibility.COMMITTEE:
        audiences += [aud for side, aud in SIDE_AUDIENCE.items() if side is not actor.side]
    return audiences
