"""Signed-in HTTP clients on the running site, shared by the page tests."""

from __future__ import annotations

import re
from typing import Any

import httpx

from api.pages.cookies import SESSION_COOKIE
from store.seed import DEMO_PASSWORD
from tests.pages.conftest import Site

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def complaint(**changes: Any) -> dict[str, Any]:
    """A complaint against Noorderlicht Fashion; ``changes`` replace top-level keys."""
    body: dict[str, Any] = {
        "covenant": "garments-textile",
        "respondent": {"company": "noorderlicht-fashion"},
        "complainant": {
            "name": "Rahima Khatun",
            "organisation": "Rupali Workers Committee",
            "email": "rahima@workers.example",
            "confidential": False,
        },
        "subject": "Dismissal of union organisers",
        "description": "Twelve organisers were dismissed after registering a union.",
        "issues": ["freedom_of_association"],
        "remedy_sought": "Reinstatement and back pay.",
    }
    body.update(changes)
    return body


class Portal:
    """HTTP clients signed in as demo users, sharing the running site."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.clients: dict[str, httpx.AsyncClient] = {}

    async def token(self, username: str) -> str:
        """A fresh API token for a demo user."""
        async with httpx.AsyncClient(base_url=self.site.url) as http:
            answer = await http.post(
                "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
            )
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["access_token"]
        return token

    async def as_user(self, username: str) -> httpx.AsyncClient:
        """A browser-like client whose session cookie signs in ``username``."""
        if username not in self.clients:
            token = await self.token(username)
            client = httpx.AsyncClient(base_url=self.site.url, timeout=40)
            client.cookies.set(SESSION_COOKIE, token)
            self.clients[username] = client
        return self.clients[username]

    async def file(
        self, as_user: str | None = None, kind: str = "complaints", **changes: Any
    ) -> str:
        """File a complaint (or a signal) through the API; its reference."""
        headers = {}
        if as_user:
            headers = {"Authorization": f"Bearer {await self.token(as_user)}"}
        async with httpx.AsyncClient(base_url=self.site.url, timeout=40) as http:
            answer = await http.post(f"/api/v1/{kind}", json=complaint(**changes), headers=headers)
        assert answer.status_code == 201, answer.text
        reference: str = answer.json()["reference"]
        return reference

    async def read(self, reference: str, username: str = "secretariat") -> dict[str, Any]:
        """The case through the JSON API."""
        client = await self.as_user(username)
        token = client.cookies[SESSION_COOKIE]
        answer = await client.get(
            f"/api/v1/cases/{reference}", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    async def post_action(
        self, username: str, reference: str, *, csrf: bool = True, **fields: str
    ) -> httpx.Response:
        """Post an action's form from the case page, with the page's CSRF token unless not."""
        client = await self.as_user(username)
        page = await client.get(f"/portal/cases/{reference}")
        assert page.status_code == 200, page.text
        data = dict(fields)
        if csrf:
            data["csrf_token"] = CSRF.findall(page.text)[0]
        return await client.post(f"/portal/cases/{reference}/actions", data=data)

    async def close(self) -> None:
        """Close every client."""
        for client in self.clients.values():
            await client.aclose()
