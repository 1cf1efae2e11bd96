"""Transitions of the hearing and the decision (pure)."""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.cases import Actor, Decision
from domain.effects import PARTY_AUDIENCES, Builder
from domain.enums import Audience, DeadlineState, NoticeKind, Stage, Visibility


def apply(b: Builder, actor: Actor, action: a.HearingAction) -> None:
    """The effect of a hearing or decision action."""
    s = b.s
    match action:
        case a.SendToHearing(reason=reason):
            # The response and mediation periods still open end here: nobody missed them.
            b.meet("response", "mediation", state=DeadlineState.CANCELLED)
            b.event("sent_to_hearing", "The secretariat sent the case to a hearing", text=reason)
            b.hearing("Sent to a hearing by the secretariat")
        case a.ScheduleHearing(at=at):
            s.hearing_at = at
            b.event("hearing_scheduled", f"Hearing scheduled for {at.isoformat()}")
            b.notify(NoticeKind.MESSAGE, PARTY_AUDIENCES, text=f"Hearing: {at.isoformat()}")
        case a.RecordHearing(minutes=minutes):
            s.hearing_held_at = b.now
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
                issued_at=b.now,
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
        case _:
            assert_never(action)
