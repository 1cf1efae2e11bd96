"""Drive a case to a given stage through the workflow's updates."""

from __future__ import annotations

from typing import Any

from temporalio.client import WorkflowHandle

from domain.enums import Stage
from tests.workflows.conftest import CHAIR, COMPANY, MEDIATOR, SECRETARIAT, UNION, act, in_days

STEPS: list[tuple[Stage, Any, dict[str, Any]]] = [
    (Stage.SCREENING, SECRETARIAT, {"action": "register"}),
    (Stage.ADMISSIBILITY, CHAIR, {"action": "declare_admissible"}),
    (Stage.RESPONSE, COMPANY, {"action": "submit_response", "text": "Our response."}),
    (Stage.RESPONSE, SECRETARIAT, {"action": "propose_mediation"}),
    (Stage.MEDIATION, UNION, {"action": "consent_to_mediation"}),
    (Stage.MEDIATION, COMPANY, {"action": "consent_to_mediation"}),
    (Stage.MEDIATION, MEDIATOR, {"action": "end_mediation", "reason": "No agreement"}),
    (Stage.HEARING, SECRETARIAT, {"action": "schedule_hearing", "at": f"{in_days(30)}T10:00:00Z"}),
    (Stage.HEARING, CHAIR, {"action": "record_hearing", "minutes": "Heard both."}),
    (
        Stage.DECISION,
        CHAIR,
        {
            "action": "issue_decision",
            "finding": "founded",
            "reasons": "Founded.",
            "orders": [{"text": "Pay wages", "due": in_days(90)}],
        },
    ),
]
OPEN_STAGES = [
    Stage.SCREENING,
    Stage.ADMISSIBILITY,
    Stage.RESPONSE,
    Stage.MEDIATION,
    Stage.HEARING,
    Stage.DECISION,
    Stage.REMEDIATION,
]


async def drive_to(handle: WorkflowHandle[Any, Any], stage: Stage) -> None:
    """Take the happy-path actions until the case stands in ``stage``."""
    order = OPEN_STAGES.index(stage)
    for step_stage, actor, action in STEPS:
        if OPEN_STAGES.index(step_stage) >= order:
            return
        await act(handle, actor, **action)
