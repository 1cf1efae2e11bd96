"""Addresses of a case: the one place to change when the web pages land."""

from __future__ import annotations

from redress.settings import Settings


def api_case_url(settings: Settings, reference: str) -> str:
    """The case's JSON resource in the API (also the base of its document downloads)."""
    return f"{settings.public_url.rstrip('/')}/api/v1/cases/{reference}"


def case_url(settings: Settings, reference: str) -> str:
    """Where people follow the case (e-mails, the filing answer); the API until pages exist."""
    return api_case_url(settings, reference)
