"""Reading posted forms and turning validation errors into messages next to each field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from api.body_limit import refuse_oversized
from api.deps import SettingsDep
from api.errors import status_of
from api.pages.admin_problems import admin_problem
from api.pages.errors import PageError, check_csrf
from api.pages.i18n import DEFAULT, negotiate, translations
from domain.enums import Visibility
from domain.phones import NOT_A_NUMBER
from domain.problems import Problem
from services.uploads import MAX_BYTES, check_upload, clean_filename

# What a complainant may choose for evidence and messages; the safer one first.
VISIBILITIES = (Visibility.COMMITTEE, Visibility.PARTIES)
# Most fields a page form has; anything more is not one of ours.
MAX_FIELDS = 200
# Starlette's own limit on the files of a form, for pages that say themselves how many
# files they take.
ANY_FILES = 1000


@dataclass(frozen=True)
class FieldError:
    """What is wrong with one field: a message code the template words, and its values."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


Errors = dict[str, FieldError]


async def read_form(request: Request, *, max_files: int = 0) -> FormData:
    """The posted form; 413 page before reading a body larger than its files may be."""
    try:
        refuse_oversized(request)
    except Problem as error:
        raise PageError(status_of(error)) from None
    try:
        return await request.form(max_files=max_files, max_fields=MAX_FIELDS)
    except Exception as error:  # malformed multipart, or more parts than allowed
        raise PageError(400) from error


class CsrfChecked:
    """The dependency every form-posting page takes: the posted form (``read_form``, with
    at most ``max_files`` files), refused with the 403 page unless it carries the visitor's
    CSRF token."""

    def __init__(self, *, max_files: int = 0) -> None:
        self.max_files = max_files

    async def __call__(self, request: Request, settings: SettingsDep) -> FormData:
        form = await read_form(request, max_files=self.max_files)
        check_csrf(request, settings, form)
        return form


class CsrfCheckedUpload:
    """``CsrfChecked`` for a page that says itself that an upload is too large: None, and
    the body left unread (so nothing is done), when it declares more than the path allows."""

    def __init__(self, *, max_files: int) -> None:
        self.checked = CsrfChecked(max_files=max_files)

    async def __call__(self, request: Request, settings: SettingsDep) -> FormData | None:
        try:
            refuse_oversized(request)
        except Problem:
            return None
        return await self.checked(request, settings)


# A posted form whose CSRF token is checked: the parameter of every form-posting page.
CheckedForm = Annotated[FormData, Depends(CsrfChecked())]


def text(form: FormData, name: str) -> str:
    """A text field's value, stripped; empty when absent or a file."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def optional(form: FormData, name: str) -> str | None:
    """A text field's value, or None when empty."""
    return text(form, name) or None


def checked(form: FormData, name: str) -> bool:
    """Whether a checkbox was ticked."""
    return form.get(name) is not None


def files(form: FormData, name: str) -> list[UploadFile]:
    """The files chosen in a file input; an input left empty sends none."""
    return [f for f in form.getlist(name) if isinstance(f, UploadFile) and f.filename]


def _error(detail: dict[str, Any]) -> FieldError:
    kind = str(detail.get("type", ""))
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        return FieldError("required")
    if kind == "string_too_short":
        minimum = int(ctx.get("min_length", 1))
        return FieldError("required") if minimum <= 1 else FieldError("too_short", {"min": minimum})
    if kind == "string_too_long":
        return FieldError("too_long", {"max": int(ctx.get("max_length", 0))})
    if kind == "too_short":
        return FieldError("choose_one")
    if kind == "value_error" and "email" in str(detail.get("msg", "")).lower():
        return FieldError("email")
    if kind == "value_error" and NOT_A_NUMBER in str(detail.get("msg", "")):
        return FieldError("phone")
    return FieldError("invalid")


def validation_errors(
    error: ValidationError, field_of: Callable[[Sequence[str | int]], str]
) -> Errors:
    """The first problem of each form field, from a payload model's validation error."""
    found: Errors = {}
    for detail in error.errors():
        name = field_of(tuple(detail.get("loc", ())))
        found.setdefault(name, _error(dict(detail)))
    return found


def upload_errors(uploads: list[UploadFile], *, max_files: int) -> list[FieldError]:
    """What is wrong with chosen files (count, type, size), checked before anything is filed."""
    if len(uploads) > max_files:
        return [FieldError("too_many_files", {"max": max_files})]
    problems = []
    for upload in uploads:
        name = clean_filename(upload.filename)
        try:
            check_upload(upload)
        except Problem as error:
            code = "file_size" if status_of(error) == 413 else "file_type"
            problems.append(FieldError(code, {"file": name, "mb": MAX_BYTES // 2**20}))
    return problems


def visibility(value: str) -> Visibility:
    """Who may see what a complainant posts: the committee only unless the form says both."""
    try:
        chosen = Visibility(value or Visibility.COMMITTEE)
    except ValueError:
        raise PageError(400) from None
    if chosen not in VISIBILITIES:
        raise PageError(400)
    return chosen


def problem_text(error: Problem | ValidationError, request: Request | None = None) -> str:
    """What was wrong: on an English page (or without one) as the API words it (field and
    message), on another in the page's language (``admin_problem``)."""
    language = negotiate(request) if request is not None else DEFAULT
    if language != DEFAULT:
        return admin_problem(error, translations(language).gettext)
    if isinstance(error, Problem):
        return error.message
    return "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in error.errors()
    )
