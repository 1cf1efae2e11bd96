"""Business days on the seat calendar, and deadline planning."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.calendar import (
    add_business_days,
    add_duration,
    business_days_between,
    is_business_day,
    subtract_duration,
)
from domain.deadlines import DeadlineRequest
from domain.enums import Audience, DurationUnit
from domain.procedure import Duration, bd
from domain.schedule import ExtendRequest, ScheduleInput, plan
from store.covenants import load_covenant_files

NL = "NL"
AMS = "Europe/Amsterdam"


def test_dutch_public_holidays_are_not_business_days():
    assert not is_business_day(date(2027, 4, 27), NL)  # King's Day
    assert not is_business_day(date(2026, 12, 25), NL)
    assert not is_business_day(date(2026, 12, 26), NL)  # a Saturday anyway
    assert is_business_day(date(2026, 12, 24), NL)


def test_add_business_days_skips_weekends_and_christmas():
    # Tue 22 Dec 2026 + 5 BD: 23, 24, (25 holiday, 26-27 weekend, 28 Mon) 28, 29, 30
    assert add_business_days(date(2026, 12, 22), 5, NL) == date(2026, 12, 30)
    assert add_business_days(date(2026, 12, 30), -5, NL) == date(2026, 12, 22)
    assert business_days_between(date(2026, 12, 22), date(2026, 12, 30), NL) == 5


def test_day_periods_end_at_the_end_of_the_seat_day():
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    due = add_duration(start, Duration(amount=30, unit=DurationUnit.CALENDAR_DAYS), NL, AMS)
    assert due.date() == date(2026, 4, 1) and (due.hour, due.minute) == (23, 59)
    months = add_duration(start, Duration(amount=3, unit=DurationUnit.MONTHS), NL, AMS)
    assert months.date() == date(2026, 6, 2)
    # 30 days from Fri 24 Apr 2026 end on Sun 24 May, so run to Tue 26 May (Whit Monday).
    friday = datetime(2026, 4, 24, 9, 0, tzinfo=UTC)
    rolled = add_duration(friday, Duration(amount=30, unit=DurationUnit.CALENDAR_DAYS), NL, AMS)
    assert rolled.date() == date(2026, 5, 26)
    hours = add_duration(start, Duration(amount=48, unit=DurationUnit.HOURS), NL, AMS)
    assert hours - start == timedelta(hours=48)


def test_month_periods_clamp_to_the_month_end_and_zero_days_stay_put():
    # 31 Jan 2027 + 1 month is 28 Feb 2027, a Sunday: runs to Monday 1 March.
    start = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)
    due = add_duration(start, Duration(amount=1, unit=DurationUnit.MONTHS), NL, AMS)
    assert due.date() == date(2027, 3, 1)
    # A reminder one month before 31 March is 28 February, whatever day that is.
    end = datetime(2027, 3, 31, 12, 0, tzinfo=UTC)
    lead = subtract_duration(end, Duration(amount=1, unit=DurationUnit.MONTHS), NL, AMS)
    assert lead.date() == date(2027, 2, 28)
    # Shifting by zero business days leaves even a Saturday where it is.
    assert add_business_days(date(2026, 12, 26), 0, NL) == date(2026, 12, 26)
    assert business_days_between(date(2026, 12, 30), date(2026, 12, 22), NL) == 0


@pytest.fixture
def procedure():  # type: ignore[no-untyped-def]
    return next(c for c in load_covenant_files() if c.slug == "garments-textile").procedure


def test_schedule_opens_with_reminder_and_grace(procedure):  # type: ignore[no-untyped-def]
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    req = DeadlineRequest(
        name="register", label="Register", owner=Audience.SECRETARIAT, start=now, period="register"
    )
    (d,) = plan(ScheduleInput(procedure=procedure, now=now, opens=[req])).deadlines
    assert d.due.date() == date(2026, 3, 9)
    # Reminder lead (5 BD) equals the period: reminded half-way instead of at opening.
    assert now < d.remind_at < d.due
    assert business_days_between(d.due.date(), d.second_escalation_at.date(), NL) == 10


def test_extension_resets_escalation(procedure):  # type: ignore[no-untyped-def]
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    req = DeadlineRequest(
        name="response", label="Respond", owner=Audience.RESPONDENTS, start=now, period="response"
    )
    (d,) = plan(ScheduleInput(procedure=procedure, now=now, opens=[req])).deadlines
    d.escalated = True
    until = d.due + timedelta(days=20)
    ext = ExtendRequest(deadline_id=d.id, until=until, reason="Strike at the port", by="chair")
    (e,) = plan(ScheduleInput(procedure=procedure, now=now, deadlines=[d], extend=ext)).deadlines
    assert e.due == until and not e.escalated and e.extensions[0].reason == "Strike at the port"


def test_covenant_files_are_valid_and_versioned():
    covenants = {c.slug: c for c in load_covenant_files()}
    assert set(covenants) >= {"garments-textile", "natural-stone"}
    assert covenants["natural-stone"].procedure.deciding_body == "steering_group"
    assert covenants["garments-textile"].procedure.reminder_lead == bd(5)
