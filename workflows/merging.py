"""The merged case's two steps outside its own state: copying its complainants to the case
it is merged into, and telling that case's workflow (sandbox-safe: temporalio and domain)."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, FailureError

with workflow.unsafe.imports_passed_through():
    from domain.cases import IntakeCopy
    from domain.errors import InvalidAction, WrongStage
    from domain.merging import ABSORB_SIGNAL, MergeIn

from workflows.notice_retry import QUICK

REFUSALS = (InvalidAction.kind, WrongStage.kind)


async def copy_complainants(source: str, target: str) -> None:
    """Add the source's complainants to the case it is merged into; the activity checks that
    case first, and its refusal is the update's (nothing recorded here or there)."""
    copy = IntakeCopy(from_reference=source, to_reference=target, merge=True)
    try:
        await workflow.execute_activity("copy_intake", copy, start_to_close_timeout=QUICK)
    except ActivityError as error:
        cause = error.cause
        if isinstance(cause, ApplicationError) and cause.type in REFUSALS:
            raise ApplicationError(
                cause.message, {"allowed": []}, type=cause.type, non_retryable=True
            ) from None
        raise


async def tell_merged(target: str, merge: MergeIn) -> None:
    """Signal the case the source was merged into; it records the merge once."""
    handle = workflow.get_external_workflow_handle(f"case-{target}")
    try:
        await handle.signal(ABSORB_SIGNAL, merge)
    except FailureError as error:  # its workflow ended (closed) since copy_intake checked
        workflow.logger.warning("case %s was not told of the merge: %s", target, error)
