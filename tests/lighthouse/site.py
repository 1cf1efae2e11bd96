"""The site served for Lighthouse: the app under uvicorn in a thread, on a SQLite read model
with the shipped covenants, the demo data, two entries in the public register and one open
case (``CASE``), for the portal's case page.

No Temporal: the public pages, the sign-in page and the case page read only the read model (the
app starts without reaching Temporal and says so in /healthz). ``session_cookie`` signs a demo
account in (POST /api/v1/auth/token; two-factor is off on this site) and gives the portal's
session cookie for its token. Shared by tests/lighthouse and bench/lighthouse.py.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import uvicorn

from activities.records import RecordActivities
from api.pages.cookies import SESSION_COOKIE
from core.settings import Settings
from domain.enums import Audience, DeadlineState, Stage
from notifications.mailer import RecordingMailer
from redress.app import create_app
from store import register
from store.db import engine_from_settings, prepare, session_scope
from store.seed import DEMO_PASSWORD, seed_demo
from store.tables import CaseRow
from tests.factories import FILED, case_state, complainant, deadline, project_state

# The open case whose portal page is audited (tests/lighthouse/audits.py's SIGNED_IN_PAGES),
# and the demo account that reads it.
CASE = "GT-2026-0001"
READER = "secretariat"

# Summaries as the secretariat publishes them, one with Bengali names in it.
PUBLISHED = [
    (
        "GT-2026-0901",
        "Dismissal of union members at Rupali Knit",
        "Organisers were dismissed a week after the union registered. The company "
        "reinstated them with back pay and trained its managers on freedom of association.",
    ),
    (
        "GT-2026-0902",
        "Unpaid overtime at Meghna Knitwear",
        "মেঘনা নিটওয়্যার-এর শ্রমিকেরা ওভারটাইমের মজুরি পাননি। The company paid the "
        "arrears and now records overtime hours on each pay slip.",
    ),
]


def _publish_listings(settings: Settings) -> None:
    """Two closed cases in the read model, each published to the register."""
    engine = engine_from_settings(settings)
    try:
        with session_scope(engine) as session:
            for number, (reference, subject, summary) in enumerate(PUBLISHED):
                state = case_state(reference, stage=Stage.CLOSED, subject=subject)
                state.filed_at = FILED + timedelta(days=number)
                session.add(
                    CaseRow(
                        reference=reference,
                        kind="complaint",
                        covenant=state.covenant,
                        stage="closed",
                        status="closed",
                        subject=subject,
                        pseudonym=state.pseudonym,
                        deciding_body="committee",
                        filed_at=state.filed_at,
                        snapshot=state.model_dump_json(),
                    )
                )
                session.flush()
                register.publish(
                    session=session,
                    reference=reference,
                    covenant=state.covenant,
                    summary=summary,
                    named=False,
                    at=FILED + timedelta(days=200 + number),
                    by="chair",
                )
    finally:
        engine.dispose()


def _open_case(settings: Settings) -> None:
    """``CASE`` in the read model as the workflow projects it (no Temporal): registered and
    found admissible on time, the companies' response open, four entries on its timeline, its
    complainant's intake record."""
    registered = deadline("register", FILED + timedelta(days=7), state=DeadlineState.MET)
    registered.closed_at = FILED + timedelta(days=2)
    admissible = deadline("admissibility", FILED + timedelta(days=21), state=DeadlineState.MET)
    admissible.opened_at, admissible.closed_at = registered.closed_at, FILED + timedelta(days=14)
    response = deadline("response", FILED + timedelta(days=56), owner=Audience.RESPONDENTS)
    response.opened_at = admissible.closed_at
    engine = engine_from_settings(settings)
    try:
        state = case_state(CASE, events=4, deadlines=[registered, admissible, response])
        project_state(RecordActivities(engine), state)
        with session_scope(engine) as session:
            session.add(complainant(CASE))
    finally:
        engine.dispose()


def session_cookie(site: str, username: str = READER) -> str:
    """``NAME=VALUE`` of the portal's session cookie for a demo account signed in on the site:
    the API token POST /api/v1/auth/token gives for its password (the pages take it as is)."""
    body = json.dumps({"username": username, "password": DEMO_PASSWORD}).encode()
    request = urllib.request.Request(
        f"{site}/api/v1/auth/token",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        token = json.loads(answer.read())
    if token["mfa_enrolment_required"]:
        raise RuntimeError(f"{username} must set up two-factor first: the site should not ask")
    return f"{SESSION_COOKIE}={token['access_token']}"


def _free_socket() -> socket.socket:
    """A TCP socket bound to a free port on 127.0.0.1, handed to uvicorn (no race for it)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def served_site(folder: Path) -> Iterator[str]:
    """The site served from a fresh database in ``folder`` until the block ends; its address."""
    sock = _free_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with socket.socket() as closed:  # a port nothing listens on: Temporal is refused at once
        closed.bind(("127.0.0.1", 0))
        nowhere = f"127.0.0.1:{closed.getsockname()[1]}"
    settings = Settings(
        database_url=f"sqlite:///{folder / 'redress.db'}",
        data_dir=folder,
        demo_accounts=True,
        local_mode=True,
        public_url=url,
        temporal_address=nowhere,
        secret_key="lighthouse-secret-key-0123456789",
        require_mfa=False,  # a demo account signs in with its password alone
    )
    prepare(settings)
    seed_demo(settings)
    _publish_listings(settings)
    _open_case(settings)
    app = create_app(settings, mailer=RecordingMailer())
    config = uvicorn.Config(
        app, log_level="warning", lifespan="on", access_log=False, server_header=False
    )  # served as redress api serves it: no "server" header
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
