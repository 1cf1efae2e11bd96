"""A local SMTP sink: stores every message as ``.eml`` and shows them in a small web view."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections import Counter
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, PlainTextResponse

from devserver.web import WebServer
from notifications.mailbox import MailStore, body_parts, summarize

if TYPE_CHECKING:
    from core.settings import Settings


class SinkHandler:
    """aiosmtpd handler that accepts everything and stores it in a ``MailStore``."""

    def __init__(self, store: MailStore) -> None:
        self.store = store

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store the message; SMTP reply 250."""
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", errors="surrogateescape")
        self.store.save(content, mail_from=envelope.mail_from or "", rcpt_tos=envelope.rcpt_tos)
        return "250 Message accepted for delivery"


# --- web view -------------------------------------------------------------------------

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;
color:#1d1d1f}a{color:#0b5cad}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
th{background:#f4f4f6}pre{white-space:pre-wrap;background:#f7f7f9;padding:1rem;
border:1px solid #ddd}iframe{width:100%;height:40rem;border:1px solid #bbb;background:#fff}
.muted{color:#666}.badge{background:#ffe7a3;border-radius:3px;padding:0 .3rem;font-size:.8rem}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _page(title: str, body: str) -> HTMLResponse:
    doc = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )
    return HTMLResponse(doc, headers={"X-Content-Type-Options": "nosniff"})


def _when(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S %z")


def create_mail_app(store: MailStore) -> FastAPI:
    """The web view: message list, one page per message, and a JSON API for scripts."""
    app = FastAPI(title="Redress mail sink", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/", response_class=HTMLResponse)
    def list_messages() -> HTMLResponse:
        summaries = store.summaries()
        repeats = Counter(s.message_id for s in summaries if s.message_id)
        rows = []
        for s in summaries:
            badge = ' <span class="badge">redelivered</span>' if repeats[s.message_id] > 1 else ""
            rows.append(
                f"<tr><td>{_e(_when(s.date))}</td><td>{_e(s.to)}</td>"
                f'<td><a href="/messages/{_e(s.id)}">{_e(s.subject or "(no subject)")}</a>'
                f"{badge}</td><td>{_e(s.language)}</td></tr>"
            )
        table = (
            "<table><thead><tr><th>Date</th><th>To</th><th>Subject</th><th>Language</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            if rows
            else '<p class="muted">No messages yet.</p>'
        )
        body = (
            f"<h1>Mail sink</h1><p class='muted'>{len(rows)} message(s), newest first, "
            f"stored in {_e(store.directory)}. <a href='/api/messages'>JSON</a></p>{table}"
        )
        return _page("Mail sink", body)

    @app.get("/messages/{message_id}", response_class=HTMLResponse)
    def read_message(message_id: str) -> HTMLResponse:
        message = _load_or_404(store, message_id)
        text, html_body = body_parts(message)
        header_rows = "".join(
            f"<tr><th>{_e(name)}</th><td>{_e(value)}</td></tr>" for name, value in message.items()
        )
        sections = [
            '<p><a href="/">&larr; all messages</a> · '
            f'<a href="/messages/{_e(message_id)}/raw">raw</a></p>',
            f"<h1>{_e(message.get('Subject', '(no subject)'))}</h1>",
            f"<h2>Headers</h2><table>{header_rows}</table>",
            "<h2>Text part</h2>"
            + (f"<pre>{_e(text)}</pre>" if text is not None else '<p class="muted">none</p>'),
            "<h2>HTML part</h2>"
            + (
                f'<iframe sandbox="" referrerpolicy="no-referrer" title="HTML part" '
                f'srcdoc="{_e(html_body)}"></iframe>'
                if html_body is not None
                else '<p class="muted">none</p>'
            ),
        ]
        return _page(str(message.get("Subject", "message")), "".join(sections))

    @app.get("/messages/{message_id}/raw", response_class=PlainTextResponse)
    def read_raw_message(message_id: str) -> PlainTextResponse:
        raw = store.raw(message_id)
        if raw is None:
            raise HTTPException(status_code=404, detail="no such message")
        return PlainTextResponse(raw.decode("utf-8", errors="replace"))

    @app.get("/api/messages")
    def list_messages_json(to: str | None = None) -> list[dict[str, str]]:
        summaries = store.summaries()
        if to:
            summaries = [s for s in summaries if to.lower() in s.to.lower()]
        return [s.as_json() for s in summaries]

    @app.get("/api/messages/{message_id}")
    def read_message_json(message_id: str) -> dict[str, Any]:
        message = _load_or_404(store, message_id)
        text, html_body = body_parts(message)
        data: dict[str, Any] = dict(summarize(message_id, message).as_json())
        # Every header in order, repeats kept (Received, Reply-To …), so that a script or a
        # test can answer the message as a mail program would.
        headers = [[name, str(value)] for name, value in message.items()]
        data.update(text=text, html=html_body, headers=headers)
        return data

    return app


def _load_or_404(store: MailStore, message_id: str) -> EmailMessage:
    message = store.load(message_id)
    if message is None:
        raise HTTPException(status_code=404, detail="no such message")
    return message


class MailSink:
    """SMTP server plus web view, both in the running event loop."""

    def __init__(
        self,
        *,
        data_dir: Path,
        smtp_host: str = "127.0.0.1",
        smtp_port: int = 1025,
        web_host: str = "127.0.0.1",
        web_port: int | None = 8025,
    ) -> None:
        self.store = MailStore(Path(data_dir) / "mail")
        self.smtp_host = smtp_host
        self.smtp_port = smtp_port
        self.web_host = web_host
        self.web_port = web_port
        self._smtp: asyncio.Server | None = None
        self.web: WebServer | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, web: bool = True) -> MailSink:
        """A sink on the SMTP host/port the mailer uses, web view on ``mail_web_port``."""
        return cls(
            data_dir=settings.data_dir,
            smtp_host=settings.smtp_host,
            smtp_port=settings.smtp_port,
            web_port=settings.mail_web_port if web else None,
        )

    @property
    def web_url(self) -> str | None:
        """Where the web view listens, if it runs."""
        return None if self.web_port is None else f"http://{self.web_host}:{self.web_port}"

    async def start(self) -> None:
        """Bind the SMTP port (0 picks a free one) and start the web view."""
        from aiosmtpd.smtp import SMTP, AuthResult

        def accept_any_login(*_: object) -> Any:
            return AuthResult(success=True)

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command
        self.store.directory.mkdir(parents=True, exist_ok=True)
        handler = SinkHandler(self.store)
        loop = asyncio.get_running_loop()
        try:
            self._smtp = await loop.create_server(
                lambda: SMTP(
                    handler,
                    hostname="mailsink.localhost",
                    authenticator=accept_any_login,  # a mailer configured with a login works too
                    auth_require_tls=False,
                    loop=loop,
                ),
                host=self.smtp_host,
                port=self.smtp_port,
            )
        except OSError as exc:
            raise RuntimeError(
                f"mail sink cannot listen on {self.smtp_host}:{self.smtp_port}: {exc}"
            ) from exc
        self.smtp_port = self._smtp.sockets[0].getsockname()[1]
        if self.web_port is not None:
            web = WebServer(
                create_mail_app(self.store),
                host=self.web_host,
                port=self.web_port,
                name="mail web view",
            )
            try:
                await web.start()
            except BaseException:
                await self.stop()
                raise
            self.web, self.web_port = web, web.port

    async def stop(self) -> None:
        """Stop the web view and close the SMTP server."""
        if self.web is not None:
            await self.web.stop()
            self.web = None
        if self._smtp is not None:
            self._smtp.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._smtp.wait_closed(), 5)
            self._smtp = None
