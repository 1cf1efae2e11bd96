"""The published OpenAPI document is the contract: schemathesis, every check but
``positive_data_acceptance`` (a valid-looking body may still name an unknown case or
organisation), 15 examples per operation, against the app served by uvicorn over its own
engine and read model. Any failure fails the test: an undocumented status, a body or header
that differs from the schema, a server error, a 405 whose ``Allow`` misses a method.

Deterministic: schemathesis's deterministic mode (no random seed, no example database)."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from core.settings import Settings
from notifications.mailer import RecordingMailer
from redress.app import create_app
from services.throttling import Throttle
from store.seed import DEMO_PASSWORD
from tests.pages.conftest import served
from tests.stack import running_backend

EXAMPLES = 15  # per operation and phase, as the figures in the issue were taken
CHECKS = ["--checks", "all", "--exclude-checks", "positive_data_acceptance"]
# Every request carries the caller's token; sign-out gets a token of its own, so that
# revoking it leaves the others' valid.
CONFIG = """\
headers = { Authorization = "Bearer ${CONTRACT_TOKEN}" }

[[operations]]
include-path = "/api/v1/auth/logout"
headers = { Authorization = "Bearer ${CONTRACT_LOGOUT_TOKEN}" }
"""


def _listening_socket() -> socket.socket:
    # IPPROTO_TCP named, so accepted connections get TCP_NODELAY from asyncio: a socket
    # made with proto 0 keeps Nagle on, and every keep-alive request waits ~40 ms.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@dataclass
class Served:
    """The app's address and its read model."""

    url: str
    engine: Engine


@pytest.fixture(scope="module")
async def api(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Served]:
    """The app on a free port over a seeded SQLite file, a Temporal dev server and a worker;
    its own, since generated requests change organisations and users."""
    tmp = tmp_path_factory.mktemp("contract")
    sock = _listening_socket()
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        local_mode=True,
        task_queue="contract-tests",
        public_url=url,
        secret_key="contract-tests-secret-key-0123456789",
        complaint_rate_per_hour=1000,
        require_mfa=False,
    )
    mailer = RecordingMailer()
    async with running_backend(settings, mailer=mailer) as backend:
        app = create_app(settings, engine=backend.engine, client=backend.client, mailer=mailer)
        async with served(app, sock):
            yield Served(url, backend.engine)


async def _token(http: httpx.AsyncClient, username: str) -> str:
    answer = await http.post(
        "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


async def schemathesis(url: str, config: Path, tokens: dict[str, str]) -> tuple[int, str]:
    """Run the schemathesis command line against the app; its exit code and its report."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--no-color",
        "--config-file",
        str(config),
        "run",
        f"{url}/openapi.json",
        *CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--generation-deterministic",
        "--request-timeout",
        "30",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, **tokens},
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace")


# The secretariat reaches every case route and the organisations; the admin, the people.
@pytest.mark.parametrize("username", ["secretariat", "admin"])
async def test_every_answer_is_the_one_the_schema_documents(
    api: Served, tmp_path: Path, username: str
) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    # The generated sign-ins fail by the hundred from one address: start each run afresh.
    Throttle(api.engine).storage.reset()
    async with httpx.AsyncClient(base_url=api.url) as http:
        tokens = {
            "CONTRACT_TOKEN": await _token(http, username),
            "CONTRACT_LOGOUT_TOKEN": await _token(http, username),
        }
    code, report = await schemathesis(api.url, config, tokens)
    print(report[report.find("Test cases:") :])  # noqa: T201  the figures: cases, time
    assert code == 0, report[-20_000:]
    generated = re.search(r"(\d+) generated, (\d+) passed", report)
    assert generated is not None, report[-5_000:]
    assert int(generated[1]) >= 1000 and generated[1] == generated[2]


async def test_a_405_allows_every_method_of_the_path_and_the_codec_answers_json(
    api: Served,
) -> None:
    async with httpx.AsyncClient(base_url=api.url) as http:
        for path, allowed in (
            ("/api/v1/organisations", "GET, POST"),
            ("/api/v1/users", "GET, POST"),
            ("/api/v1/cases/RDR-2026-0001/actions", "GET, POST"),
            ("/api/v1/users/someone", "PATCH"),
            ("/codec/decode", "POST"),
        ):
            answer = await http.request("OPTIONS", path)
            assert answer.status_code == 405, path
            assert answer.headers["allow"] == allowed, path
            assert answer.json() == {"detail": "Method Not Allowed"}
        # The Temporal UI's codec is an API: its refusals are JSON, not the pages' HTML.
        refused = await http.post("/codec/decode", json={"payloads": []})
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        assert refused.json()["detail"] == "sign in first"
