"""Over the JSON API, one holder of an access code cannot flood a case with requests: a
second request for follow-up waits for the secretariat's answer to the first (each opens a
deadline and e-mails the secretariat), and is offered again once it is answered."""

from __future__ import annotations

from tests.api.conftest import Filed, Stack, code
from tests.api.test_party_requests import allowed, responding


async def test_a_second_follow_up_request_is_refused_until_the_first_is_answered(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await responding(stack, file_complaint)
    ref, access = filed["reference"], code(filed)
    await stack.act(ref, access, action="request_follow_up", text="Has the company replied?")
    assert "request_follow_up" not in await allowed(stack, ref, access)
    refused = await stack.act(
        ref, access, expect=409, action="request_follow_up", text="Has it now?"
    )
    assert "you already asked for follow-up (request-1)" in refused["detail"]
    staff = (await stack.case(ref, "secretariat")).json()
    assert len([d for d in staff["deadlines"] if d["name"] == "request_answer"]) == 1
    await stack.act(ref, "secretariat", action="answer_request", request="request-1", text="No")
    assert "request_follow_up" in await allowed(stack, ref, access)
    await stack.act(ref, access, action="request_follow_up", text="Has it now?")
