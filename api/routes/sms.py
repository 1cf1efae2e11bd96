"""``POST /api/v1/sms/{provider}``: the SMS gateway's webhook for texts sent to our number."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import SessionDep, SettingsDep, get_client
from api.errors import ApiError
from core.settings import Settings
from notifications.sms_gateway import InboundRequest, gateway_from_settings
from services.sms_inbound import receive_text

router = APIRouter(tags=["sms"])
log = logging.getLogger("redress.sms")


def webhook_url(request: Request, settings: Settings) -> str:
    """The URL the gateway called, which its signature covers: ``sms_webhook_url`` when set
    (exactly as configured at the gateway), else the public URL (with any path prefix a
    proxy serves the site under) and the webhook's own path and query. The request's path
    holds that prefix once more when the server runs the app under it (``root_path``, which
    an ASGI server puts in the path): it is taken off, so the prefix counts once, whether
    the server was told of it or the proxy strips it."""
    if settings.sms_webhook_url:
        return settings.sms_webhook_url
    path = request.url.path
    prefix = str(request.scope.get("root_path", "")).rstrip("/")
    if prefix and (path == prefix or path.startswith(f"{prefix}/")):
        path = path[len(prefix) :]
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{settings.public_url.rstrip('/')}{path}{query}"


@router.post("/api/v1/sms/{provider}", include_in_schema=False)
async def receive_sms(
    provider: str, request: Request, session: SessionDep, settings: SettingsDep
) -> Response:
    """A text from the gateway: its signature checked (403, nothing posted, when wrong), then
    posted on the sender's case (``services.sms_inbound``); answered with an empty reply."""
    gateway = gateway_from_settings(settings)
    if gateway is None or gateway.name != provider:
        raise ApiError(404, f"no SMS gateway '{provider}' is set up")
    form = await request.form()
    params = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
    url = webhook_url(request, settings)
    headers = {name.lower(): value for name, value in request.headers.items()}
    inbound = InboundRequest(url=url, params=params, headers=headers)
    if not gateway.verify(inbound):
        log.warning("a request to the %s webhook had no valid signature: refused", provider)
        raise ApiError(403, "the request's signature is not the gateway's")
    try:
        text = gateway.parse_inbound(inbound)
    except ValueError as error:
        raise ApiError(400, str(error)) from None
    client = await get_client(request)
    received = await receive_text(text, gateway=gateway, session=session, client=client)
    log.info("text %s: %s", text.message_id, received.outcome.value)
    body, media_type = gateway.empty_reply
    return Response(body, media_type=media_type)
