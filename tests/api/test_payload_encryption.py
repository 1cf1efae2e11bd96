"""Temporal payloads are encrypted (AES-GCM): the server's history holds no plaintext of a
case's texts, names or file names; keys rotate; staff decode through /codec/decode."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidTag
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload

from core.codec import EncryptionCodec, PayloadKeyError, new_key_entry, parse_keys
from tests.api.conftest import Filed, Stack

SECRETS = ("Nasrin Sultana", "Rupali Knit Workers", "শ্রমিকদের মজুরি", "nasrin_dismissal.txt")


async def test_the_history_on_the_temporal_server_holds_no_plaintext(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(
        subject="Wages withheld: শ্রমিকদের মজুরি",
        complainant={
            "name": "Nasrin Sultana",
            "organisation": "Rupali Knit Workers",
            "email": "n@w.example",
            "confidential": True,
        },
    )
    ref = filed["reference"]
    await stack.act(ref, "secretariat", action="register", note="Nasrin Sultana called us.")
    await stack.act(
        ref, "secretariat", action="add_message", text="শ্রমিকদের মজুরি বাকি", visibility="committee"
    )
    upload = await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        headers=await stack.headers("secretariat"),
        files={"file": ("nasrin_dismissal.txt", b"letter", "text/plain")},
        data={"visibility": "committee"},
    )
    assert upload.status_code == 201, upload.text
    history = await stack.client.get_workflow_handle(f"case-{ref}").fetch_history()
    stored = b"".join(event.SerializeToString() for event in history.events)
    assert b"binary/encrypted" in stored
    for secret in SECRETS:
        assert secret.encode() not in stored, secret


async def test_staff_decode_payloads_through_the_codec_endpoint(stack: Stack) -> None:
    codec = stack.app.state.codec
    [sealed] = await codec.encode([Payload(metadata={"encoding": b"json/plain"}, data=b'"Nasrin"')])
    body = {"payloads": [json_format.MessageToDict(sealed)]}
    assert "Nasrin" not in str(body)
    answer = await stack.http.post("/codec/decode", json=body, headers=await stack.headers("chair"))
    assert answer.status_code == 200
    data = answer.json()["payloads"][0]["data"]
    assert base64.b64decode(data) == b'"Nasrin"'
    company = await stack.http.post(
        "/codec/decode", json=body, headers=await stack.headers("company")
    )
    assert company.status_code == 403
    assert (await stack.http.post("/codec/decode", json=body)).status_code == 401


async def test_keys_rotate_and_old_payloads_still_decrypt() -> None:
    first, first_id = new_key_entry("")
    both, second_id = new_key_entry(first)
    assert (first_id, second_id) == ("k1", "k2") and both.startswith(first + ",")
    old = EncryptionCodec(parse_keys(first), first_id)
    new = EncryptionCodec(parse_keys(both), second_id)
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b'{"text": "x"}')
    [sealed_old] = await old.encode([plain])
    [sealed_new] = await new.encode([plain])
    assert sealed_old.metadata["encryption-key-id"] == b"k1"
    assert sealed_new.metadata["encryption-key-id"] == b"k2"
    assert await new.decode([sealed_old, sealed_new]) == [plain, plain]
    assert await new.decode([plain]) == [plain]  # histories from before encryption
    with pytest.raises(PayloadKeyError, match="'k2' is not configured"):
        await old.decode([sealed_new])
    tampered = Payload(metadata=sealed_new.metadata, data=sealed_new.data[:-1] + b"\x00")
    with pytest.raises(InvalidTag):
        await new.decode([tampered])
    with pytest.raises(PayloadKeyError):
        parse_keys("k1:c2hvcnQ")  # not 32 bytes
