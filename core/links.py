"""Addresses of a case: where each kind of reader follows it."""

from __future__ import annotations

from urllib.parse import quote

from core.settings import Settings


def _base(settings: Settings) -> str:
    return settings.public_url.rstrip("/")


def api_case_url(settings: Settings, reference: str) -> str:
    """The case's JSON resource in the API (also the base of its document downloads)."""
    return f"{_base(settings)}/api/v1/cases/{reference}"


def tracking_url(settings: Settings, reference: str) -> str:
    """The tracking page, reference filled in: the complainant adds the access code."""
    return f"{_base(settings)}/track?reference={quote(reference)}"


def portal_url(settings: Settings, reference: str) -> str:
    """The case page for signed-in staff and parties' users."""
    return f"{_base(settings)}/portal/cases/{quote(reference)}"
