"""Browser sessions: a login cookie holding an API token, and CSRF tokens for every form."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from datetime import datetime
from typing import Annotated

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import Depends, Request, Response
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.pages.i18n import COOKIE as LANGUAGE_COOKIE
from api.pages.i18n import LANGUAGES
from core.security import keyed_hash
from core.settings import Settings
from services.access import ANONYMOUS, Viewer, track_token
from services.sign_in import issue_token, token_viewer
from store import people
from store.tables import User

SESSION_COOKIE = "redress_session"
ANON_COOKIE = "redress_anon"
TRACK_COOKIE = "redress_track"
FILED_COOKIE = "redress_filed"
CSRF_FIELD = "csrf_token"
# Bytes of the CSRF secret a form carries (128 bits), and of the random pad masking it.
CSRF_BYTES = 16
# How long the confirmation page can show a new case's access code.
FILED_SECONDS = 15 * 60


def secure_cookies(request: Request, settings: Settings) -> bool:
    """Cookies are Secure whenever the site is served over https."""
    return request.url.scheme == "https" or settings.public_url.startswith("https://")


def set_cookie(
    response: Response,
    request: Request,
    settings: Settings,
    name: str,
    value: str,
    max_age: int | None = None,
) -> None:
    """An HttpOnly, SameSite=Lax cookie, Secure behind https."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request, settings),
        path="/",
    )


def start_session(
    *,
    session: Session,
    settings: Settings,
    user: User,
    request: Request,
    response: Response,
    enrolment_only: bool = False,
) -> None:
    """Sign the user in: a fresh API token, sent as the HttpOnly session cookie.

    The account's language becomes the pages' language unless this browser already chose one.
    """
    token, _ = issue_token(
        session=session, settings=settings, user=user, enrolment_only=enrolment_only
    )
    session.commit()
    set_cookie(
        response, request, settings, SESSION_COOKIE, token, max_age=settings.token_ttl_hours * 3600
    )
    if LANGUAGE_COOKIE not in request.cookies and user.language in LANGUAGES:
        year = 365 * 24 * 3600
        set_cookie(response, request, settings, LANGUAGE_COOKIE, user.language, max_age=year)


def end_session(
    *, session: Session, settings: Settings, request: Request, response: Response
) -> None:
    """Sign out: the token is revoked and the cookie removed."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        people.revoke_token(session=session, token_hash=keyed_hash(settings.secret_key, token))
        session.commit()
    response.delete_cookie(SESSION_COOKIE, path="/")


def page_viewer(*, session: Session, settings: Settings, request: Request) -> Viewer:
    """The signed-in user of the session cookie, or anonymous."""
    token = request.cookies.get(SESSION_COOKIE)
    found = token_viewer(session=session, settings=settings, token=token) if token else None
    return found if found is not None else ANONYMOUS


def csrf_seed(request: Request) -> str | None:
    """What a form's CSRF token is bound to: the session, else the anonymous cookie."""
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(ANON_COOKIE)


def visitor_seed(request: Request) -> tuple[str, bool]:
    """The cookie a visitor's CSRF tokens are bound to, and whether it must be set now."""
    seed = csrf_seed(request)
    return (seed, False) if seed else (secrets.token_urlsafe(24), True)


def csrf_secret(settings: Settings, seed: str) -> str:
    """What a visitor's CSRF tokens stand for: a keyed hash of its cookie, as hex. Forms
    rendered before tokens were masked carry it as it is (``csrf_valid`` still takes it)."""
    return keyed_hash(settings.secret_key, f"csrf:{seed}")


def _xor(one: bytes, other: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(one, other, strict=True))


def csrf_token(settings: Settings, seed: str) -> str:
    """The CSRF token a page shows in its forms: a fresh random pad and the secret's first
    ``CSRF_BYTES`` XOR the pad, base64url. Masked anew for every page, it never repeats
    from one answer to the next, so compressing a page that also reflects what the visitor
    typed (BREACH) tells nothing about it."""
    secret = bytes.fromhex(csrf_secret(settings, seed))[:CSRF_BYTES]
    pad = secrets.token_bytes(CSRF_BYTES)
    return base64.urlsafe_b64encode(pad + _xor(secret, pad)).decode().rstrip("=")


def csrf_valid(request: Request, settings: Settings, presented: str | None) -> bool:
    """Whether a posted form carries a CSRF token of the visitor's cookie: masked (as pages
    show it) or, from a form rendered before masking, the secret itself; compared in
    constant time."""
    seed = csrf_seed(request)
    if not seed or not presented:
        return False
    secret = csrf_secret(settings, seed)
    if len(presented) == len(secret):  # unmasked, as forms showed it before
        return hmac.compare_digest(secret.encode(), presented.encode())
    try:
        raw = base64.urlsafe_b64decode(presented + "=" * (-len(presented) % 4))
    except ValueError:  # not base64url (or not ASCII)
        return False
    if len(raw) != 2 * CSRF_BYTES:
        return False
    unmasked = _xor(raw[:CSRF_BYTES], raw[CSRF_BYTES:])
    return hmac.compare_digest(bytes.fromhex(secret)[:CSRF_BYTES], unmasked)


def current_viewer(request: Request, session: SessionDep, settings: SettingsDep) -> Viewer:
    """The page's viewer: the signed-in user of the session cookie, or anonymous."""
    return page_viewer(session=session, settings=settings, request=request)


PageViewerDep = Annotated[Viewer, Depends(current_viewer)]


def tracked_case(request: Request) -> tuple[str, str] | None:
    """The reference this browser tracks and the token proving it held the code (the track
    cookie; ``services.access.tracked_holder`` checks the token)."""
    reference, _, token = request.cookies.get(TRACK_COOKIE, "").partition(":")
    return (reference, token) if reference and token else None


def track_case(
    response: Response, request: Request, settings: Settings, reference: str, code: str
) -> None:
    """Remember the case in an HttpOnly cookie that ends with the browser session; the
    cookie never holds the code itself."""
    token = track_token(settings, reference, keyed_hash(settings.secret_key, code))
    set_cookie(response, request, settings, TRACK_COOKIE, f"{reference}:{token}")


def _receipt_cipher(settings: Settings) -> AESGCM:
    return AESGCM(hashlib.sha256(b"redress-receipt:" + settings.secret_key.encode()).digest())


def filed_receipt(settings: Settings, reference: str, code: str, now: datetime) -> str:
    """The confirmation cookie's value: reference, code and expiry, encrypted with a key
    derived from the server key (the code is never in a cookie in plaintext)."""
    payload = f"{reference}:{code}:{int(now.timestamp()) + FILED_SECONDS}".encode()
    nonce = os.urandom(12)
    sealed = _receipt_cipher(settings).encrypt(nonce, payload, b"filed")
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def read_filed_receipt(
    settings: Settings, value: str | None, now: datetime
) -> tuple[str, str] | None:
    """The reference and code of an unexpired confirmation cookie made here."""
    try:
        raw = base64.urlsafe_b64decode((value or "") + "=" * (-len(value or "") % 4))
        payload = _receipt_cipher(settings).decrypt(raw[:12], raw[12:], b"filed").decode()
    except (ValueError, InvalidTag):
        return None
    reference, code, expires = (payload.split(":") + ["", "", ""])[:3]
    if not (reference and code and expires.isdigit()):
        return None
    return (reference, code) if int(expires) >= now.timestamp() else None
