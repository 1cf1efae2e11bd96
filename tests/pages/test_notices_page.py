"""The secretariat sees the notices that could not be sent and sends one again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from activities.records import RecordActivities
from domain.enums import Audience, NoticeKind, Stage
from domain.notices import Notice, NoticeRequest, ParkedNotice
from tests.pages.conftest import Site
from tests.pages.portal import CSRF, Portal


def _park(site: Site, reference: str) -> str:
    """Park a notice of the case as the workflow does after its retries."""
    key = f"{reference}/2/message/0"
    notice = Notice(
        key=key,
        kind=NoticeKind.MESSAGE,
        audiences=[Audience.SECRETARIAT],
        stage=Stage.SCREENING,
        text="The company asks for the hearing to be moved.",
    )
    parked = ParkedNotice(
        request=NoticeRequest(reference=reference, notice=notice),
        error="the SMTP server refused our login (535)",
        at=datetime.now(UTC),
    )
    RecordActivities(site.engine).park_sync(parked)
    return key


async def test_a_parked_notice_is_listed_and_sent_again_once(portal: Portal, site: Site):
    reference = await portal.file()
    key = _park(site, reference)
    http = await portal.as_user("secretariat")
    dashboard = await http.get("/portal")
    assert 'href="/portal/notices"' in dashboard.text
    page = await http.get("/portal/notices")
    assert page.status_code == 200 and reference in page.text and "refused our login" in page.text
    token = CSRF.search(page.text)
    assert token
    form = {"csrf_token": token.group(1), "key": key}
    sent = await http.post("/portal/notices/retry", data=form)
    assert sent.status_code == 303 and sent.headers["location"] == "/portal/notices?resent=1"
    for _ in range(100):  # the worker sends it: poll, bounded
        mails = [m for m in site.mailer.sent if "moved" in m.text and reference in m.subject]
        if mails:
            break
        await asyncio.sleep(0.1)
    assert {m.to for m in mails} == {"secretariat@redress.localhost"}
    after = await http.get("/portal/notices")
    assert key not in after.text
    twice = await http.post("/portal/notices/retry", data=form)
    assert twice.status_code == 409


async def test_only_the_secretariat_and_chair_see_it_and_forms_need_their_token(
    portal: Portal, site: Site
):
    key = _park(site, await portal.file())
    for who in ("company", "union", "committee"):
        client = await portal.as_user(who)
        assert (await client.get("/portal/notices")).status_code == 404, who
        assert (await client.post("/portal/notices/retry", data={"key": key})).status_code == 404
    chair = await portal.as_user("chair")
    assert (await chair.get("/portal/notices")).status_code == 200
    forged = await chair.post("/portal/notices/retry", data={"csrf_token": "x", "key": key})
    assert forged.status_code == 403
    unknown = await (await portal.as_user("secretariat")).get("/portal/notices")
    token = CSRF.search(unknown.text)
    assert token
    missing = await (await portal.as_user("secretariat")).post(
        "/portal/notices/retry", data={"csrf_token": token.group(1), "key": "no/such/notice"}
    )
    assert missing.status_code == 404
