"""schools.dates: Django's own date text, remembered per moment, format, zone and language."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import formats, timezone, translation

from schools import dates

FORMATS = ["DATETIME_FORMAT", "SHORT_DATETIME_FORMAT", "MONTH_DAY_FORMAT", "TIME_FORMAT"]
# Noon, midnight, an ordinary afternoon, and both 1:30 a.m.s of the night the clocks go back.
MOMENTS = [
    datetime(2026, 12, 7, 18, 0, tzinfo=UTC),
    datetime(2026, 12, 8, 6, 0, tzinfo=UTC),
    datetime(2026, 3, 3, 21, 47, tzinfo=UTC),
    datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
    datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
]


def django_text(value: datetime, format_name: str) -> str:
    local = timezone.localtime(value)
    return formats.time_format(local) if format_name == "TIME_FORMAT" else formats.date_format(local, format_name)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("zone", ["America/Chicago", "America/New_York", "UTC"])
def test_the_text_is_djangos_in_every_language_zone_and_format(language, zone):
    with translation.override(language), timezone.override(zone):
        for moment in MOMENTS:
            for format_name in FORMATS:
                # Twice: the second answer comes from the cache.
                assert dates.date_format(moment, format_name) == django_text(moment, format_name)
                assert dates.date_format(moment, format_name) == django_text(moment, format_name)
            assert dates.localize(moment) == formats.localize(timezone.localtime(moment))


def test_one_readers_text_never_reaches_another():
    moment = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
    with translation.override("en"), timezone.override("America/Chicago"):
        english = dates.date_format(moment, "MONTH_DAY_FORMAT")
        chicago = dates.date_format(moment, "TIME_FORMAT")
    with translation.override("es"):
        spanish = dates.date_format(moment, "MONTH_DAY_FORMAT")
    with timezone.override("America/New_York"), translation.override("en"):
        new_york = dates.date_format(moment, "TIME_FORMAT")
    assert english != spanish and "dic" in spanish.lower()
    assert chicago != new_york


def test_the_two_one_thirties_of_the_night_the_clocks_go_back_are_two_moments():
    first = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 1:30 a.m. CDT; an hour later, 1:30 a.m. CST
    dates._formatted.cache_clear()
    with timezone.override("America/Chicago"), translation.override("en"):
        texts = [dates.date_format(first + timedelta(hours=h), "DATETIME_FORMAT") for h in (0, 1, 0, 1)]
        assert texts == [django_text(first, "DATETIME_FORMAT")] * 4  # the same wall time, as Django writes it
    assert dates._formatted.cache_info().currsize == 2  # remembered as two moments, not one
