"""Signals: a report passed on to the companies, before or instead of a formal complaint."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from domain.actions.base import ActionModel, FormField, Note, Reason, Spec
from domain.cases import Actor, CaseState, Text
from domain.enums import NoticeKind, Role, Side, Stage
from domain.words import N_


def _reports_awaited(state: CaseState, now: datetime) -> str | None:
    if state.forwarded_at is None:
        return "the signal has not been passed on to the companies yet"
    if all(p.organisation_id in state.due_diligence for p in state.respondents):
        return "every company has reported on its due diligence"
    return None


def _reported(state: CaseState, actor: Actor) -> str | None:
    if actor.organisation_id in state.due_diligence:
        return "your organisation already reported on its due diligence"
    return None


class ForwardSignal(ActionModel):
    spec = Spec(
        label=N_("Pass the signal on to the companies"),
        who={Role.SECRETARIAT},
        stages={Stage.SIGNAL},
        refusal=lambda s, now: "the signal was already passed on" if s.forwarded_at else None,
        events={"signal_forwarded"},
        notices={NoticeKind.SIGNAL_NOTICE, NoticeKind.MESSAGE},
        form=(FormField("note", N_("Note to the companies (optional)")),),
    )

    action: Literal["forward_signal"]
    note: Note = ""


class ReportDueDiligence(ActionModel):
    spec = Spec(
        label=N_("Report on due diligence and remediation"),
        who={Side.RESPONDENT},
        stages={Stage.SIGNAL},
        refusal=_reports_awaited,
        actor_refusal=_reported,
        events={"due_diligence_reported"},
        notices={NoticeKind.MESSAGE},
        form=(
            FormField("text", N_("What your company looked into and what it did"), required=True),
        ),
    )

    action: Literal["report_due_diligence"]
    text: Text


class ConvertToComplaint(ActionModel):
    spec = Spec(
        label=N_("Turn into a formal complaint"),
        who={Role.SECRETARIAT},
        stages={Stage.SIGNAL},
        events={"converted_to_complaint", "stage_changed"},
        notices={NoticeKind.STAGE_CHANGED, NoticeKind.MESSAGE},
        form=(FormField("reason", N_("Why it becomes a formal complaint"), required=True),),
    )

    action: Literal["convert_to_complaint"]
    reason: Reason


SignalAction = ForwardSignal | ReportDueDiligence | ConvertToComplaint
