"""Actor claims the workflow can trust: the API's Temporal client signs the actor of every
``act`` update (HMAC with a key derived from ``REDRESS_SECRET_KEY``), and the worker
refuses, in the update's validator, one that is unsigned or wrongly signed. So anything
else that reaches the Temporal server cannot act as the chair.

Validators do not run on replay, so recorded histories are untouched.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from temporalio import workflow
from temporalio.client import Interceptor as ClientInterceptor
from temporalio.client import OutboundInterceptor, StartWorkflowUpdateInput, WorkflowUpdateHandle
from temporalio.exceptions import ApplicationError
from temporalio.worker import (
    HandleUpdateInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

from domain.actions import ActionRequest

ACT = "act"
UNSIGNED = "the actor's claim is missing or not signed by the API; nothing was done"


def claim_key(secret_key: str) -> bytes:
    """The signing key, derived from the server key (so no new secret to distribute)."""
    return hashlib.sha256(b"redress-actor-claims:" + secret_key.encode()).digest()


def claim_for(key: bytes, workflow_id: str, request: ActionRequest) -> str:
    """The signature of who does what on which case."""
    material = [
        workflow_id,
        request.actor.model_dump(mode="json"),
        request.action.model_dump(mode="json"),
    ]
    text = json.dumps(material, sort_keys=True, ensure_ascii=False)
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


class ClaimSigner(ClientInterceptor):
    """Client side: every ``act`` update carries its claim."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        """Wrap the client's outbound calls."""
        return _SigningOutbound(next, self.key)


class _SigningOutbound(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, key: bytes) -> None:
        super().__init__(next)
        self.key = key

    async def start_workflow_update(
        self, input: StartWorkflowUpdateInput
    ) -> WorkflowUpdateHandle[Any]:
        if input.update == ACT and input.args and isinstance(input.args[0], ActionRequest):
            request = input.args[0]
            signed = request.model_copy(update={"claim": claim_for(self.key, input.id, request)})
            input.args = [signed, *input.args[1:]]
        return await super().start_workflow_update(input)


class ClaimChecker(Interceptor):
    """Worker side: the ``act`` validator first checks the claim."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor]:
        """An inbound interceptor that knows the key."""
        key = self.key

        class Checking(_CheckingInbound):
            claim_key = key

        return Checking


class _CheckingInbound(WorkflowInboundInterceptor):
    claim_key: bytes = b""

    def handle_update_validator(self, input: HandleUpdateInput) -> None:
        if input.update == ACT:
            request = input.args[0] if input.args else None
            if not isinstance(request, ActionRequest) or not request.claim:
                raise ApplicationError(UNSIGNED, type="UnsignedActor", non_retryable=True)
            expected = claim_for(self.claim_key, workflow.info().workflow_id, request)
            if not hmac.compare_digest(expected, request.claim):
                raise ApplicationError(UNSIGNED, type="UnsignedActor", non_retryable=True)
        super().handle_update_validator(input)
