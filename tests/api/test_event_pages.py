"""A long case answers its latest events; earlier ones are paged (API.md)."""

from __future__ import annotations

from store.case_content import EVENTS_SHOWN
from tests.api.conftest import Stack, code, complaint

BENGALI = "শ্রমিকদের মজুরি তিন মাস ধরে বকেয়া রয়েছে। "
LONGEST = (BENGALI * (20_000 // len(BENGALI) + 1))[:20_000]


async def test_a_long_case_pages_its_events_back_to_the_first(stack: Stack) -> None:
    filed = (await stack.http.post("/api/v1/complaints", json=complaint())).json()
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="register")
    note = "Only for the committee: the workers fear reprisals."
    await stack.act(ref, "secretariat", action="add_message", text=note, visibility="committee")
    for n in range(EVENTS_SHOWN + 10):
        text = f"{n} {LONGEST}"[:20_000]
        await stack.act(ref, code(filed), action="add_message", text=text)
    case = (await stack.case(ref, "secretariat")).json()
    assert len(case["events"]) == EVENTS_SHOWN and case["events_before"] is not None
    assert case["events"][-1]["text"].startswith(f"{EVENTS_SHOWN + 9} ")
    seen, before = list(case["events"]), case["events_before"]
    while before is not None:
        page = await stack.http.get(
            f"/api/v1/cases/{ref}/events",
            params={"before": before, "limit": 20},
            headers=await stack.headers("secretariat"),
        )
        assert page.status_code == 200, page.text
        seen = page.json()["items"] + seen
        before = page.json()["before"]
    assert [e["seq"] for e in seen] == list(range(1, len(seen) + 1))
    assert note in [e["text"] for e in seen]
    # The company pages the same way and never sees the committee's note.
    company = await stack.headers("company")
    everything = await stack.http.get(
        f"/api/v1/cases/{ref}/events", params={"limit": 100, "before": 40}, headers=company
    )
    assert everything.status_code == 200
    assert note not in everything.text and everything.json()["items"]
    other = await stack.http.get(
        f"/api/v1/cases/{ref}/events", headers=await stack.headers("stone")
    )
    assert other.status_code == 404
