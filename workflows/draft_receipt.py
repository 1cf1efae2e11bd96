"""The receipt of a complaint sent by e-mail: sent until the mail server takes it.

Sandbox-safe: imports only temporalio. Started by ``services.email_complaints`` once the draft
is stored (its workflow id is the draft's: a redelivered message starts nothing more); the
draft's id is all it carries, never the access code (it would stay in the history).
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

SEND_TIMEOUT = timedelta(minutes=2)
# Tried until the mail server takes it (a server down for a day included); after two weeks
# the drafts page shows the secretariat that no receipt went out.
RECEIPT_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=5),
    maximum_interval=timedelta(hours=1),
    maximum_attempts=0,
)
GIVE_UP = timedelta(days=14)


def receipt_workflow_id(draft_id: str) -> str:
    """The receipt workflow's id for a draft."""
    return f"email-draft-receipt-{draft_id}"


@workflow.defn
class DraftReceiptWorkflow:
    """Sends one e-mailed complaint's receipt (reference and access code) to its sender."""

    @workflow.run
    async def run(self, draft_id: str) -> int:
        """How many mails went out (0 when an earlier run had sent it)."""
        sent: int = await workflow.execute_activity(
            "send_draft_receipt",
            draft_id,
            start_to_close_timeout=SEND_TIMEOUT,
            schedule_to_close_timeout=GIVE_UP,
            retry_policy=RECEIPT_RETRY,
        )
        return sent
