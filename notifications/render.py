"""Pure rendering of notification e-mails from per-kind, per-language Jinja2 templates."""

from __future__ import annotations

import functools
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from pydantic import BaseModel

from domain.enums import Audience, NoticeKind, Stage
from domain.words import STAGE_PHRASES
from notifications.dates import DATE_IN_WORDS as DATE_IN_WORDS
from notifications.dates import FALLBACK_LANGUAGE as FALLBACK_LANGUAGE
from notifications.dates import LANGUAGES as LANGUAGES
from notifications.dates import format_date as format_date
from notifications.dates import format_due as format_due
from notifications.dates import normalise
from notifications.event_words import Happened, event_line
from notifications.leads import translate_text
from notifications.phrases import deadline_phrase

TEMPLATE_DIR = Path(__file__).parent / "templates"
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")

# The stage as the e-mails name it, by language: the domain's words (``domain.words``).
STAGE_NAMES: dict[str, dict[Stage, str]] = STAGE_PHRASES


class NoticeContext(BaseModel):
    """Everything a notice template may show; personal data is masked by the caller."""

    reference: str
    covenant_name: str
    subject: str
    stage: Stage
    audience: Audience
    recipient_name: str
    complainant_display: str
    deadline_label: str | None = None
    due: datetime | None = None
    text: str | None = None
    # What happened on the case, for the status e-mail: one line each, in the reader's words.
    happened: list[Happened] = []
    status_url: str
    access_code: str | None = None
    timezone: str = "Europe/Amsterdam"
    case_kind: str = "complaint"  # the receipt words a signal as a report, not a complaint
    # The notice's Reply-To reaches the case (replies by e-mail): the footer says so.
    replies: bool = False


class AccountMailContext(BaseModel):
    """What an invitation or password-reset e-mail may show (templates of ``ACCOUNT_MAILS``)."""

    recipient_name: str
    username: str
    role_name: str
    organisation_name: str | None = None
    inviter: str = ""
    link: str
    expires_text: str
    mfa: bool = False


ACCOUNT_MAILS = ("invitation", "password_reset", "_account_footer")


class RenderedMessage(BaseModel):
    """A rendered notice: subject line, plain text and HTML bodies, and their language."""

    subject: str
    text: str
    html: str
    language: str


_env = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@functools.cache
def available_languages(kind: NoticeKind) -> frozenset[str]:
    """Languages for which both the text and the HTML template of ``kind`` exist.

    Read once per kind: the templates ship with the package and do not change at run time.
    """
    found: set[str] = set()
    for path in TEMPLATE_DIR.glob(f"{kind.value}.*.txt"):
        lang = path.name.removeprefix(f"{kind.value}.").removesuffix(".txt")
        if (TEMPLATE_DIR / f"{kind.value}.{lang}.html").is_file():
            found.add(lang)
    return frozenset(found)


def resolve_language(kind: NoticeKind, language: str) -> str:
    """The template language used for ``language``: itself if available, else English."""
    lang = normalise(language)
    return lang if lang in available_languages(kind) else FALLBACK_LANGUAGE


def stage_name(stage: Stage, language: str) -> str:
    """The stage in plain words in ``language`` (English when unknown)."""
    names = STAGE_NAMES.get(normalise(language), STAGE_NAMES[FALLBACK_LANGUAGE])
    return names[stage]


def _render_block(template: Template, block: str, variables: dict[str, Any]) -> str:
    """Render one named block of a template on its own."""
    return "".join(template.blocks[block](template.new_context(variables)))


def render_template(name: str, language: str, variables: dict[str, Any]) -> RenderedMessage:
    """Render the mail ``name.<language>.txt`` and ``.html`` (a ``subject`` block in the text)."""
    variables = {**variables, "language": language}
    text_template = _env.get_template(f"{name}.{language}.txt")
    # Collapse whitespace: a subject is one header line, never several.
    subject = " ".join(_render_block(text_template, "subject", variables).split())
    # Optional sections leave runs of blank lines behind; one blank line is enough.
    text = _BLANK_RUNS.sub("\n\n", text_template.render(variables)).strip() + "\n"
    html = _env.get_template(f"{name}.{language}.html").render(variables, mail_subject=subject)
    return RenderedMessage(subject=subject, text=text, html=html, language=language)


def render(kind: NoticeKind, language: str, context: NoticeContext) -> RenderedMessage:
    """Render the notice ``kind`` for one recipient, falling back to English templates."""
    lang = resolve_language(kind, language)
    variables: dict[str, Any] = context.model_dump()
    variables.update(
        stage_name=stage_name(context.stage, lang),
        deadline_label=deadline_phrase(context.deadline_label, lang)
        if context.deadline_label
        else None,
        text=translate_text(context.text, lang, context.timezone) if context.text else None,
        due_text=format_due(context.due, lang, context.timezone) if context.due else None,
        happened=[event_line(e, lang, context.timezone) for e in context.happened],
    )
    return render_template(kind.value, lang, variables)
