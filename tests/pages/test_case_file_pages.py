"""Merging and reopening from the portal's case page: the forms the registry declares."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.pages.portal import Portal


async def _until(portal: Portal, reference: str, check: Any) -> dict[str, Any]:
    for _ in range(100):
        case = await portal.read(reference)
        if check(case):
            return case
        await asyncio.sleep(0.1)
    raise AssertionError(f"{reference}: {case['status']} {case['stage']}")


async def test_the_secretariat_merges_a_complaint_from_its_page(portal: Portal) -> None:
    target = await portal.file()
    source = await portal.file(subject="The same dismissals")
    page = await (await portal.as_user("secretariat")).get(f"/portal/cases/{source}")
    assert 'name="action" value="merge_into"' in page.text and 'name="target"' in page.text
    # A reference that is no complaint: said on the page, nothing changes.
    wrong = await portal.post_action(
        "secretariat", source, action="merge_into", target="GT-1999-0001", reason="Same"
    )
    assert wrong.status_code in (409, 422) and "GT-1999-0001" in wrong.text
    assert (await portal.read(source))["status"] == "open"

    done = await portal.post_action(
        "secretariat", source, action="merge_into", target=target, reason="Same factory"
    )
    assert done.status_code == 303, done.text
    merged = await portal.read(source)
    assert (merged["outcome"], merged["merged_into"]) == ("merged", target)
    survivor = await _until(portal, target, lambda c: c["merged_from"] == [source])
    assert "merged_from" in [e["type"] for e in survivor["events"]]


async def test_the_chair_reopens_a_closed_case_from_its_page(portal: Portal) -> None:
    reference = await portal.file()
    done = await portal.post_action(
        "secretariat", reference, action="refer_out", reason="Another mechanism"
    )
    assert done.status_code == 303, done.text
    page = await (await portal.as_user("chair")).get(f"/portal/cases/{reference}")
    assert '<input type="hidden" name="action" value="reopen">' in page.text
    assert 'name="stage"' in page.text and 'value="admissibility"' in page.text
    assert 'value="dialogue"' in page.text  # every stage a case is reopened to is offered
    secretariat = await (await portal.as_user("secretariat")).get(f"/portal/cases/{reference}")
    assert 'name="action" value="reopen"' not in secretariat.text  # the chair's alone

    reopened = await portal.post_action(
        "chair", reference, action="reopen", stage="screening", reason="It is ours after all"
    )
    assert reopened.status_code == 303, reopened.text
    case = await portal.read(reference)
    assert (case["status"], case["stage"]) == ("open", "screening")
    assert [d["name"] for d in case["deadlines"]] == ["register"]


async def test_the_case_pages_point_between_merged_cases_and_name_every_complainant(
    portal: Portal,
) -> None:
    target = await portal.file()
    source = await portal.file(subject="The same dismissals")
    done = await portal.post_action(
        "secretariat", source, action="merge_into", target=target, reason="Same factory"
    )
    assert done.status_code == 303, done.text
    survivor = await _until(portal, target, lambda c: c["merged_from"] == [source])
    [other] = survivor["other_complainants"]
    staff = await portal.as_user("secretariat")
    page = (await staff.get(f"/portal/cases/{target}")).text
    assert "Other complainants" in page and other["name"] in page
    assert f'href="/portal/cases/{source}"' in page
    merged = (await staff.get(f"/portal/cases/{source}")).text
    assert f'href="/portal/cases/{target}"' in merged
