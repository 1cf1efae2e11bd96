"""Business-day arithmetic on the mechanism's seat calendar (pure; the holidays package)."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

from domain.enums import DurationUnit
from domain.procedure import Duration

END_OF_DAY = time(23, 59, 59)

# A country's calendar fills in each year the first time a date in it is asked about;
# the lock keeps a second thread from reading a year that is still being filled in.
_LOCK = threading.Lock()


@lru_cache(maxsize=64)
def _calendar(country: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country)


def is_business_day(day: date, country: str) -> bool:
    """Not a weekend day nor a public holiday in the seat country."""
    with _LOCK:
        return _calendar(country).is_working_day(day)


def add_business_days(day: date, n: int, country: str) -> date:
    """The date ``n`` business days after (or, for negative n, before) ``day``."""
    if n == 0:
        return day
    with _LOCK:
        return _calendar(country).get_nth_working_day(day, n)


def business_days_between(start: date, end: date, country: str) -> int:
    """Business days in the half-open interval (start, end]; 0 when end <= start."""
    if end <= start:
        return 0
    with _LOCK:
        return _calendar(country).get_working_days_count(start + timedelta(days=1), end)


def _next_business_day(day: date, country: str) -> date:
    """A period ending on a weekend or holiday runs to the next business day."""
    with _LOCK:
        return _calendar(country).get_nth_working_day(day, 0)


def _end_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=zone)


def add_duration(start: datetime, duration: Duration, country: str, tz: str) -> datetime:
    """When a period of ``duration`` starting at ``start`` ends.

    Day-based periods end at the end of the last day in the seat's time zone, so a
    deadline is "by 14 March" rather than a time of day, and one that would end on a
    weekend or public holiday runs to the next business day; hours are exact.
    """
    zone = ZoneInfo(tz)
    local = start.astimezone(zone)
    match duration.unit:
        case DurationUnit.HOURS:
            return start + timedelta(hours=duration.amount)
        case DurationUnit.CALENDAR_DAYS:
            return _end_of(
                _next_business_day(local.date() + timedelta(days=duration.amount), country), zone
            )
        case DurationUnit.BUSINESS_DAYS:
            return _end_of(add_business_days(local.date(), duration.amount, country), zone)
        case DurationUnit.MONTHS:
            month_end = local.date() + relativedelta(months=duration.amount)
            return _end_of(_next_business_day(month_end, country), zone)


def subtract_duration(end: datetime, duration: Duration, country: str, tz: str) -> datetime:
    """The moment ``duration`` before ``end`` (used for reminders), keeping the time of day."""
    zone = ZoneInfo(tz)
    local = end.astimezone(zone)
    match duration.unit:
        case DurationUnit.HOURS:
            return end - timedelta(hours=duration.amount)
        case DurationUnit.CALENDAR_DAYS:
            return end - timedelta(days=duration.amount)
        case DurationUnit.BUSINESS_DAYS:
            day = add_business_days(local.date(), -duration.amount, country)
            return datetime.combine(day, local.timetz())
        case DurationUnit.MONTHS:
            day = local.date() - relativedelta(months=duration.amount)
            return datetime.combine(day, local.timetz())


def shift_by_business_days(moment: datetime, n: int, country: str, tz: str) -> datetime:
    """``moment`` moved ``n`` business days later, keeping its local time of day."""
    local = moment.astimezone(ZoneInfo(tz))
    return datetime.combine(add_business_days(local.date(), n, country), local.timetz())


def suspended_business_days(start: datetime, end: datetime, country: str, tz: str) -> int:
    """Business days the clock stood still between suspension and resumption."""
    zone = ZoneInfo(tz)
    return business_days_between(
        start.astimezone(zone).date(), end.astimezone(zone).date(), country
    )
