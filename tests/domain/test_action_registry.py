"""Every action declared in the registry has all it needs: a form field for each payload
field, words translated wherever they are shown, a who-may rule, a sample, a path through
the real transitions, and only the notices and events its spec declares. The README's
table of actions is the registry's."""

from __future__ import annotations

import ast
import os
import re
from functools import cache
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

import domain
from domain import words
from domain.actions import CONTENT_ACTIONS, MODELS, REGISTRY, ActionName, Spec, action_adapter
from domain.cases import Event
from domain.effects import Transition
from domain.enums import CaseKind, DecidingBody, Role, Side, Stage, Visibility
from tests.domain.samples import SAMPLE_ACTIONS
from tests.domain.test_action_fields import PATHS, path_to, take_marked
from tests.factories import case_state
from tests.pages.test_portal_catalog import catalog

ROOT = Path(domain.__file__).resolve().parents[1]
LOCALE = ROOT / "api" / "locale"
TEMPLATES = ROOT / "api" / "templates"
README = ROOT / "README.md"
NAMES = list(ActionName)
# Recorded for the committee alone: no complainant reads them on the public pages.
COMMITTEE_ONLY = frozenset(
    {"information_requested", "recusal", "assigned", "reminder", "status_sent"}
)


def _languages(variable: str) -> list[str]:
    """The catalogs' languages as `make messages` keeps them (Makefile)."""
    found = re.search(rf"^{variable} := (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert found, variable
    return found.group(1).split()


def _spec(name: ActionName) -> Spec:
    return REGISTRY[name].spec


def _payload_fields(name: ActionName) -> set[str]:
    model = REGISTRY[name]
    return {info.alias or f for f, info in model.model_fields.items() if f != "action"}


def _translated(value: object) -> bool:
    return bool(value) and (not isinstance(value, tuple) or all(value))


def test_the_union_the_names_and_the_registry_agree() -> None:
    names = [model.spec.name for model in MODELS]
    assert len(names) == len(set(names))
    assert names == [str(n) for n in ActionName] == [str(n) for n in REGISTRY]
    for name, model in REGISTRY.items():
        assert action_adapter.validate_python(SAMPLE_ACTIONS[name]).__class__ is model


@pytest.mark.parametrize("name", NAMES, ids=str)
def test_every_payload_field_is_on_the_form_or_filled_otherwise(name: ActionName) -> None:
    spec = _spec(name)
    on_form = [f.name for f in spec.form]
    assert len(on_form) == len(set(on_form)), "a field twice on the form"
    assert not set(on_form) & spec.not_on_form
    assert set(on_form) | spec.not_on_form == _payload_fields(name)
    for field in spec.form:
        assert field.label and field.kind in {
            "textarea",
            "text",
            "select",
            "date",
            "datetime",
            "orders",
        }
        assert (field.kind == "select") == (field.choices is not None), field.name
    if spec.tracking is not None:
        assert set(spec.tracking) <= set(on_form)


@pytest.mark.parametrize("name", NAMES, ids=str)
def test_every_action_has_a_who_may_rule_and_its_stages(name: ActionName) -> None:
    spec = _spec(name)
    assert spec.who and all(isinstance(w, Role | Side) for w in spec.who)
    assert Stage.RECEIVED not in spec.stages
    # Only an action for closed cases names the closed stage, and then no other (reopen);
    # but the register's content actions, taken alike on open and closed cases.
    assert (
        Stage.CLOSED not in spec.stages or spec.stages == {Stage.CLOSED} or name in CONTENT_ACTIONS
    )
    assert spec.label, "a label for the page"


def test_every_action_has_a_sample_and_a_path_through_the_transitions() -> None:
    # test_action_fields takes each action at the end of its path, through the real rules,
    # transitions and deadline planner; the workflow tests refuse each sample where it is not
    # allowed (tests/workflows/test_tracks.py, test_signals.py).
    assert set(SAMPLE_ACTIONS) == set(ActionName)
    assert set(PATHS) == set(ActionName)


@cache
def _taken() -> dict[ActionName, list[Transition]]:
    """Every transition each action made: on the paths to the others, and at its own end."""
    taken: dict[ActionName, list[Transition]] = {name: [] for name in ActionName}
    for name in ActionName:
        _, steps = path_to(name)
        for step, t in steps:
            taken[step].append(t)
        taken[name].append(take_marked(name)[1])
    return taken


@pytest.mark.parametrize("name", NAMES, ids=str)
def test_an_action_records_and_sends_only_what_its_spec_declares(name: ActionName) -> None:
    spec = _spec(name)
    events = {e.type for t in _taken()[name] for e in t.events}
    notices = {n.kind for t in _taken()[name] for n in t.notices}
    assert events <= spec.events, f"undeclared events: {events - spec.events}"
    assert notices <= spec.notices, f"undeclared notices: {notices - spec.notices}"
    # And declares nothing it never does (on the tests' paths, which take each branch).
    assert events == spec.events and notices == spec.notices


def _recorded_in_domain() -> set[str]:
    """Event types of every ``….event("type", …)`` call in domain/."""
    found: set[str] = set()
    for path in Path(domain.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "event"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_every_event_type_has_a_word() -> None:
    recorded = _recorded_in_domain()
    assert {"filed", "split", "information_requested"} <= recorded  # the scan finds them
    declared = {event for model in MODELS for event in model.spec.events}
    assert recorded | declared <= set(words.EVENTS)
    assert set(words.EVENTS) <= recorded, "a word for an event nothing records"


@pytest.mark.parametrize("language", _languages("PORTAL_LANGUAGES"))
def test_the_portal_words_of_every_action_are_translated(language: str) -> None:
    """Its title, its form's labels and hints, and the words of the events it records."""
    translated = catalog(LOCALE / language / "LC_MESSAGES" / "portal.po")
    missing: dict[str, list[str]] = {}
    for name in ActionName:
        spec = _spec(name)
        wanted = [spec.label, *(words.EVENTS[e] for e in sorted(spec.events))]
        wanted += [text for f in spec.form for text in (f.label, f.hint) if text]
        gaps = [text for text in wanted if not _translated(translated.get(text))]
        if gaps:
            missing[str(name)] = gaps
    assert missing == {}


@cache
def _public_word(event_type: str) -> tuple[str, list[str]]:
    """What the public pages show for an event of this type, and the message ids used."""
    used: list[str] = []

    def gettext(text: str) -> str:
        used.append(text)
        return text

    def ngettext(one: str, many: str, n: int) -> str:
        used.append(one)
        return one if n == 1 else many

    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined)
    module = env.get_template("public/words.html").make_module(
        {"_": gettext, "ngettext": ngettext, "lang": "en"}
    )
    shown = str(module.event(Event(seq=1, at=case_state().filed_at, type=event_type, summary="?")))
    return shown, used


def test_committee_only_events_are_recorded_for_the_committee_only() -> None:
    for transitions in _taken().values():
        for event in (e for t in transitions for e in t.events):
            if event.type in COMMITTEE_ONLY:
                assert event.visibility is Visibility.COMMITTEE, event


@pytest.mark.parametrize("language", _languages("PUBLIC_LANGUAGES"))
def test_every_event_a_complainant_sees_has_a_translated_public_word(language: str) -> None:
    translated = catalog(LOCALE / language / "LC_MESSAGES" / "public.po")
    for event_type in sorted(set(words.EVENTS) - COMMITTEE_ONLY):
        shown, used = _public_word(event_type)
        assert shown != "?", f"the public pages have no word for {event_type!r}"
        for msgid in used:
            assert _translated(translated.get(msgid)), (event_type, msgid)


# The README's table of actions: rendered from the registry.
BEGIN = "<!-- actions: generated from domain/actions by tests/domain/test_action_registry.py -->"
END = "<!-- /actions -->"
ORDER = [*Side, *Role]


def _who(spec: Spec) -> str:
    who = frozenset(spec.who)
    also: set[Role | Side] = set()
    if spec.who_also is not None:
        for kind in CaseKind:
            for body in DecidingBody:
                state = case_state().model_copy(update={"kind": kind, "deciding_body": body})
                also |= spec.who_also(state) - who
    text = ", ".join(str(w).replace("_", " ") for w in ORDER if w in who)
    if also:
        text += "; on some cases also " + ", ".join(
            str(w).replace("_", " ") for w in ORDER if w in also
        )
    return text


def _fields(name: ActionName) -> str:
    model = REGISTRY[name]
    shown = [
        f"`{info.alias or f}`" + ("" if info.is_required() else "?")
        for f, info in model.model_fields.items()
        if f != "action"
    ]
    return ", ".join(shown) or "—"


def actions_table() -> str:
    """The README's table of actions, as the registry declares them."""
    rows = [
        "| action | what | fields (`?` optional) | who | stages | while suspended |",
        "|---|---|---|---|---|---|",
    ]
    for name, model in REGISTRY.items():
        spec = model.spec
        stages = ", ".join(str(s) for s in Stage if s in spec.stages) or "any open"
        suspended = "yes" if spec.while_suspended else "—"
        rows.append(
            f"| `{name}` | {spec.label} | {_fields(name)} | {_who(spec)} | {stages} | {suspended} |"
        )
    return "\n".join([BEGIN, *rows, END])


def test_the_readme_lists_every_action_as_the_registry_declares_it() -> None:
    text = README.read_text()
    table = actions_table()
    if os.environ.get("REDRESS_WRITE_README") and BEGIN in text:
        start, end = text.index(BEGIN), text.index(END) + len(END)
        README.write_text(text[:start] + table + text[end:])
        text = README.read_text()
    assert table in text, (
        "README.md's table of actions differs from the registry; run "
        "REDRESS_WRITE_README=1 .venv/bin/pytest tests/domain/test_action_registry.py"
    )
