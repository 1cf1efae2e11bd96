"""The case's progress against its deadlines: a list of stages with their dates and a bar each."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

from api.pages.templating import environment
from api.pages.timeline import Progress, progress, rows
from domain.cases import CaseState
from domain.enums import Audience, DeadlineState
from tests.factories import FILED, case_state, deadline

NOW = FILED + timedelta(days=40)
TARGET = FILED + timedelta(days=365)
SVG = "{http://www.w3.org/2000/svg}"


def sample_state() -> CaseState:
    """Screening met on time, admissibility met late, the response overdue, a target."""
    register = deadline("register", FILED + timedelta(days=7), state=DeadlineState.MET)
    register.closed_at = FILED + timedelta(days=2)
    admissibility = deadline("admissibility", FILED + timedelta(days=10), state=DeadlineState.MET)
    admissibility.opened_at = register.closed_at
    admissibility.closed_at = FILED + timedelta(days=14)
    response = deadline("response", FILED + timedelta(days=30), escalated=True)
    response.opened_at = admissibility.closed_at
    state = case_state(deadlines=[register, admissibility, response])
    state.target_at = TARGET
    return state


class _Request:
    def __init__(self, zone: str | None = None) -> None:
        self.cookies = {"tz": zone} if zone else {}


def render(shown: Progress, lang: str = "en", zone: str | None = None, **extra: Any) -> str:
    """The list as the case pages include it."""
    template = environment.get_template("public/_progress.html")
    values = {"_": lambda text: text, "lang": lang, "request": _Request(zone), **extra}
    return template.render(progress=shown, **values)


def items(html: str) -> list[ET.Element]:
    """The list's items (the fragment must be well formed)."""
    root = ET.fromstring(f"<div>{html}</div>")
    found = root.find("ol")
    assert found is not None and found.get("class") == "progress"
    return found.findall("li")


def text(element: ET.Element) -> str:
    """An element's text without the bar."""
    return " ".join(
        " ".join(part.strip() for part in child.itertext() if part.strip())
        for child in element
        if child.tag != f"{SVG}svg" and child.tag != "svg"
    )


def test_each_stage_is_an_item_in_order_with_its_dates_and_how_it_went() -> None:
    html = render(progress(sample_state(), now=NOW))
    found = items(html)
    assert [li.get("class") for li in found] == [
        "progress-met",
        "progress-late",
        "progress-overdue",
    ]
    said = [text(li) for li in found]
    assert said[0] == "Screening met on time from Mar 2, 2026, due Mar 9, 2026, met on time"
    assert said[1].startswith("Admissibility met late from Mar 4, 2026, due Mar 12, 2026")
    # An open deadline's due moment carries its time and zone.
    assert said[2] == (
        "Company response overdue from Mar 16, 2026, due Apr 1, 2026 11:00 Netherlands Time "
        "(UTC+2), overdue"
    )
    assert "Target for the whole case: Mar 2, 2027." in html


def test_the_bars_sit_on_one_course_and_carry_no_text() -> None:
    shown = progress(sample_state(), now=NOW)
    end = TARGET + (TARGET - FILED) * 0.03  # the course runs a little past the target
    late = shown.rows[1].bars[0]
    due = (FILED + timedelta(days=10) - FILED) / (end - FILED) * 100
    assert abs(late.due - due) < 0.01 and late.late > 0
    overdue = shown.rows[2].bars[0]
    assert overdue.status == "overdue" and overdue.late > 0
    assert shown.rows[0].bars[0].late == 0
    for li in items(render(shown)):
        bar = li.find(f"{SVG}svg") or li.find("svg")
        assert bar is not None and bar.get("aria-hidden") == "true"
        assert "".join(bar.itertext()).strip() == ""


def test_bengali_dates_and_order_numbers_use_bengali_digits_in_the_readers_zone() -> None:
    order = deadline("order-12", FILED + timedelta(days=60))
    state = case_state(deadlines=[order])
    html = render(progress(state, now=NOW), lang="bn", zone="Asia/Dhaka")
    said = text(items(html)[0])
    assert said.startswith("Order ১২ open from ২ মার্চ, ২০২৬, due ১ মে, ২০২৬ ")
    assert "বাংলাদেশ সময় (UTC+৬)" in said
    assert not re.search(r"[0-9]", re.sub(r"UTC", "", said))


def test_labels_go_through_gettext_and_text_is_escaped() -> None:
    state = sample_state()
    state.respondents[0].name = "<b>Noorderlicht</b>"
    second = deadline("response", FILED + timedelta(days=30), owner=Audience.RESPONDENTS)
    second.party, second.id = state.respondents[0].organisation_id, "response-2"
    state.deadlines.append(second)
    state.respondents.append(state.respondents[0].model_copy(update={"organisation_id": "other"}))
    html = render(progress(state, now=NOW, gettext=lambda text: f"[{text}]"))
    assert "[Screening]" in html
    assert "<b>" not in html and "&lt;b&gt;Noorderlicht&lt;/b&gt;" in html


def test_orders_have_their_own_rows_and_repeats_share_one() -> None:
    first = deadline("progress_report", FILED + timedelta(days=90), state=DeadlineState.MET)
    first.closed_at = FILED + timedelta(days=80)
    second = deadline("progress_report", FILED + timedelta(days=180))
    second.id, second.opened_at = "progress_report-2", first.closed_at
    order = deadline("order-1", FILED + timedelta(days=60))
    state = case_state(deadlines=[first, second, order])
    found = rows(state, NOW, lambda text: text)
    assert [(r.label, len(r.segments), r.numbered) for r in found] == [
        ("Order 1", 1, True),
        ("Progress reports", 2, False),
    ]
    shared = items(render(progress(state, now=NOW)))[1]
    assert len(shared.findall("ul/li")) == 2


def test_a_case_without_deadlines_says_so() -> None:
    html = render(progress(case_state(), now=NOW))
    assert [text(li) or "".join(li.itertext()) for li in items(html)] == ["No deadlines yet."]


def test_each_company_answers_in_its_own_row() -> None:
    first = deadline("response", FILED + timedelta(days=30), owner=Audience.RESPONDENTS)
    second = deadline("response", FILED + timedelta(days=30), owner=Audience.RESPONDENTS)
    first.party, second.party, second.id = "noorderlicht-fashion", "delta-denim", "response-2"
    state = case_state(
        respondents=("noorderlicht-fashion", "delta-denim"), deadlines=[first, second]
    )
    labels = [r.label for r in rows(state, NOW, lambda text: text)]
    assert labels == ["Company response: Noorderlicht Fashion", "Company response: Delta Denim"]
    alone = case_state(deadlines=[first])
    assert [r.label for r in rows(alone, NOW, lambda text: text)] == ["Company response"]
