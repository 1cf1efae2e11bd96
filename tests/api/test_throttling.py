"""Brute force meets 429 long before a guess could succeed: passwords and access codes,
per account or case and per address, with waits that grow; behind a trusted proxy the
client's own address counts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from limits import parse
from limits.strategies import FixedWindowRateLimiter
from starlette.requests import Request

from api.throttle import client_address
from core.settings import Settings
from domain.problems import TooMany
from services.throttling import SIGN_IN_ACCOUNT, Rule, Throttle
from store.db import make_engine
from store.rate_counters import SqlStorage
from store.seed import DEMO_PASSWORD
from tests.api.conftest import Filed, Stack
from tests.factories import Database, migrated


async def test_password_guessing_meets_429_and_then_even_the_right_password_waits(
    stack: Stack,
) -> None:
    wrong = {"username": "committee", "password": "guess"}
    for _ in range(5):
        answer = await stack.http.post("/api/v1/auth/token", json=wrong)
        assert answer.status_code == 401
    refused = await stack.http.post("/api/v1/auth/token", json=wrong)
    assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
    assert "too many failed sign-ins to this account" in refused.json()["detail"]
    right = {"username": "committee", "password": DEMO_PASSWORD}
    assert (await stack.http.post("/api/v1/auth/token", json=right)).status_code == 429
    other = {"username": "chair", "password": DEMO_PASSWORD}  # another account still works
    assert (await stack.http.post("/api/v1/auth/token", json=other)).status_code == 200


async def test_one_address_trying_many_accounts_is_stopped_too(stack: Stack) -> None:
    codes = []
    for n in range(21):
        answer = await stack.http.post(
            "/api/v1/auth/token", json={"username": f"nobody{n}", "password": "guess"}
        )
        codes.append(answer.status_code)
    assert codes[:20] == [401] * 20 and codes[20] == 429


async def test_access_code_guessing_meets_429_for_the_case_and_the_address(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint()
    ref, right = filed["reference"], filed["access_code"]
    url = f"/api/v1/cases/{ref}"
    statuses = [
        (await stack.http.get(url, headers={"X-Access-Code": f"wrong-{n}"})).status_code
        for n in range(6)
    ]
    assert statuses == [404] * 5 + [429]
    held = await stack.http.get(url, headers={"X-Access-Code": right})
    assert held.status_code == 429 and int(held.headers["retry-after"]) >= 1
    form = await stack.http.get("/track")  # the tracking page counts against the same case
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    page = await stack.http.post(
        "/track", data={"csrf_token": token, "reference": ref, "code": right}
    )
    assert page.status_code == 429 and "Retry-After" in page.headers


def test_the_waits_grow_with_each_tier(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrated(Database("sqlite", f"sqlite:///{tmp_path / 't.db'}", engine))
    throttle = Throttle(engine)
    waits = []
    with time_machine.travel("2026-12-02 10:00:05 +0000", tick=False) as clock:
        for _ in range(6):  # rounds of five guesses, a minute apart
            for _ in range(5):
                throttle.count(SIGN_IN_ACCOUNT, "victim")
            with pytest.raises(TooMany) as refused:
                throttle.refuse_if_spent(SIGN_IN_ACCOUNT, "victim")
            waits.append(refused.value.retry_after)
            clock.shift(timedelta(seconds=61))
    # A minute, then the rest of a quarter of an hour, then the rest of the day.
    assert waits[0] <= 60 < waits[1] <= 15 * 60 and waits[-1] > 23 * 3600


def test_a_burst_at_the_edge_of_a_window_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrated(Database("sqlite", f"sqlite:///{tmp_path / 't.db'}", engine))
    throttle = Throttle(engine)
    rule = Rule("edge", "5/minute", "too many tries")
    fixed = FixedWindowRateLimiter(SqlStorage(engine=engine))  # what counted before

    def burst(size: int) -> tuple[int, int, int]:
        """How many of the burst the throttle and fixed windows let through; the last wait."""
        passed, fixed_passed, wait = 0, 0, 0
        for _ in range(size):
            try:
                throttle.take(rule, "k")
                passed += 1
            except TooMany as refused:
                wait = refused.retry_after
            fixed_passed += fixed.hit(parse("5/minute"), "fixed", "k")
        return passed, fixed_passed, wait

    with time_machine.travel("2026-12-02 10:00:00 +0000", tick=False) as clock:
        assert burst(1)[:2] == (1, 1)  # the first window starts
        clock.shift(timedelta(seconds=58.5))
        assert burst(4)[:2] == (4, 4)  # the window's last seconds: five of five
        clock.shift(timedelta(seconds=2))  # 1.5 seconds into the next window
        passed, fixed_passed, wait = burst(5)
        # Fixed windows let the whole second burst through: ten in two seconds. The
        # sliding window still weighs the last one at 59.5/60: room for one more only.
        assert (passed, fixed_passed) == (1, 5)
        # Until the previous window weighs less than four: 59.5 - 4 * 60 / 5 = 11.5 seconds.
        assert wait == 12
        clock.shift(timedelta(seconds=11))
        assert burst(1)[0] == 0
        clock.shift(timedelta(seconds=1))
        assert burst(1)[0] == 1


def _request(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 1234), "headers": headers})


def test_behind_a_trusted_proxy_the_forwarded_client_counts() -> None:
    plain = Settings()
    proxied = Settings(trusted_proxies="10.0.0.0/8, 192.0.2.7")
    spoofed = _request("203.0.113.9", "198.51.100.1")
    assert client_address(spoofed, plain) == "203.0.113.9"  # nobody is believed by default
    assert client_address(spoofed, proxied) == "203.0.113.9"  # nor an untrusted peer
    chain = _request("10.1.2.3", "198.51.100.1, 203.0.113.5, 192.0.2.7")
    assert client_address(chain, proxied) == "203.0.113.5"
