"""``/codec``: the Temporal UI's remote codec, so signed-in staff can read the encrypted
payloads of a workflow there (``REDRESS_TEMPORAL_UI_ORIGIN`` lets the UI call it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from api.deps import SignedInDep
from api.schemas import BODY, INVALID, SIGNED_IN, ErrorOut, responses
from core.codec import EncryptionCodec
from domain.enums import Role
from domain.problems import NotPermitted, invalid_field
from services.access import ALL_CASES_ROLES

router = APIRouter(prefix="/codec", tags=["operations"], responses=INVALID)
DECODERS = ALL_CASES_ROLES | {Role.ADMIN}


@router.post(
    "/decode",
    responses=responses(
        {403: {"model": ErrorOut, "description": "only staff read the engine's payloads"}},
        SIGNED_IN,
        BODY,
    ),
)
async def decode(
    request: Request, viewer: SignedInDep, body: Annotated[dict[str, Any], Body()]
) -> dict[str, Any]:
    """Decrypt ``{"payloads": [...]}`` (protobuf JSON) for the secretariat, chair,
    committee and admin; others 403."""
    if viewer.role not in DECODERS:
        raise NotPermitted("only staff may read the engine's payloads")
    codec = request.app.state.codec
    assert isinstance(codec, EncryptionCodec)
    try:
        payloads = json_format.ParseDict(body, Payloads())
    except json_format.ParseError as error:
        raise invalid_field(["body"], f"not a Payloads message ({error})") from None
    decoded = await codec.decode(payloads.payloads)
    answer: dict[str, Any] = json_format.MessageToDict(Payloads(payloads=decoded))
    return answer
