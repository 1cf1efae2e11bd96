"""A long case on the pages: the latest entries at once, the whole timeline on request."""

from __future__ import annotations

import httpx

from api.pages.cookies import SESSION_COOKIE
from store.case_content import EVENTS_SHOWN
from tests.pages.conftest import Site
from tests.pages.portal import Portal

FIRST = "প্রথম বার্তা: কারখানার গেট বন্ধ ছিল।"  # the first message, Bengali


async def test_the_case_pages_show_the_latest_entries_and_the_whole_timeline_on_request(
    portal: Portal, site: Site
):
    reference = await portal.file(as_user="union")
    union = await portal.as_user("union")
    bearer = {"Authorization": f"Bearer {union.cookies[SESSION_COOKIE]}"}
    async with httpx.AsyncClient(base_url=site.url, timeout=40) as api:
        for n in range(EVENTS_SHOWN + 5):
            text = FIRST if n == 0 else f"Message {n}"
            sent = await api.post(
                f"/api/v1/cases/{reference}/actions",
                json={"action": "add_message", "text": text},
                headers=bearer,
            )
            assert sent.status_code == 200, sent.text
    staff = await portal.as_user("secretariat")
    for client, path in ((staff, f"/portal/cases/{reference}"), (union, f"/track/{reference}")):
        latest = await client.get(path)
        assert latest.status_code == 200, path
        assert (
            "Show the whole timeline" in latest.text
            and f"Message {EVENTS_SHOWN + 4}" in latest.text
        )
        assert FIRST not in latest.text, path
        whole = await client.get(path, params={"all": "1"})
        assert whole.status_code == 200 and FIRST in whole.text, path
        assert "Show the whole timeline" not in whole.text
