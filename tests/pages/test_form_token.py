"""A filing form's one-time token: the key it files under is bound to the visitor's cookie,
kept for the browser session, and a reuse with other words is told apart from other refusals."""

from __future__ import annotations

from fastapi import Response
from starlette.datastructures import FormData
from starlette.requests import Request

from api.pages import filing_form
from api.pages.cookies import ANON_COOKIE
from core.settings import Settings
from domain.problems import invalid_field
from services.filing_keys import HEADER, REUSED

TOKEN = "5lYFtl0YZtXa1q2SE1pnggjSSq27peCe"


def request(**cookies: str) -> Request:
    header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/complaint",
        "headers": [(b"cookie", header.encode())] if header else [],
        "scheme": "http",
        "server": ("testserver", 80),
        "query_string": b"",
    }
    return Request(scope)


def test_the_key_is_the_token_bound_to_the_visitors_cookie() -> None:
    form = FormData({filing_form.TOKEN_FIELD: TOKEN})
    mine = filing_form.filing_key(request(**{ANON_COOKIE: "visitor-one"}), form)
    again = filing_form.filing_key(request(**{ANON_COOKIE: "visitor-one"}), form)
    theirs = filing_form.filing_key(request(**{ANON_COOKIE: "visitor-two"}), form)
    assert mine is not None and mine == again  # a resend files under the same key
    assert theirs is not None and theirs != mine  # a copied token names another filing
    # No token (a page kept from before tokens), a malformed one, or no cookie: no key.
    assert filing_form.filing_key(request(**{ANON_COOKIE: "visitor-one"}), FormData()) is None
    bad = FormData({filing_form.TOKEN_FIELD: "<script>"})
    assert filing_form.filing_key(request(**{ANON_COOKIE: "visitor-one"}), bad) is None
    assert filing_form.filing_key(request(), form) is None


def test_each_file_has_its_own_key_that_shows_neither_cookie_nor_token() -> None:
    settings = Settings(secret_key="form-token-tests-secret-key-0123")
    key = filing_form.filing_key(request(**{ANON_COOKIE: "visitor-one"}), FormData({
        filing_form.TOKEN_FIELD: TOKEN
    }))  # fmt: skip
    first, second = (filing_form.evidence_key(settings, key, n) for n in (0, 1))
    assert first and second and first != second and len(first) <= 200
    assert "visitor-one" not in first and TOKEN not in first
    assert filing_form.evidence_key(settings, None, 0) is None


def test_the_token_shown_is_kept_for_the_browser_session() -> None:
    fresh = filing_form.shown_token(request(), "complaint")
    assert filing_form.TOKEN.fullmatch(fresh)
    assert filing_form.shown_token(request(), "complaint") != fresh
    response = filing_form.keep_token(Response(), request(), Settings(), "complaint", fresh)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"redress_form_complaint={fresh};")
    assert "httponly" in cookie.lower() and "max-age" not in cookie.lower()
    # The form fetched again (going back after a send) shows the same token.
    again = request(redress_form_complaint=fresh)
    assert filing_form.shown_token(again, "complaint") == fresh
    assert filing_form.shown_token(again, "signal") != fresh  # each form its own
    assert filing_form.shown_token(request(redress_form_complaint="x"), "complaint") != "x"


def test_a_token_reused_with_other_words_is_told_from_a_field_refused() -> None:
    assert filing_form.resent_changed(invalid_field(HEADER, REUSED))
    assert not filing_form.resent_changed(invalid_field(["body", "subject"], "too short"))
