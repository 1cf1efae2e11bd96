"""On a case others were merged into, each complainant acts and is answered for itself: its
requests and the secretariat's answers are its own (page and e-mail), and withdrawing takes
out that complainant alone until the last one withdraws."""

from __future__ import annotations

import asyncio

from tests.api.conftest import Filed, Stack, code
from tests.api.test_case_files import FIRST, SECOND, leaks, person, tracking_page, until

ASKED_FIRST = "Has the factory reinstated Rokeya Sultana of the cutting floor"
ASKED_SECOND = "Were the wages of Fatma Kaya of line 2 paid in October"
ANSWER_SECOND = "The company confirmed the October wages of line 2 were paid on 14 November"
ANSWER_UNION = "The company will meet the union's delegates on 3 December"
AFTER = "The secretariat asked the company for its payroll of November"


async def _mails_with(stack: Stack, address: str, text: str) -> list[str]:
    """The texts of the mails sent to ``address`` that hold ``text``."""
    return [m.text for m in stack.mailer.sent if m.to == address and text in m.text]


async def _arrives(stack: Stack, text: str) -> list[str]:
    """The addresses of the mails holding ``text``, once one is sent (bounded)."""
    for _ in range(100):
        found = [m.to for m in stack.mailer.sent if text in m.text]
        if found:
            await asyncio.sleep(0.5)  # the notice's other recipients, if any, by now too
            return sorted({m.to for m in stack.mailer.sent if text in m.text})
        await asyncio.sleep(0.1)
    raise AssertionError(f"no mail holds {text!r}")


async def test_each_merged_complainant_asks_is_answered_and_withdraws_for_itself(
    stack: Stack, file_complaint: Filed
) -> None:
    first = await file_complaint(complainant=person(FIRST, "en"), subject="Wages at Meghna")
    second = await file_complaint(complainant=person(SECOND, "en"), subject="Wages, again")
    target, source = first["reference"], second["reference"]
    await stack.act(target, "secretariat", action="register")
    await stack.act(source, "secretariat", action="merge_into", target=target, reason="Same")
    await until(stack, target, lambda b: b["merged_from"] == [source])

    # Each asks for follow-up; each reads its own request on its page, never the other's.
    await stack.act(target, code(first), action="request_follow_up", text=ASKED_FIRST)
    await stack.act(target, code(second), action="request_follow_up", text=ASKED_SECOND)
    page_first = await tracking_page(stack, target, first["access_code"])
    page_second = await tracking_page(stack, target, second["access_code"])
    assert ASKED_FIRST in page_first and ASKED_SECOND not in page_first
    assert ASKED_SECOND in page_second and ASKED_FIRST not in page_second

    # The secretariat's answer to the second's request reaches the second alone.
    await stack.act(
        target, "secretariat", action="answer_request", request="request-2", text=ANSWER_SECOND
    )
    assert await _arrives(stack, ANSWER_SECOND) == [SECOND["email"]]
    assert ANSWER_SECOND in await tracking_page(stack, target, second["access_code"])
    assert ANSWER_SECOND not in await tracking_page(stack, target, first["access_code"])

    # The first withdraws: the case goes on for the second; staff are told.
    withdrawn = await stack.act(target, code(first), action="withdraw", reason="We settled")
    assert withdrawn["status"] == "open" and withdrawn["outcome"] is None
    told = await _arrives(stack, "A complainant withdrew from the case")
    assert told and not {FIRST["email"], SECOND["email"]} & set(told)
    # It reads the case and may do nothing more there; its page says so.
    assert "You withdrew from this case" in await tracking_page(stack, target, first["access_code"])
    await stack.act(target, code(first), expect=403, action="withdraw", reason="Again")
    await stack.act(target, code(first), expect=403, action="request_follow_up", text="More?")
    assert (await stack.case(target, code(first))).status_code == 200

    # What the case says next reaches the second, no longer the first; nor does the second
    # learn who withdrew.
    await stack.act(target, "secretariat", action="add_message", text=AFTER, visibility="parties")
    await until(stack, target, lambda b: any(e.get("text") == AFTER for e in b["events"]))
    reached = await _arrives(stack, AFTER)
    assert SECOND["email"] in reached and FIRST["email"] not in reached
    as_second = await stack.case(target, code(second))
    page_second = await tracking_page(stack, target, second["access_code"])
    assert leaks(as_second.text, FIRST) == [] and leaks(page_second, FIRST) == []
    assert "We settled" not in as_second.text and "We settled" not in page_second
    for mail in [m for m in stack.mailer.sent if m.to == SECOND["email"]]:
        assert leaks(mail.subject + mail.text + mail.html, FIRST) == []

    # The last complainant withdrawing withdraws the case.
    closed = await stack.act(target, code(second), action="withdraw", reason="Paid")
    assert (closed["status"], closed["outcome"]) == ("closed", "withdrawn")


async def test_a_union_whose_complaint_was_merged_in_acts_as_its_own_complainant(
    stack: Stack, file_complaint: Filed
) -> None:
    first = await file_complaint(complainant=person(FIRST, "en"))
    mine = await file_complaint(as_user="union", subject="Our members unpaid too")
    target, source = first["reference"], mine["reference"]
    await stack.act(source, "secretariat", action="merge_into", target=target, reason="Same")
    await until(stack, target, lambda b: b["merged_from"] == [source])

    await stack.act(target, code(first), action="request_follow_up", text=ASKED_FIRST)
    await stack.act(target, "union", action="request_follow_up", text=ASKED_SECOND)
    await stack.act(
        target, "secretariat", action="answer_request", request="request-2", text=ANSWER_UNION
    )
    # Its users and its complaint's contact are told; the filer is not.
    reached = await _arrives(stack, ANSWER_UNION)
    assert "union@redress.localhost" in reached and FIRST["email"] not in reached

    # The union withdraws its own complainant, not the filer's: the filer's code still acts.
    withdrawn = await stack.act(target, "union", action="withdraw", reason="Paid in full")
    assert withdrawn["status"] == "open"
    await stack.act(target, "union", expect=403, action="request_meeting", text="Meet them")
    await stack.act(target, code(first), action="request_meeting", text="Meet them")
