"""The request forms' options write their dates for the reader: in the page's language and
digits, in the reader's zone (a Bengali page keeps Bengali digits in its selects too)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from api.pages.i18n import Reader
from api.pages.request_choices import deadline_option
from domain.deadlines import Deadline
from domain.enums import Audience

DUE = datetime(2027, 1, 14, 22, 59, tzinfo=UTC)  # 23:59 in Amsterdam, 04:59 the next day in Dhaka


def information() -> Deadline:
    return Deadline(
        id="information-1",
        name="information",
        label="Answer the committee's question",
        owner=Audience.COMPLAINANT,
        opened_at=datetime(2027, 1, 1, tzinfo=UTC),
        due=DUE,
        remind_at=DUE,
        second_escalation_at=DUE,
    )


def test_a_deadline_option_is_dated_in_the_readers_language_digits_and_zone() -> None:
    english = deadline_option(information(), str, Reader("en", ZoneInfo("Europe/Amsterdam")))
    assert english[0] == "information-1" and "14" in english[1] and "2027" in english[1]
    bengali = deadline_option(information(), str, Reader("bn", ZoneInfo("Asia/Dhaka")))
    assert "১৫" in bengali[1] and "২০২৭" in bengali[1]  # the 15th, in Dhaka
    assert not any(c in "0123456789" for c in bengali[1])
