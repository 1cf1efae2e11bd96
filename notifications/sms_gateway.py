"""Text messages through an SMS gateway: one interface and its Twilio adapter.

A gateway sends a text and answers with its id for it; on the way in it checks that a
webhook request is its own (``verify``) and reads the text out of it (``parse_inbound``).
Twilio's formats, as its documentation gives them: outbound ``POST {base}/2010-04-01/
Accounts/{sid}/Messages.json`` (form ``To``, ``From``, ``Body``; basic auth as the account);
inbound a form post (``From``, ``To``, ``Body``, ``MessageSid`` …) signed in
``X-Twilio-Signature``: base64 of HMAC-SHA1 under the auth token of the full URL it posted
to followed by each form field's name and value, sorted by name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from core.settings import Settings

SIGNATURE_HEADER = "x-twilio-signature"
# What the webhook answers: TwiML that sends nothing back (our answers are sent as texts).
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
SEND_TIMEOUT = 15.0  # seconds; a slow gateway fails the attempt, Temporal retries it


@dataclass(frozen=True)
class InboundRequest:
    """A webhook request as a gateway checks it: the URL it was posted to as the gateway
    knows it (the public one, not the one behind a proxy), the form fields, the headers
    (names in lower case)."""

    url: str
    params: Sequence[tuple[str, str]]
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InboundText:
    """A text someone sent to our number."""

    sender: str  # E.164
    to: str
    body: str
    message_id: str  # the gateway's id: a text delivered twice has the same


class SmsRejected(Exception):
    """The gateway refused this text for good (e.g. a number that cannot take texts)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code} {reason}")
        self.code = code
        self.reason = reason  # the gateway's words; may name the number, so not for logs


class SmsLoginRefused(Exception):
    """The gateway refused our account or token: no retry helps until an operator fixes it."""


class SmsGateway(Protocol):
    """An SMS gateway: sends texts, recognises and reads its own webhook requests."""

    name: str
    empty_reply: tuple[str, str]  # the webhook's answer: body and media type

    async def send(self, to: str, text: str) -> str:
        """Send ``text`` to ``to`` (E.164); the gateway's id for it. ``SmsRejected`` when
        refused for good, ``SmsLoginRefused`` on our credentials, else any error (retried)."""
        ...

    def verify(self, request: InboundRequest) -> bool:
        """Whether the request carries the gateway's valid signature."""
        ...

    def parse_inbound(self, request: InboundRequest) -> InboundText:
        """The text the (verified) request delivers; ``ValueError`` when it carries none."""
        ...


def twilio_signature(auth_token: str, url: str, params: Sequence[tuple[str, str]]) -> str:
    """Twilio's request signature: base64(HMAC-SHA1(token, url + sorted names and values))."""
    data = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class TwilioGateway:
    """Twilio's Programmable Messaging REST API and webhook (or anything speaking them)."""

    name = "twilio"
    empty_reply = (EMPTY_TWIML, "text/xml")

    def __init__(
        self,
        *,
        base_url: str,
        account_sid: str,
        auth_token: str,
        sender: str,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.account_sid = account_sid
        self._token = auth_token
        self.sender = sender
        self._transport = transport

    @property
    def messages_url(self) -> str:
        """Where texts are posted."""
        return f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"

    async def send(self, to: str, text: str) -> str:
        """Post the text; Twilio answers 201 with the message's ``sid``."""
        async with httpx.AsyncClient(timeout=SEND_TIMEOUT, transport=self._transport) as client:
            answer = await client.post(
                self.messages_url,
                data={"To": to, "From": self.sender, "Body": text},
                auth=(self.account_sid, self._token),
            )
        if answer.status_code in (401, 403):
            raise SmsLoginRefused(f"the SMS gateway refused our account ({answer.status_code})")
        if 400 <= answer.status_code < 500 and answer.status_code != 429:
            code, reason = _error_of(answer)
            raise SmsRejected(code, reason)
        answer.raise_for_status()  # 429 and 5xx: the attempt fails, a retry may succeed
        sid = answer.json().get("sid")
        if not isinstance(sid, str) or not sid:
            raise ValueError("the SMS gateway answered without a message id")
        return sid

    def verify(self, request: InboundRequest) -> bool:
        """Check ``X-Twilio-Signature`` against the URL and the form, in constant time."""
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not given or not self._token:
            return False
        expected = twilio_signature(self._token, request.url, request.params)
        return hmac.compare_digest(expected.encode(), given.encode())

    def parse_inbound(self, request: InboundRequest) -> InboundText:
        """``From``, ``To``, ``Body`` and ``MessageSid`` of the form."""
        fields = dict(request.params)
        sender, sid = fields.get("From", "").strip(), fields.get("MessageSid", "").strip()
        if not sender or not sid:
            raise ValueError("not a text: no From or MessageSid")
        return InboundText(
            sender=sender,
            to=fields.get("To", "").strip(),
            body=fields.get("Body", ""),
            message_id=sid,
        )


def _error_of(answer: httpx.Response) -> tuple[int, str]:
    """Twilio's error code and message (its JSON body), or the HTTP status."""
    try:
        body = answer.json()
    except ValueError:
        return answer.status_code, answer.text[:200]
    if not isinstance(body, dict):
        return answer.status_code, str(body)[:200]
    code = body.get("code")
    return (code if isinstance(code, int) else answer.status_code), str(body.get("message", ""))


def gateway_from_settings(settings: Settings) -> SmsGateway | None:
    """The gateway the settings name, or None when texts are off (``sms_gateway = none``)."""
    if settings.sms_gateway == "twilio":
        token = settings.sms_auth_token
        return TwilioGateway(
            base_url=settings.sms_base_url,
            account_sid=settings.sms_account_sid,
            auth_token=token.get_secret_value() if token is not None else "",
            sender=settings.sms_from,
        )
    return None
