"""Actor claims: an update that reaches Temporal without the API's signature, or with a
forged actor, is refused by the workflow and changes nothing."""

from __future__ import annotations

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError

from core.claims import ClaimSigner, claim_key
from domain.actions import ActionRequest, Register
from domain.cases import Actor
from domain.enums import Role
from tests.api.conftest import Filed, Stack
from workflows.case import CaseWorkflow


async def test_only_the_apis_signed_actor_is_trusted(stack: Stack, file_complaint: Filed) -> None:
    ref = (await file_complaint())["reference"]
    forged = ActionRequest(
        actor=Actor(user="mallory", role=Role.SECRETARIAT), action=Register(action="register")
    )
    config = stack.client.config()
    config["interceptors"] = []
    unsigned = Client(**config)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await unsigned.get_workflow_handle(f"case-{ref}").execute_update(CaseWorkflow.act, forged)
    assert "not signed by the API" in str(refused.value.cause)
    config["interceptors"] = [ClaimSigner(claim_key("another-secret-key!"))]
    wrong_key = Client(**config)
    with pytest.raises(WorkflowUpdateFailedError):
        await wrong_key.get_workflow_handle(f"case-{ref}").execute_update(CaseWorkflow.act, forged)
    assert (await stack.case(ref, "secretariat")).json()["stage"] == "screening"
    await stack.act(ref, "secretariat", action="register")  # through the API it works
    assert (await stack.case(ref, "secretariat")).json()["stage"] == "admissibility"
