"""Actions that name people (assign, recuse): only active users of a fitting role, else 422."""

from __future__ import annotations

from store import people
from store.db import session_scope
from store.tables import User
from tests.api.conftest import Filed, Stack


def _add_inactive_mediator(stack: Stack) -> str:
    with session_scope(stack.engine) as session:
        if people.find_user(session=session, username="gone-mediator") is None:
            session.add(
                User(
                    username="gone-mediator",
                    display_name="Former mediator",
                    email="gone-mediator@redress.localhost",
                    role="mediator",
                    password_hash="x",
                    active=False,
                )
            )
    return "gone-mediator"


async def test_assign_names_only_active_users_of_a_fitting_role(
    stack: Stack, file_complaint: Filed
) -> None:
    ref = (await file_complaint())["reference"]
    before = (await stack.case(ref, "secretariat")).json()
    inactive = _add_inactive_mediator(stack)
    for field, name in [
        ("mediator", "nobody-at-all"),
        ("mediator", "company"),  # exists, but is no mediator
        ("mediator", "chair"),
        ("mediator", inactive),
        ("officer", "mediator"),
        ("officer", "committee"),
        ("officer", "union"),
    ]:
        refused = await stack.act(ref, "secretariat", expect=422, action="assign", **{field: name})
        assert f"body.{field}" in refused["detail"], refused
        assert refused["errors"][0]["loc"] == ["body", field]
    assert (await stack.case(ref, "secretariat")).json() == before  # nothing recorded

    # Someone who may not assign at all hears 403, not which usernames exist.
    await stack.act(ref, "committee", expect=403, action="assign", mediator="nobody-at-all")

    await stack.act(ref, "secretariat", action="assign", mediator="mediator", officer="chair")
    assert (await stack.case(ref, "mediator")).status_code == 200


async def test_recuse_names_only_an_active_chair_or_committee_member(
    stack: Stack, file_complaint: Filed
) -> None:
    ref = (await file_complaint())["reference"]
    for name in ("nobody-at-all", "secretariat", "mediator", "company"):
        refused = await stack.act(
            ref, "chair", expect=422, action="recuse", member=name, reason="Conflict of interest"
        )
        assert "body.member" in refused["detail"]
    assert (await stack.case(ref, "committee")).status_code == 200
    case = await stack.act(
        ref, "chair", action="recuse", member="committee", reason="Conflict of interest"
    )
    assert case["events"][-1]["type"] == "recusal"
    # The recused member loses access at once, like to an unknown case, and its list line.
    assert (await stack.case(ref, "committee")).status_code == 404
    listed = await stack.http.get(
        "/api/v1/cases", params={"q": ref}, headers=await stack.headers("committee")
    )
    assert listed.json()["items"] == []
    chair = await stack.http.get(
        "/api/v1/cases", params={"q": ref}, headers=await stack.headers("chair")
    )
    assert [c["reference"] for c in chair.json()["items"]] == [ref]
    acting = {"action": "add_message", "text": "Still here?"}
    await stack.act(ref, "committee", expect=404, **acting)
