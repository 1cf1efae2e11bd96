"""The public site served for Lighthouse: the app under uvicorn in a thread, on a SQLite read
model with the shipped covenants, the demo data and two entries in the public register.

No Temporal: the public pages and the sign-in page read only the read model (the app starts
without reaching Temporal and says so in /healthz). Shared by tests/lighthouse and
bench/lighthouse.py.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import uvicorn

from core.settings import Settings
from domain.enums import Stage
from notifications.mailer import RecordingMailer
from redress.app import create_app
from store import register
from store.db import engine_from_settings, prepare, session_scope
from store.seed import seed_demo
from store.tables import CaseRow
from tests.factories import FILED, case_state

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
    )
    prepare(settings)
    seed_demo(settings)
    _publish_listings(settings)
    app = create_app(settings, mailer=RecordingMailer())
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
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
