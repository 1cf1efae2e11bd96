"""The whole site in a real browser: Temporal, a worker, the app under uvicorn, Chromium.

Helpers for every page test: ``login(page, username)``, ``screenshot(page, name)`` (kept
under test-artifacts/screenshots/) and ``axe_check(page)`` (no serious or critical issue).
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from axe_playwright_python.async_playwright import Axe
from fastapi import FastAPI
from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy import Engine

from core.settings import Settings
from notifications.mailer import RecordingMailer
from redress.app import create_app
from services.throttling import Throttle
from store.seed import DEMO_PASSWORD
from tests.stack import running_backend

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
BLOCKING = ("serious", "critical")


@dataclass
class Site:
    """The running site: its address, settings, read model and the mail it sent."""

    url: str
    settings: Settings
    engine: Engine
    mailer: RecordingMailer


def _listening_socket() -> socket.socket:
    """A socket bound to a free port on 127.0.0.1, handed to uvicorn (no race for the port)."""
    # TCP named, so uvicorn sets TCP_NODELAY (uvicorn #3149: else ~40 ms a keep-alive answer).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def served(app: FastAPI, sock: socket.socket) -> AsyncIterator[None]:
    """The app served by uvicorn on the bound socket until the block ends."""
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(200):
            if server.started or serving.done():
                break
            await asyncio.sleep(0.05)
        assert server.started, "uvicorn did not start"
        yield
    finally:
        server.should_exit = True
        await serving
        sock.close()


def site_url() -> tuple[socket.socket, str]:
    """A socket for the site and the site's address."""
    sock = _listening_socket()
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture(scope="session")
async def site(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Site]:
    """The app served by uvicorn on a free port, over a real engine with the demo data."""
    tmp = tmp_path_factory.mktemp("pages")
    sock, url = site_url()
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        local_mode=True,
        task_queue="page-tests",
        public_url=url,
        secret_key="page-tests-secret-key-0123456789",
        complaint_rate_per_hour=1000,
    )
    mailer = RecordingMailer()
    async with running_backend(settings, mailer=mailer) as backend:
        app = create_app(settings, engine=backend.engine, client=backend.client, mailer=mailer)
        async with served(app, sock):
            yield Site(url, settings, backend.engine, mailer)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium driven by Playwright; no browser is downloaded."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(site: Site, browser: Browser) -> AsyncIterator[Page]:
    """A fresh page (its own cookies) on the site; relative URLs go to the site."""
    context = await browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    opened = await context.new_page()
    try:
        yield opened
    finally:
        await context.close()


async def login(
    page: Page, username: str, password: str = DEMO_PASSWORD, *, language: str | None = "en"
) -> None:
    """Sign in through the login form as a demo user, the pages in ``language`` (None: the
    language of the user's account, unless the browser chose one before)."""
    await page.goto(f"/login?lang={language}" if language else "/login")
    await page.locator("input[name=username]").fill(username)
    await page.locator("input[name=password]").fill(password)
    await page.locator("form.login button[type=submit]").click()
    await page.wait_for_load_state()
    assert "/login" not in page.url, f"sign-in as {username} failed"


async def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot kept as a test artifact; its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


async def axe_check(page: Page) -> None:
    """Run axe-core in the page; fail on any serious or critical violation."""
    results = await Axe().run(page)
    found = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node.get("target")) for node in v["nodes"][:5])
        for v in found
    )
    assert not found, f"axe on {page.url}:\n{report}"


@pytest.fixture
async def portal(site: Site) -> AsyncIterator[Any]:
    """Clients signed in as demo users on the running site (``tests.pages.portal.Portal``)."""
    from tests.pages.portal import Portal  # it builds on Site, defined here

    found = Portal(site)
    try:
        yield found
    finally:
        await found.close()


@pytest.fixture(autouse=True)
def fresh_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Rate-limit counters start empty for every test on the site and are emptied again:
    the suite's sign-ins, uploads and searches all come from one address."""
    if "site" not in request.fixturenames and "portal" not in request.fixturenames:
        yield
        return
    storage = Throttle(request.getfixturevalue("site").engine).storage
    storage.reset()
    yield
    storage.reset()
