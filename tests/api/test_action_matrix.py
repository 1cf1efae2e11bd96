"""The action registry as an access matrix over the API: every declared action, for every
kind of caller who can see a case, against what its declaration says.

A caller whose role or side the action's ``who`` (with its additions for this case) does not
name is refused with 403 and the case does not change; ``GET …/actions`` lists, for every
caller, only actions that name them. A new action is in the matrix as soon as it is declared.
"""

from __future__ import annotations

from typing import Any

from domain.actions import REGISTRY, ActionName
from domain.enums import Role, Side
from domain.rules import who_may
from store import case_content
from store.db import session_scope
from tests.api.conftest import Filed, Stack, code
from tests.domain.samples import SAMPLE_ACTIONS

# The callers who see a registered complaint of the union's against the company, with the
# role and side the rules know them by.
CALLERS: dict[str, tuple[Role | None, Side | None]] = {
    "secretariat": (Role.SECRETARIAT, None),
    "chair": (Role.CHAIR, None),
    "committee": (Role.COMMITTEE, None),
    "company": (Role.COMPANY, Side.RESPONDENT),
    "union": (Role.UNION, Side.COMPLAINANT),
    "code": (None, Side.COMPLAINANT),
}


def _named(who: frozenset[Role | Side], caller: str) -> bool:
    role, side = CALLERS[caller]
    return (role is not None and role in who) or (side is not None and side in who)


async def _headers(stack: Stack, caller: str, filed: dict[str, Any]) -> dict[str, str]:
    return code(filed) if caller == "code" else await stack.headers(caller)


async def test_every_declared_action_refuses_callers_it_does_not_name(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(as_user="union")
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="register")
    with session_scope(stack.engine) as session:
        state = case_content.load_state(session=session, reference=ref)
    assert state is not None
    before = (await stack.case(ref, "secretariat")).json()
    tried = 0
    for name in ActionName:
        assert name in REGISTRY and name in SAMPLE_ACTIONS, name
        who = frozenset(who_may(state, name))
        for caller in CALLERS:
            if _named(who, caller):
                continue
            response = await stack.http.post(
                f"/api/v1/cases/{ref}/actions",
                json=SAMPLE_ACTIONS[name],
                headers=await _headers(stack, caller, filed),
            )
            assert response.status_code == 403, (name, caller, response.text)
            tried += 1
    assert tried > len(ActionName)  # most actions name only some of the callers
    after = (await stack.case(ref, "secretariat")).json()
    assert (after["events"], after["stage"]) == (before["events"], before["stage"])


async def test_the_allowed_actions_name_only_callers_their_declaration_names(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(as_user="union")
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="register")
    with session_scope(stack.engine) as session:
        state = case_content.load_state(session=session, reference=ref)
    assert state is not None
    offered: set[str] = set()
    for caller in CALLERS:
        response = await stack.http.get(
            f"/api/v1/cases/{ref}/actions", headers=await _headers(stack, caller, filed)
        )
        assert response.status_code == 200, (caller, response.text)
        for allowed in response.json()["allowed"]:
            assert _named(frozenset(who_may(state, ActionName(allowed))), caller), (
                allowed,
                caller,
            )
            offered.add(allowed)
    # In admissibility the committee decides and every side may write.
    assert {"declare_admissible", "add_message", "withdraw"} <= offered
