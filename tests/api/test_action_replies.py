"""An action's answer on a long case is bounded: its latest events up to 256 KB of text,
the earlier ones paged as a read pages them; an upload answers the document alone."""

from __future__ import annotations

from services.acting import REPLY_EVENT_BYTES
from store.case_content import EVENTS_SHOWN
from tests.api.conftest import Stack, code, complaint

BENGALI = "শ্রমিকদের মজুরি তিন মাস ধরে বকেয়া রয়েছে। "
LONGEST = (BENGALI * (20_000 // len(BENGALI) + 1))[:20_000]  # ~60 KB in UTF-8
MESSAGES = 200


async def test_an_action_on_a_case_of_200_long_messages_answers_its_latest_events(
    stack: Stack,
) -> None:
    filed = (await stack.http.post("/api/v1/complaints", json=complaint())).json()
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="register")
    for n in range(MESSAGES):
        await stack.act(ref, code(filed), action="add_message", text=f"{n} {LONGEST}"[:20_000])

    answer = await stack.http.post(
        f"/api/v1/cases/{ref}/actions",
        json={"action": "add_message", "text": "the last word"},
        headers=await stack.headers("secretariat"),
    )
    assert answer.status_code == 200, answer.text
    assert len(answer.content) < REPLY_EVENT_BYTES + 64 * 1024
    reply = answer.json()
    texts = [e["text"] or "" for e in reply["events"]]
    assert texts[-1] == "the last word"
    assert texts[-2].startswith(f"{MESSAGES - 1} ")  # the latest, in order, none skipped
    assert 1 < len(reply["events"]) < EVENTS_SHOWN
    assert sum(len(t.encode()) for t in texts) <= REPLY_EVENT_BYTES
    assert reply["events_before"] == reply["events"][0]["seq"]

    # The rest pages back from events_before to the case's first event, every one once.
    seen, before = list(reply["events"]), reply["events_before"]
    while before is not None:
        page = await stack.http.get(
            f"/api/v1/cases/{ref}/events",
            params={"before": before, "limit": 100},
            headers=await stack.headers("secretariat"),
        )
        assert page.status_code == 200, page.text
        seen = page.json()["items"] + seen
        before = page.json()["before"]
    assert [e["seq"] for e in seen] == list(range(1, len(seen) + 1))
    long_ones = [e["text"] for e in seen if len(e["text"] or "") == 20_000]
    assert [text.split(" ", 1)[0] for text in long_ones] == [str(n) for n in range(MESSAGES)]

    # A read still answers the latest 50 (API.md); an upload answers only its document.
    read = (await stack.case(ref, "secretariat")).json()
    assert len(read["events"]) == EVENTS_SHOWN
    upload = await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        files={"file": ("wages.txt", b"unpaid since March", "text/plain")},
        data={"visibility": "parties"},
        headers=await stack.headers("secretariat"),
    )
    assert upload.status_code == 201, upload.text
    assert len(upload.content) < 2048 and "events" not in upload.json()
