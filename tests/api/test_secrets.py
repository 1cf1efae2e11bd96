"""Secrets and transport: no default key outside local mode, STARTTLS by default, an
access code the secretariat can replace, and no access code in any cookie."""

from __future__ import annotations

import re

import pytest

from api.pages.cookies import FILED_COOKIE, TRACK_COOKIE
from core.settings import Settings
from notifications.mailer import SmtpMailer
from redress.app import create_app
from tests.api.conftest import Filed, Stack, complaint


def test_outside_local_mode_the_default_secret_key_is_refused() -> None:
    with pytest.raises(RuntimeError, match="REDRESS_SECRET_KEY"):
        create_app(Settings())
    create_app(Settings(local_mode=True))  # the local stack may use it
    with pytest.raises(RuntimeError, match="REDRESS_SECRET_KEY"):  # .env.example's placeholder
        create_app(Settings(secret_key="REPLACE-ME-with-a-long-random-secret"))
    create_app(Settings(secret_key="a-secret-of-our-own-0123456789"))


def test_mail_goes_over_starttls_unless_local_or_told_otherwise() -> None:
    assert SmtpMailer.from_settings(Settings()).starttls is True
    assert SmtpMailer.from_settings(Settings(local_mode=True)).starttls is False
    assert SmtpMailer.from_settings(Settings(smtp_starttls=False)).starttls is False


async def test_the_secretariat_replaces_an_access_code_and_the_old_one_stops_at_once(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint()
    ref, old = filed["reference"], filed["access_code"]
    url = f"/api/v1/cases/{ref}"
    assert (await stack.http.get(url, headers={"X-Access-Code": old})).status_code == 200
    for who in ("chair", "company", "union"):
        refused = await stack.http.post(f"{url}/access-code", headers=await stack.headers(who))
        assert refused.status_code in (403, 404), who
    made = await stack.http.post(f"{url}/access-code", headers=await stack.headers("secretariat"))
    assert made.status_code == 200
    new = made.json()["access_code"]
    assert new != old
    assert (await stack.http.get(url, headers={"X-Access-Code": old})).status_code == 404
    assert (await stack.http.get(url, headers={"X-Access-Code": new})).status_code == 200


async def test_no_cookie_holds_an_access_code(stack: Stack) -> None:
    form = await stack.http.get("/complaint")
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    body = complaint()
    data = {
        "csrf_token": token,
        "covenant": "garments-textile",
        "respondent": "noorderlicht-fashion",
        "subject": body["subject"],
        "description": body["description"],
        "issues": "freedom_of_association",
        "remedy_sought": body["remedy_sought"],
        "name": "Rahima Khatun",
    }
    filed = await stack.http.post("/complaint", data=data)
    assert filed.status_code == 303, filed.text
    shown = await stack.http.get(filed.headers["location"])
    shown_code = shown.text.split('id="access-code"')[1].split("</dd>")[0]
    code = re.sub(r"<[^>]*>|[^0-9]", "", shown_code)  # the groups' digits, as issued
    assert len(code) == 20, shown_code
    cookies = {c.name: c.value or "" for c in stack.http.cookies.jar}
    assert TRACK_COOKIE in cookies and FILED_COOKIE in cookies
    assert all(code not in value for value in cookies.values())
    reference = cookies[TRACK_COOKIE].split(":")[0]
    tracked = await stack.http.get(f"/track/{reference}")  # the cookie still opens the case
    assert tracked.status_code == 200 and reference in tracked.text
    stack.http.cookies.clear()
