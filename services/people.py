"""People: inviting users, changing them, one-time links to set a password, and the mail
that carries the links (a user's own password and authenticator: ``services.credentials``).
Shared by the API, the admin pages and the ``redress`` command.

A link's token reaches only the e-mail (or, for the first admin, the terminal): it is
stored as a keyed hash, works once, and expires.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

from sqlmodel import Session

from core.security import keyed_hash, new_secret
from core.settings import Settings
from domain.enums import Role
from domain.problems import invalid_field
from domain.words import ROLE_PHRASES
from notifications.mailer import Mailer, OutgoingMail, message_id
from notifications.render import AccountMailContext, format_due, render_template
from services.access import COVENANT_STAFF
from services.sign_in import mfa_required
from store import covenants as covenant_store
from store import organisations, people
from store.tables import User

log = logging.getLogger("redress.accounts")

Purpose = Literal["invitation", "reset"]
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
USERNAME_RULE = "use 2 to 64 lower-case letters, digits, dots, dashes or underscores"
# Which kinds of organisation a party's user may belong to.
PARTY_KINDS = {
    Role.COMPANY: frozenset({"company", "business_association"}),
    Role.UNION: frozenset({"union", "ngo"}),
}


@dataclass(frozen=True)
class Changer:
    """Who makes an administrative change (a signed-in admin, or the operator's command)."""

    username: str
    role: str
    display_name: str


# The operator at the terminal (``redress``), recorded as an admin named "operator": the
# same as the command's organisation changes, which go through the API's routes.
OPERATOR = Changer("operator", Role.ADMIN.value, "The administrator")


def record(session: Session, by: Changer, action: str, target: str, detail: dict[str, Any]) -> None:
    """Record an administrative change in the caller's transaction."""
    organisations.record_change(
        session=session,
        username=by.username,
        role=by.role,
        action=action,
        target=target,
        detail=detail,
    )


def check_membership(
    session: Session, role: Role, organisation_id: str | None, covenants: Collection[str]
) -> None:
    """422 unless the organisation and covenants fit the role: a party's user belongs to an
    organisation of its kind; covenants exist and are for staff only."""
    organisation = (
        organisations.get_organisation(session=session, organisation_id=organisation_id)
        if organisation_id
        else None
    )
    if organisation_id and organisation is None:
        raise invalid_field(("body", "organisation"), f"no organisation '{organisation_id}'")
    if role in PARTY_KINDS:
        kinds = PARTY_KINDS[role]
        if organisation is None or organisation.kind not in kinds:
            raise invalid_field(
                ("body", "organisation"),
                f"a {role.value} user belongs to an organisation of kind "
                + " or ".join(sorted(kinds)),
            )
    known = {c.slug for c in covenant_store.list_covenants(session=session)}
    unknown = sorted(set(covenants) - known)
    if unknown:
        raise invalid_field(
            ("body", "covenants"),
            f"no covenant '{unknown[0]}'; known: {', '.join(sorted(known))}",
        )
    if covenants and role not in COVENANT_STAFF:
        raise invalid_field(("body", "covenants"), f"a {role.value} user works on no covenant")


def create_user(
    session: Session,
    by: Changer,
    *,
    username: str,
    email: str,
    role: Role,
    organisation_id: str | None,
    language: str,
    display_name: str | None = None,
    covenants: Collection[str] | None = None,
) -> User:
    """A new active user without a password (an invitation sets it). Staff work on the
    given covenants, or on all of them when none are named."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise invalid_field(("body", "username"), USERNAME_RULE)
    if people.find_user(session=session, username=username) is not None:
        raise invalid_field(("body", "username"), f"'{username}' is taken already")
    if people.user_with_email(session=session, email=email) is not None:
        raise invalid_field(("body", "email"), "another user has this e-mail address already")
    if covenants is None and role in COVENANT_STAFF:
        covenants = [c.slug for c in covenant_store.list_covenants(session=session)]
    covenants = sorted(set(covenants or ()))
    check_membership(session, role, organisation_id, covenants)
    user = User(
        username=username,
        display_name=(display_name or "").strip() or username,
        email=email.strip(),
        role=role.value,
        organisation_id=organisation_id,
        language=language,
        password_hash="!",  # no Argon2 hash matches: nobody signs in before a password is set
        active=True,
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    people.set_staff_covenants(session=session, user_id=user.id, covenants=covenants)
    detail = {
        "email": user.email,
        "role": role.value,
        "organisation": organisation_id,
        "language": language,
        "covenants": covenants,
    }
    record(session, by, "user_created", username, detail)
    return user


def one_time_link(session: Session, settings: Settings, user: User, purpose: Purpose) -> str:
    """A new one-time link for the user to set a password (an earlier one stops working)."""
    assert user.id is not None
    token = new_secret()
    now = datetime.now(UTC)
    lifetime = (
        timedelta(hours=settings.invitation_ttl_hours)
        if purpose == "invitation"
        else timedelta(minutes=settings.reset_ttl_minutes)
    )
    people.add_account_token(
        session=session,
        token_hash=keyed_hash(settings.secret_key, token),
        user_id=user.id,
        purpose=purpose,
        created_at=now,
        expires_at=now + lifetime,
    )
    return f"{settings.public_url.rstrip('/')}/account/password?{urlencode({'token': token})}"


def change_user(
    session: Session,
    by: Changer,
    user: User,
    *,
    changes: dict[str, Any],
) -> User:
    """Apply ``active``, ``role``, ``organisation``, ``covenants``, ``display_name``,
    ``language`` or ``reset_two_factor`` from ``changes``; disabling ends every sign-in."""
    assert user.id is not None
    if by.username == user.username and (
        changes.get("active") is False or changes.get("role", Role.ADMIN) is not Role.ADMIN
    ):
        raise invalid_field(
            ("body", "active"), "you cannot disable yourself or drop your admin role"
        )
    role = Role(changes.get("role", user.role))
    organisation_id = changes.get("organisation", user.organisation_id)
    current = people.staff_covenants(session=session, user_id=user.id)
    covenants = changes.get("covenants")
    if covenants is None:
        covenants = current if role in COVENANT_STAFF else frozenset()
    check_membership(session, role, organisation_id, covenants)
    user.role = role.value
    user.organisation_id = organisation_id
    for name in ("display_name", "language"):
        if changes.get(name):
            setattr(user, name, changes[name])
    if set(covenants) != current:
        people.set_staff_covenants(session=session, user_id=user.id, covenants=covenants)
    if "active" in changes:
        user.active = bool(changes["active"])
    if changes.get("reset_two_factor"):
        user.totp_secret = None
        user.totp_pending = None
    if not user.active or "role" in changes or changes.get("reset_two_factor"):
        people.revoke_user_tokens(session=session, user_id=user.id)
    session.add(user)
    detail = {k: sorted(v) if isinstance(v, set | frozenset) else v for k, v in changes.items()}
    record(session, by, "user_changed", user.username, detail)
    return user


def role_name(role: Role | str, language: str) -> str:
    """The role in plain words, in one of the e-mail languages (English otherwise)."""
    names = ROLE_PHRASES.get(language, ROLE_PHRASES["en"])
    return names[Role(role)]


def account_mail(
    settings: Settings,
    user: User,
    purpose: Purpose,
    link: str,
    *,
    inviter: str,
    organisation_name: str | None = None,
) -> OutgoingMail:
    """The invitation or reset e-mail carrying the link, in the user's language."""
    language = user.language if user.language in ROLE_PHRASES else "en"
    lifetime = (
        timedelta(hours=settings.invitation_ttl_hours)
        if purpose == "invitation"
        else timedelta(minutes=settings.reset_ttl_minutes)
    )
    context = AccountMailContext(
        recipient_name=user.display_name,
        username=user.username,
        role_name=role_name(user.role, language),
        organisation_name=organisation_name,
        inviter=inviter,
        link=link,
        expires_text=format_due(datetime.now(UTC) + lifetime, language),
        mfa=mfa_required(settings, user),
    )
    name = "invitation" if purpose == "invitation" else "password_reset"
    rendered = render_template(name, language, context.model_dump())
    assert user.email is not None
    return OutgoingMail(
        message_id=message_id(f"{purpose}:{new_secret()}", user.email, settings.mail_domain),
        sender=settings.mail_from,
        to=user.email,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        language=rendered.language,
    )


async def send_invitation(
    mailer: Mailer, session: Session, settings: Settings, by: Changer, user: User
) -> bool:
    """A new invitation link, committed, then mailed; whether the mail went out (if not, the
    admin sends another)."""
    link = one_time_link(session, settings, user, "invitation")
    organisation = (
        organisations.get_organisation(session=session, organisation_id=user.organisation_id)
        if user.organisation_id
        else None
    )
    record(session, by, "invitation_sent", user.username, {"email": user.email})
    session.commit()
    mail = account_mail(
        settings,
        user,
        "invitation",
        link,
        inviter=by.display_name,
        organisation_name=organisation.name if organisation else None,
    )
    return await send_account_mail(mailer, mail)


async def send_account_mail(mailer: Mailer, mail: OutgoingMail) -> bool:
    """Send the mail; False (logged without the address or link) when it could not go."""
    try:
        await mailer.send(mail)
    except Exception as exc:
        log.warning("account e-mail not sent: %s", type(exc).__name__)
        return False
    return True
