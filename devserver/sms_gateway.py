"""A local fake SMS gateway for `make run`: speaks the Twilio REST endpoint Redress posts
texts to, keeps them, shows them on a page of its own, and lets a person answer one: the
answer goes to Redress's webhook signed exactly as Twilio signs it."""

from __future__ import annotations

import base64
import html
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import httpx
from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import SecretStr

from devserver.web import WebServer
from notifications.sms_gateway import SIGNATURE_HEADER, twilio_signature

if TYPE_CHECKING:
    from core.settings import Settings

LOCAL_ACCOUNT_SID = "AC" + "0" * 30 + "01"
LOCAL_AUTH_TOKEN = "local-sms-gateway-token"
LOCAL_NUMBER = "+3197010000001"  # the number Redress's texts come from in the local stack
WEBHOOK_PATH = "/api/v1/sms/twilio"

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:60rem;padding:0 1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;
border-bottom:1px solid #ddd;vertical-align:top}.in{background:#eef6ee}.muted{color:#666}
textarea,input{font:inherit;width:100%;box-sizing:border-box}form{margin:1rem 0}
"""


@dataclass
class Text:
    """One text the gateway carried: sent by Redress (``out``) or to it (``in``)."""

    sid: str
    direction: str  # "out" or "in"
    sender: str
    to: str
    body: str
    at: str
    delivered: str = ""  # an inbound text: what Redress's webhook answered


def _sid() -> str:
    return "SM" + secrets.token_hex(16)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


class FakeSmsGateway:
    """The fake gateway: its REST endpoint, its page and its deliveries to the webhook."""

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        number: str,
        webhook_url: str,
        host: str = "127.0.0.1",
        port: int = 8026,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.number = number
        self.webhook_url = webhook_url
        self.texts: list[Text] = []
        self.web = WebServer(self.app(), host=host, port=port, name="fake SMS gateway")

    @classmethod
    def from_settings(cls, settings: Settings) -> FakeSmsGateway:
        """The gateway the local stack's settings point at."""
        token = settings.sms_auth_token
        return cls(
            account_sid=settings.sms_account_sid,
            auth_token=token.get_secret_value() if token is not None else "",
            number=settings.sms_from,
            webhook_url=f"{settings.public_url.rstrip('/')}{WEBHOOK_PATH}",
            port=settings.sms_web_port,
        )

    @property
    def url(self) -> str:
        """Where its page and REST endpoint answer."""
        return f"http://{self.web.host}:{self.web.port}"

    async def start(self) -> None:
        """Serve (port 0 picks a free one)."""
        await self.web.start()

    async def stop(self) -> None:
        """Stop serving."""
        await self.web.stop()

    def _authorised(self, request: Request, sid: str) -> bool:
        pair = f"{self.account_sid}:{self.auth_token}".encode()
        expected = "Basic " + base64.b64encode(pair).decode("ascii")
        given = request.headers.get("authorization", "")
        return sid == self.account_sid and secrets.compare_digest(given, expected)

    async def deliver(self, sender: str, body: str, sid: str | None = None) -> Text:
        """Post a text to Redress's webhook as Twilio would (a ``sid`` again: redelivery)."""
        text = Text(
            sid=sid or _sid(),
            direction="in",
            sender=sender,
            to=self.number,
            body=body,
            at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        form = {
            "MessageSid": text.sid,
            "SmsSid": text.sid,
            "AccountSid": self.account_sid,
            "From": sender,
            "To": self.number,
            "Body": body,
            "NumMedia": "0",
        }
        signature = twilio_signature(self.auth_token, self.webhook_url, list(form.items()))
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                answer = await client.post(
                    self.webhook_url, data=form, headers={SIGNATURE_HEADER: signature}
                )
            text.delivered = f"HTTP {answer.status_code}"
        except httpx.HTTPError as error:
            text.delivered = f"not delivered: {type(error).__name__}"
        self.texts.append(text)
        return text

    def app(self) -> FastAPI:
        """The REST endpoint, the page, the reply form and a JSON list for scripts."""
        app = FastAPI(title="Fake SMS gateway", docs_url=None, redoc_url=None, openapi_url=None)

        @app.post("/2010-04-01/Accounts/{sid}/Messages.json")
        async def create_message(sid: str, request: Request) -> Response:
            if not self._authorised(request, sid):
                return JSONResponse({"code": 20003, "message": "Authenticate"}, status_code=401)
            form = await request.form()
            to, body = str(form.get("To") or ""), str(form.get("Body") or "")
            if not to.startswith("+"):
                message = f"The 'To' number {to} is not a valid phone number."
                return JSONResponse({"code": 21211, "message": message}, status_code=400)
            text = Text(
                sid=_sid(),
                direction="out",
                sender=str(form.get("From") or self.number),
                to=to,
                body=body,
                at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            self.texts.append(text)
            answer = {"sid": text.sid, "status": "queued", "to": to, "from": text.sender}
            return JSONResponse({**answer, "body": body}, status_code=201)

        @app.get("/api/messages")
        def list_texts() -> list[dict[str, str]]:
            return [asdict(t) for t in self.texts]

        @app.post("/send")
        async def send_reply(
            sender: Annotated[str, Form()], body: Annotated[str, Form()], sid: str = ""
        ) -> Response:
            await self.deliver(sender.strip(), body, sid or None)
            return RedirectResponse("/", status_code=303)

        @app.get("/", response_class=HTMLResponse)
        def show_texts() -> HTMLResponse:
            rows = "".join(self._row(t) for t in reversed(self.texts))
            last = next((t.to for t in reversed(self.texts) if t.direction == "out"), "")
            table = (
                "<table><thead><tr><th>When</th><th>From</th><th>To</th><th>Text</th><th></th>"
                f"</tr></thead><tbody>{rows}</tbody></table>"
                if rows
                else '<p class="muted">No texts yet.</p>'
            )
            body = (
                "<h1>Fake SMS gateway</h1><p class='muted'>Texts Redress sent (Twilio's REST "
                f"API) and answers sent to its webhook {_e(self.webhook_url)}, signed as "
                "Twilio signs them. <a href='/api/messages'>JSON</a></p>"
                "<h2>Answer as a complainant</h2><form method='post' action='/send'>"
                "<label for='sender'>From (the complainant's number)</label>"
                f"<input id='sender' name='sender' value='{_e(last)}' required>"
                "<label for='body'>Text (start it with a case's reference if the number "
                "has several)</label><textarea id='body' name='body' rows='3' required>"
                "</textarea><button type='submit'>Send to Redress</button></form>"
                f"<h2>Texts</h2>{table}"
            )
            doc = (
                '<!doctype html><html lang="en"><head><meta charset="utf-8">'
                f"<title>Fake SMS gateway</title><style>{_STYLE}</style></head>"
                f"<body>{body}</body></html>"
            )
            return HTMLResponse(doc)

        return app

    @staticmethod
    def _row(text: Text) -> str:
        again = ""
        if text.direction == "in":
            # Deliver the same message (same MessageSid) again, as a gateway retrying does.
            again = (
                "<form method='post' action='/send?sid=" + _e(text.sid) + "'>"
                f"<input type='hidden' name='sender' value='{_e(text.sender)}'>"
                f"<input type='hidden' name='body' value='{_e(text.body)}'>"
                f"<button type='submit'>Deliver again</button> {_e(text.delivered)}</form>"
            )
        return (
            f"<tr class='{_e(text.direction)}'><td>{_e(text.at)}</td><td>{_e(text.sender)}"
            f"</td><td>{_e(text.to)}</td><td>{_e(text.body)}</td><td>{again}</td></tr>"
        )


def local_sms_settings(settings: Settings) -> dict[str, object]:
    """The settings that point the local stack at the fake gateway, unless a gateway is set."""
    if "sms_gateway" in settings.model_fields_set:
        return {}
    return {
        "sms_gateway": "twilio",
        "sms_base_url": f"http://127.0.0.1:{settings.sms_web_port}",
        "sms_account_sid": LOCAL_ACCOUNT_SID,
        "sms_auth_token": SecretStr(LOCAL_AUTH_TOKEN),
        "sms_from": LOCAL_NUMBER,
    }


def runs_fake(settings: Settings) -> bool:
    """Whether these (local) settings send texts to the fake gateway."""
    return (
        settings.local_mode
        and settings.sms_gateway == "twilio"
        and settings.sms_base_url == f"http://127.0.0.1:{settings.sms_web_port}"
    )
