"""Screening and admissibility: the secretariat registers or refers out, the committee admits."""

from __future__ import annotations

from typing import Literal

from domain.actions.base import NOTE, REASONS, ActionModel, FormField, Note, Reason, Spec
from domain.enums import NoticeKind, Role, Stage
from domain.words import N_

DECIDES_ADMISSIBILITY = {Role.CHAIR, Role.COMMITTEE}


class Register(ActionModel):
    spec = Spec(
        label=N_("Register the complaint"),
        who={Role.SECRETARIAT},
        stages={Stage.SCREENING},
        events={"stage_changed"},
        notices={NoticeKind.STAGE_CHANGED, NoticeKind.COMPANY_NOTICE},
        form=(NOTE,),
    )

    action: Literal["register"]
    note: Note = ""


class ReferOut(ActionModel):
    spec = Spec(
        label=N_("Refer out (not processed)"),
        who={Role.SECRETARIAT},
        stages={Stage.SCREENING},
        events={"closed"},
        notices={NoticeKind.CLOSED},
        form=(
            FormField(
                "reason", N_("Why it is not processed, and where it is referred"), required=True
            ),
        ),
    )

    action: Literal["refer_out"]
    reason: Reason


class DeclareAdmissible(ActionModel):
    spec = Spec(
        label=N_("Declare admissible"),
        who=DECIDES_ADMISSIBILITY,
        stages={Stage.ADMISSIBILITY},
        events={"stage_changed"},
        notices={NoticeKind.STAGE_CHANGED, NoticeKind.COMPANY_NOTICE},
        form=(FormField("reasons", N_("Reasons (optional)")),),
    )

    action: Literal["declare_admissible"]
    reasons: Note = ""


class DeclareInadmissible(ActionModel):
    spec = Spec(
        label=N_("Declare inadmissible"),
        who=DECIDES_ADMISSIBILITY,
        stages={Stage.ADMISSIBILITY},
        events={"closed"},
        notices={NoticeKind.CLOSED},
        form=(REASONS,),
    )

    action: Literal["declare_inadmissible"]
    reasons: Reason


ScreeningAction = Register | ReferOut | DeclareAdmissible | DeclareInadmissible
