"""The one settings object, read from environment variables prefixed ``REDRESS_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_serializer
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_SECRET_KEY = "change-me-local-only-secret-key"


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``REDRESS_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="REDRESS_", extra="ignore")

    database_url: str = "sqlite:///var/redress.db"
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    # Temporal Cloud or a TLS-secured cluster: client certificate and key (PEM files), the
    # server's CA if private, or an API key.
    temporal_tls_cert: Path | None = None
    temporal_tls_key: Path | None = None
    temporal_tls_ca: Path | None = None
    temporal_api_key: str | None = None
    # Payload encryption keys "id:base64,id:base64" (32 bytes each) and the id that
    # encrypts; without keys, one derived from the secret key (redress/codec.py).
    payload_keys: str = ""
    payload_key_id: str = ""
    temporal_ui_origin: str | None = None  # may call /codec/decode (the local stack's UI)
    task_queue: str = "redress-cases"
    data_dir: Path = Path("var")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    # STARTTLS to the SMTP server (receipts carry access codes); None: on outside local mode.
    smtp_starttls: bool | None = None
    mail_from: str = "Redress <no-reply@redress.localhost>"
    mail_domain: str = "redress.localhost"
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str = Field(default=LOCAL_SECRET_KEY, min_length=16)
    token_ttl_hours: int = 12
    invitation_ttl_hours: int = 72
    reset_ttl_minutes: int = 60
    idempotency_keep_days: int = 7
    # Two-factor sign-in for the roles that see identities; None: on outside local mode.
    require_mfa: bool | None = None
    demo_accounts: bool = False
    local_mode: bool = False
    mail_sink_url: str | None = None
    mail_web_port: int = 8025
    # Replies by e-mail (services/inbound_mail.py): every notice's Reply-To is
    # reply+<token>@<reply_domain>; empty: notices carry no Reply-To (no receiver set up).
    reply_domain: str = ""
    # `redress receive-mail`: the SMTP server the reply domain's MX delivers to.
    inbound_smtp_host: str = "127.0.0.1"
    inbound_smtp_port: int = 2525
    inbound_max_bytes: int = Field(default=30 * 1024 * 1024, ge=1024)  # a whole message
    # Only Authentication-Results headers of this authserv-id count (your MTA's); empty: all.
    inbound_authserv_id: str = ""
    # `redress fetch-mail`: a mailbox the reply domain's mail is delivered to elsewhere.
    imap_host: str = ""
    imap_port: int = 993
    imap_username: str = ""
    imap_password: str | None = None
    imap_folder: str = "INBOX"
    imap_done_folder: str = ""  # move handled mail here; empty: mark it seen, leave it
    imap_poll_seconds: int = Field(default=60, ge=5)
    # A message whose handling fails this many polls is moved to imap_failed_folder, or
    # (empty) marked seen, with a logged refusal: it no longer holds back newer mail.
    imap_max_attempts: int = Field(default=5, ge=1)
    imap_failed_folder: str = ""
    # The intake address (services/email_complaints.py): new drafts per sender address and
    # for the whole intake, per hour; and, in local mode only, every sender taken as
    # verified (make run has no MTA to check DKIM/SPF), so receipts go out.
    intake_rate_per_sender_per_hour: int = Field(default=5, ge=1)
    intake_rate_per_hour: int = Field(default=100, ge=1)
    intake_trust_local: bool = False
    complaint_rate_per_hour: int = 20
    # Proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed.
    trusted_proxies: str = ""
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # ``GET /metrics`` on the API: with a token, only ``Authorization: Bearer <token>``
    # reads it; without one it answers 404, except in local mode where it is open.
    metrics_token: str | None = None
    # The worker's Prometheus endpoints ("host:port"; empty: off): the Temporal SDK's own
    # metrics (served by its runtime) and Redress's activity counters (prometheus-client).
    worker_metrics_address: str = ""
    worker_app_metrics_address: str = ""
    # How many processes `redress api` (and the API of `redress run`) serves with.
    api_processes: int = Field(default=1, ge=1, le=64)
    # Log lines as text for a terminal, or as one JSON object per line for a collector.
    log_format: Literal["text", "json"] = "text"
    # OpenTelemetry tracing from API to workflow to activities, exported over OTLP/HTTP to
    # this endpoint (e.g. http://otel-collector:4318); empty: off.
    tracing_endpoint: str = ""
    tracing_service: str = "redress"
    # Notices by SMS and texts back (notifications/sms_gateway.py): "none" or "twilio", the
    # gateway's REST base URL (the local stack's fake gateway in `make run`), the account,
    # its auth token (signs the webhook too) and the number texts are sent from (E.164).
    sms_gateway: Literal["none", "twilio"] = "none"
    sms_base_url: str = "https://api.twilio.com"
    sms_account_sid: str = ""
    sms_auth_token: SecretStr | None = None
    sms_from: str = ""
    sms_web_port: int = 8026  # the local stack's fake gateway (devserver/sms_gateway.py)
    # The webhook's URL exactly as configured at the gateway (its signature covers it); empty:
    # public_url followed by the webhook's path (api/routes/sms.py).
    sms_webhook_url: str = ""

    @field_serializer("sms_auth_token", when_used="json")
    def _reveal_to_children(self, token: SecretStr | None) -> str | None:
        # The local stack hands its settings to its processes as JSON environment variables
        # (devserver.processes.settings_environment): the token itself, not its mask.
        return token.get_secret_value() if token is not None else None

    @property
    def smtp_tls(self) -> bool:
        """Whether mail goes to the SMTP server over STARTTLS."""
        return self.smtp_starttls if self.smtp_starttls is not None else not self.local_mode

    def refuse_unsafe(self) -> None:
        """Stop a process outside local mode that would run on the published default key or
        on the placeholder of ``.env.example``."""
        if self.local_mode:
            return
        how = "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
        if self.secret_key == LOCAL_SECRET_KEY or self.secret_key.startswith("REPLACE-ME"):
            raise RuntimeError(
                f"REDRESS_SECRET_KEY is a published default: set a secret of your own {how}"
            )

    @property
    def mfa_on(self) -> bool:
        """Whether staff and admins must sign in with a second factor (TOTP)."""
        return self.require_mfa if self.require_mfa is not None else not self.local_mode


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
