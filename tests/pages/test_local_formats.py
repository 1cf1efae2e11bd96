"""Numbers, dates and times in the reader's language and zone: one numbering system a page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from api.pages import i18n
from api.pages.i18n import translations
from api.pages.templating import environment
from api.pages.time_zone import back_to

WINTER = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 4, 2, 0, tzinfo=UTC)
DHAKA = ZoneInfo("Asia/Dhaka")
SEAT = ZoneInfo(i18n.SEAT_ZONE)
LATIN = re.compile(r"[0-9]")
BENGALI = re.compile("[\u09e6-\u09ef]")


def test_bengali_writes_numbers_dates_and_times_in_bengali_digits() -> None:
    assert i18n.number(48, "bn") == "৪৮"
    assert i18n.number(1234.5, "bn") == "১,২৩৪.৫"
    assert i18n.local_date(WINTER, "bn", DHAKA) == "৪ মার্চ, ২০২৬"
    shown = i18n.local_moment(WINTER, "bn", DHAKA)
    assert shown == "৪ মার্চ, ২০২৬ ০৮:০০ বাংলাদেশ সময় (UTC+৬)"
    assert not LATIN.search(shown)
    assert i18n.digits("5টি", "bn") == "৫টি"


def test_other_languages_keep_latin_digits_in_their_own_formats() -> None:
    assert i18n.number(1234.5, "nl") == "1.234,5"
    assert i18n.number(1234.5, "en") == "1,234.5"
    assert i18n.local_date(WINTER, "zh", SEAT) == "2026年3月4日"
    assert i18n.local_date(date(2026, 3, 4), "tr", SEAT) == "4 Mar 2026"
    for language in ("en", "nl", "tr", "zh"):
        assert not BENGALI.search(i18n.local_moment(WINTER, language, DHAKA))


def test_a_time_names_its_zone_and_the_offset_of_that_day() -> None:
    assert i18n.local_moment(WINTER, "nl", SEAT) == "4 mrt 2026 03:00 tijd in Nederland (UTC+1)"
    assert i18n.local_moment(SUMMER, "en", SEAT).endswith("04:00 Netherlands Time (UTC+2)")
    kolkata = i18n.local_moment(WINTER, "en", ZoneInfo("Asia/Kolkata"))
    assert kolkata.endswith("07:30 India Time (UTC+5:30)")
    assert i18n.local_moment(WINTER, "en", ZoneInfo("UTC")).endswith("02:00 UTC")
    # The day is the zone's: 22:00 UTC is already the next day in Dhaka.
    late = datetime(2026, 3, 4, 22, 0, tzinfo=UTC)
    assert i18n.local_date(late, "en", DHAKA) == "Mar 5, 2026"
    assert i18n.local_date(late, "en", SEAT) == "Mar 4, 2026"


def test_an_unknown_or_missing_zone_is_the_seats() -> None:
    assert i18n.zone_of(None) == SEAT
    assert i18n.zone_of("Mars/Olympus_Mons") == SEAT
    assert i18n.zone_of("Asia/Dhaka") == DHAKA
    assert all(i18n.zone_of(name).key == name for name in i18n.ZONES)


class _Request:
    def __init__(self, zone: str | None) -> None:
        self.cookies = {i18n.ZONE_COOKIE: zone} if zone else {}


def test_the_template_filters_read_the_pages_language_and_the_readers_zone() -> None:
    template = environment.from_string(
        "{{ at|when }} | {{ at|when(True) }} | {{ 48|number }} | {{ '5 days'|digits }}"
    )
    shown = template.render(at=WINTER, lang="bn", request=_Request("Asia/Dhaka"))
    assert shown == "৪ মার্চ, ২০২৬ | ৪ মার্চ, ২০২৬ ০৮:০০ বাংলাদেশ সময় (UTC+৬) | ৪৮ | ৫ days"
    seat = template.render(at=WINTER, lang="en", request=_Request(None))
    assert seat == "Mar 4, 2026 | Mar 4, 2026 03:00 Netherlands Time (UTC+1) | 48 | 5 days"
    assert environment.from_string("{{ none|when(True) }}").render(none=None, lang="en") == "—"


def test_the_zones_offered_are_named_in_the_page_language_and_the_chosen_one_marked() -> None:
    template = environment.from_string(
        "{% for value, name, chosen in request|zone_options %}"
        "{{ value }}={{ name }}{% if chosen %}*{% endif %};{% endfor %}"
    )
    shown = template.render(lang="bn", request=_Request("Asia/Dhaka")).split(";")[:-1]
    assert [s.split("=")[0] for s in shown] == list(i18n.ZONES)
    assert "Asia/Dhaka=বাংলাদেশ সময় (UTC+৬)*" in shown
    assert sum(s.endswith("*") for s in shown) == 1
    seat = template.render(lang="en", request=_Request(None)).split(";")
    assert seat[0].startswith("Europe/Amsterdam=Netherlands Time (UTC+") and seat[0].endswith("*")
    # A zone set some other way than the form is still named, and chosen.
    other = template.render(lang="en", request=_Request("America/Lima")).split(";")[:-1]
    assert other[-1] == "America/Lima=Peru Time (UTC-5)*"


def test_only_a_path_of_this_site_is_gone_back_to() -> None:
    assert back_to("/track/GT-2026-00001") == "/track/GT-2026-00001"
    assert back_to("//evil.example/x") == "/"
    assert back_to("https://evil.example/") == "/"
    assert back_to("/\\evil.example") == "/"


class _Duration:
    unit, amount = "business_days", 5


class _Error:
    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params


def test_durations_and_form_errors_put_their_numbers_in_the_pages_digits() -> None:
    catalog = translations("bn")
    template = environment.from_string(
        '{% import "public/words.html" as words with context %}'
        "{{ words.duration(d) }}|{{ words.error(short) }}|{{ words.error(large) }}"
    )
    shown = template.render(
        d=_Duration(),
        short=_Error("too_short", min=20),
        large=_Error("file_size", file="photo2.jpg", mb=20),
        lang="bn",
        request=_Request(None),
        _=catalog.gettext,
        ngettext=catalog.ngettext,
    )
    assert shown == "৫ কর্মদিবস|দয়া করে অন্তত ২০ অক্ষর লিখুন।|photo2.jpg: ফাইলটি ২০ MB-এর চেয়ে বড়।"
