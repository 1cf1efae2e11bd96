"""Uploads: too large before reading, files cleaned up when the workflow refuses."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from domain.problems import Conflict
from services.engine import EngineTimeout
from services.uploads import MAX_BYTES
from store import documents as document_store
from store.db import session_scope
from tests.api.conftest import Filed, Stack


async def registered_case(stack: Stack, file_complaint: Filed) -> str:
    ref = (await file_complaint())["reference"]
    await stack.act(ref, "secretariat", action="register")
    return str(ref)


async def _upload(stack: Stack, ref: str, content: bytes, name: str = "note.txt") -> Any:
    return await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        headers=await stack.headers("company"),
        files={"file": (name, content, "text/plain")},
        data={"visibility": "parties"},
    )


def _stored(stack: Stack, content: bytes) -> Path:
    return Path(stack.settings.data_dir) / "documents" / hashlib.sha256(content).hexdigest()


async def test_a_declared_size_over_the_limit_is_413_before_the_body_is_read(
    stack: Stack, file_complaint: Filed
) -> None:
    ref = await registered_case(stack, file_complaint)
    pulled: list[int] = []

    async def body() -> AsyncIterator[bytes]:
        for n in range(3):
            pulled.append(n)
            yield b"x" * 1024

    response = await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        headers={
            **(await stack.headers("company")),
            "Content-Type": "multipart/form-data; boundary=b",
            "Content-Length": str(MAX_BYTES * 2),
        },
        content=body(),
    )
    assert response.status_code == 413, response.text
    assert "20 MB" in response.json()["detail"]
    assert pulled == []  # not one chunk of the body was asked for


async def test_a_refused_upload_leaves_no_file_behind_unless_another_uses_it(
    stack: Stack, file_complaint: Filed, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = await registered_case(stack, file_complaint)
    shared = b"the same audit report, uploaded twice"
    assert (await _upload(stack, ref, shared)).status_code == 201

    async def refuse(*args: Any, **kwargs: Any) -> None:
        raise Conflict("the case is suspended", allowed=[])

    monkeypatch.setattr("services.uploads.run_action", refuse)
    alone = b"a file nobody else uploaded " + ref.encode()
    for content in (alone, shared):
        response = await _upload(stack, ref, content)
        assert response.status_code == 409, response.text
    assert not _stored(stack, alone).exists()
    assert _stored(stack, shared).exists()  # the first upload still names it
    with session_scope(stack.engine) as session:
        documents = document_store.list_documents(session=session, reference=ref)
        assert len(documents) == 1


async def test_an_unanswered_upload_keeps_its_file_for_the_engine(
    stack: Stack, file_complaint: Filed, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = await registered_case(stack, file_complaint)

    async def slow(*args: Any, **kwargs: Any) -> None:
        raise EngineTimeout()

    monkeypatch.setattr("services.uploads.run_action", slow)
    content = b"uploaded while Temporal was slow " + ref.encode()
    assert (await _upload(stack, ref, content)).status_code == 503
    assert _stored(stack, content).exists()  # the update may still be recorded
    with session_scope(stack.engine) as session:
        assert len(document_store.list_documents(session=session, reference=ref)) == 1
