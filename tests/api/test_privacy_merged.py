"""Two complainants of one case (the second's complaint merged in): what one writes to the
committee alone is not shown to the other on the tracking page."""

from __future__ import annotations

from tests.api.conftest import Filed, Stack, code
from tests.api.test_case_files import FIRST, SECOND, person, tracking_page, until

FOLLOW_UP = "Nasrin Begum of line 4 was threatened after she spoke to us"
PRIVATE_NOTE = "Our contact in the factory office is Kamal Hossain"
LATER_NOTE = "Kamal Hossain says the threats go on"
PRIVATE_FILE = "statement_Nasrin_Begum.txt"


async def test_a_merged_in_complainant_reads_nothing_another_wrote_to_the_committee(
    stack: Stack, file_complaint: Filed
) -> None:
    first = await file_complaint(complainant=person(FIRST, "en"), subject="Threats at Meghna")
    second = await file_complaint(complainant=person(SECOND, "en"), subject="Threats, again")
    target, source = first["reference"], second["reference"]
    await stack.act(target, "secretariat", action="register")
    await stack.act(target, code(first), action="request_follow_up", text=FOLLOW_UP)
    await stack.act(
        target, code(first), action="add_message", text=PRIVATE_NOTE, visibility="committee"
    )
    upload = await stack.http.post(
        f"/api/v1/cases/{target}/documents",
        files={"file": (PRIVATE_FILE, b"She was threatened.", "text/plain")},
        data={"visibility": "committee"},
        headers=code(first),
    )
    assert upload.status_code == 201, upload.text
    # Alone on its case, the complainant reads what it sent to the committee.
    alone = await tracking_page(stack, target, first["access_code"])
    assert FOLLOW_UP in alone and PRIVATE_NOTE in alone and PRIVATE_FILE in alone

    await stack.act(source, "secretariat", action="merge_into", target=target, reason="Same")
    await until(stack, target, lambda b: b["merged_from"] == [source])
    page = await tracking_page(stack, target, second["access_code"])
    assert SECOND["name"] in page  # its own page
    for written in (FOLLOW_UP, PRIVATE_NOTE, PRIVATE_FILE):
        assert written not in page
    # Each still reads what it wrote itself to the committee, before and after the merge.
    await stack.act(
        target, code(first), action="add_message", text=LATER_NOTE, visibility="committee"
    )
    own = await tracking_page(stack, target, first["access_code"])
    assert FOLLOW_UP in own and PRIVATE_NOTE in own and LATER_NOTE in own
    assert LATER_NOTE not in await tracking_page(stack, target, second["access_code"])
