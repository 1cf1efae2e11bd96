"""A connection the database refuses is tried again a few times with a pause (logged), so a
blip does not fail a request; a database that stays away fails it, within limits."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
from sqlalchemy import exc, text
from sqlalchemy.engine import make_url

from store.db import CONNECT_ATTEMPTS, make_engine
from tests.faults.harness import Proxy
from tests.faults.stack import FaultStack

pytestmark = pytest.mark.faults


def _select_one(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT 1")).scalar_one())
    finally:
        engine.dispose()


async def test_a_refused_connection_is_retried_then_given_up(
    stack: FaultStack, caplog: pytest.LogCaptureFixture
) -> None:
    direct = make_url(str(stack.engine.url.render_as_string(hide_password=False)))
    proxy = Proxy(direct.host or "localhost", direct.port or 5432)
    proxy.start()
    url = direct.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        caplog.set_level(logging.WARNING, logger="store.db")
        proxy.cut()
        back = threading.Timer(0.4, proxy.restore)  # the database returns during the retries
        back.start()
        assert await asyncio.to_thread(_select_one, url) == 1
        back.join()
        assert "database connection attempt 1 of 4 failed (OperationalError)" in caplog.text

        caplog.clear()
        proxy.cut()  # and now it stays away
        with pytest.raises(exc.OperationalError):
            await asyncio.to_thread(_select_one, url)
        failures = [r for r in caplog.records if "database connection attempt" in r.message]
        assert len(failures) == CONNECT_ATTEMPTS, [r.message for r in failures]
        assert "giving up" in failures[-1].message
    finally:
        proxy.close()
