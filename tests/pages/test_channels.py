"""Every event records the channel it came through: a filing and a message over the JSON API
are ``api``, an action from the portal's form is ``web``, the system's own steps have none.
The case pages name the channel beside the event, and the statistics count them."""

from __future__ import annotations

import httpx
from sqlmodel import Session

from domain.enums import Channel
from services.statistics import compute
from store import case_content
from tests.pages.conftest import Site
from tests.pages.portal import Portal, complaint


def channels(site: Site, reference: str) -> list[tuple[str, Channel | None]]:
    """The case's events, oldest first, as (type, channel)."""
    with Session(site.engine) as session:
        events = case_content.case_events(session=session, reference=reference)
    return [(e.type, e.channel) for e in events]


async def test_each_event_records_how_it_came_and_the_pages_and_statistics_show_it(
    site: Site, portal: Portal
) -> None:
    async with httpx.AsyncClient(base_url=site.url, timeout=40) as http:
        filed = await http.post("/api/v1/complaints", json=complaint())
        assert filed.status_code == 201, filed.text
        reference, code = filed.json()["reference"], filed.json()["access_code"]
        posted = await http.post(
            f"/api/v1/cases/{reference}/actions",
            json={"action": "add_message", "text": "Sent through the API."},
            headers={"X-Access-Code": code},
        )
        assert posted.status_code == 200, posted.text
        events = await http.get(
            f"/api/v1/cases/{reference}/events", headers={"X-Access-Code": code}
        )
    assert {e["type"]: e["channel"] for e in events.json()["items"]}["message"] == "api"

    done = await portal.post_action("secretariat", reference, action="register")
    assert done.status_code == 303, done.text

    assert channels(site, reference) == [
        ("filed", Channel.API),
        ("stage_changed", None),  # to screening: the system's own step
        ("message", Channel.API),
        ("stage_changed", Channel.WEB),  # registered from the portal's form
    ]

    staff = await portal.as_user("secretariat")
    page = await staff.get(f"/portal/cases/{reference}")
    assert "through the API" in page.text
    assert "on the website" in page.text

    with Session(site.engine) as session:
        figures = compute(session, "garments-textile")
    assert figures.by_channel.get("api", 0) >= 2
    assert figures.by_channel.get("web", 0) >= 1
    assert figures.filed_by_channel.get("api", 0) >= 1
