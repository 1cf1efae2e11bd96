"""Posted action forms become the API's action payloads, with errors per field."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from api.pages.action_forms import FORM_ERROR, FormErrors, form_fields, parse_action
from api.pages.labels import ACTIONS, STAGES, deadline_label
from domain import actions as a
from domain.actions import ActionName
from domain.enums import Finding, Side, Stage
from tests.domain.samples import SAMPLE_ACTIONS

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SOON = date.today() + timedelta(days=60)


def same(text: str) -> str:
    """A gettext that translates nothing."""
    return text


def as_form(payload: dict[str, Any]) -> dict[str, str]:
    """A JSON payload as the portal's form would post it."""
    form: dict[str, str] = {}
    for key, value in payload.items():
        if key == "orders":
            for number, order in enumerate(value, start=1):
                form[f"order-{number}-text"] = order["text"]
                form[f"order-{number}-due"] = order["due"]
        elif key == "until":
            form[key] = str(value)[:10]  # a date field: the day, ending at its last second
        else:
            form[key] = str(value)
    return form


@pytest.mark.parametrize("name", [n for n in ActionName if n is not ActionName.ADD_DOCUMENT])
def test_every_action_has_a_title_and_a_form_that_parses(name: ActionName) -> None:
    assert name in ACTIONS  # a title; its declared form (tests/domain/test_action_registry.py)
    names = {field.name for field in form_fields(name)}
    payload = SAMPLE_ACTIONS[name]
    assert set(payload) - {"action"} <= names
    parsed = parse_action(name, as_form(payload), same)
    assert parsed.action == name.value


def test_a_decision_with_order_rows() -> None:
    form = {
        "finding": "partly_founded",
        "reasons": "Partly proven.",
        "order-1-text": "Reinstate the organisers",
        "order-1-due": SOON.isoformat(),
        "order-3-text": "Pay the lost wages",
        "order-3-due": (SOON + timedelta(days=30)).isoformat(),
    }
    decision = parse_action(ActionName.ISSUE_DECISION, form, same)
    assert isinstance(decision, a.IssueDecision)
    assert decision.finding is Finding.PARTLY_FOUNDED
    assert [(o.text, o.due) for o in decision.orders] == [
        ("Reinstate the organisers", SOON),
        ("Pay the lost wages", SOON + timedelta(days=30)),
    ]


def test_an_order_row_needs_both_its_text_and_its_day() -> None:
    form = {"finding": "founded", "reasons": "Proven.", "order-2-text": "Reinstate"}
    with pytest.raises(FormErrors) as caught:
        parse_action(ActionName.ISSUE_DECISION, form, same)
    assert caught.value.errors == {"order-2": "Give both the order and the day it is due."}


def test_required_and_too_short_fields_are_named() -> None:
    with pytest.raises(FormErrors) as caught:
        parse_action(ActionName.DECLARE_INADMISSIBLE, {"reasons": "  "}, same)
    assert caught.value.errors == {"reasons": "This field is required."}
    with pytest.raises(FormErrors) as caught:
        parse_action(ActionName.DECLARE_INADMISSIBLE, {"reasons": "no"}, same)
    assert caught.value.errors == {"reasons": "Too short: write at least 3 characters."}


def test_times_and_days_are_read_at_the_seat() -> None:
    hearing = parse_action(ActionName.SCHEDULE_HEARING, {"at": "2030-05-06T10:30"}, same)
    assert isinstance(hearing, a.ScheduleHearing)
    assert hearing.at == datetime(2030, 5, 6, 10, 30, tzinfo=AMSTERDAM)
    form = {"deadline": "response-3", "until": "2030-05-06", "reason": "More time."}
    extension = parse_action(ActionName.EXTEND_DEADLINE, form, same)
    assert isinstance(extension, a.ExtendDeadline)
    assert extension.until == datetime(2030, 5, 6, 23, 59, 59, tzinfo=AMSTERDAM)
    with pytest.raises(FormErrors) as caught:
        parse_action(ActionName.SCHEDULE_HEARING, {"at": "next tuesday"}, same)
    assert caught.value.errors == {"at": "Enter a date and a time."}


def test_choices_and_the_whole_form_rules() -> None:
    ask = parse_action(
        ActionName.REQUEST_INFORMATION, {"from": "respondent", "question": "Payroll?"}, same
    )
    assert isinstance(ask, a.RequestInformation) and ask.from_ is Side.RESPONDENT
    with pytest.raises(FormErrors) as caught:
        parse_action(ActionName.CLOSE, {"outcome": "settled", "summary": "Done."}, same)
    assert caught.value.errors == {"outcome": "Choose one of the options."}
    with pytest.raises(FormErrors) as caught:
        parse_action(ActionName.ASSIGN, {"officer": "", "mediator": ""}, same)
    assert caught.value.errors == {FORM_ERROR: "name an officer, a mediator or both"}
    unfounded = {
        "finding": "unfounded",
        "reasons": "Not proven.",
        "order-1-text": "Something",
        "order-1-due": SOON.isoformat(),
    }
    with pytest.raises(FormErrors) as caught:
        parse_action(ActionName.ISSUE_DECISION, unfounded, same)
    assert FORM_ERROR in caught.value.errors


def test_documents_are_not_an_action_form() -> None:
    with pytest.raises(FormErrors) as caught:
        parse_action(ActionName.ADD_DOCUMENT, {}, same)
    assert FORM_ERROR in caught.value.errors


def test_messages_are_translated() -> None:
    with pytest.raises(FormErrors) as caught:
        parse_action(ActionName.WITHDRAW, {}, lambda text: f"<{text}>")
    assert caught.value.errors == {"reason": "<This field is required.>"}


def test_every_stage_has_a_name() -> None:
    assert set(Stage) <= set(STAGES)


def test_deadline_labels_keep_company_names_and_order_texts() -> None:
    dutch = {
        "Response of %(company)s": "Reactie van %(company)s",
        "Order %(number)s: %(text)s": "Opdracht %(number)s: %(text)s",
        "Pass the signal on to the companies": "Het signaal doorgeven",
        "Register the complaint": "Registreer de klacht",
    }

    def gettext(text: str) -> str:
        return dutch.get(text, text)

    assert deadline_label("response", "Response of Delta Denim N.V.", gettext) == (
        "Reactie van Delta Denim N.V."
    )
    assert deadline_label("order-2", "Order 2: Pay the wages", gettext) == (
        "Opdracht 2: Pay the wages"
    )
    assert deadline_label("register", "Pass the signal on to the companies", gettext) == (
        "Het signaal doorgeven"
    )
    assert deadline_label("register", "Register the complaint", gettext) == "Registreer de klacht"
