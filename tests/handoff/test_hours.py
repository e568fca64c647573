"""Office hours and Portuguese public holidays (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from handoff.hours import OfficeHours, easter, portuguese_holidays


@pytest.mark.parametrize(("year", "sunday"), [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)),
                                             (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28))])
def test_easter(year, sunday):
    assert easter(year) == sunday


def test_the_thirteen_national_holidays_of_2026():
    days = portuguese_holidays(2026)
    assert len(days) == 13
    assert {date(2026, 4, 3), date(2026, 6, 4), date(2026, 4, 25), date(2026, 12, 8)} <= days


def test_open_closed_and_next_opening_in_lisbon_summer_time():
    office = OfficeHours("mon-fri 09:00-18:00", "Europe/Lisbon")
    # Wednesday 10 June 2026 is Portugal Day; Lisbon is UTC+1 in summer.
    assert not office.is_open(datetime(2026, 6, 10, 10, 0, tzinfo=UTC))
    assert office.is_open(datetime(2026, 6, 11, 8, 0, tzinfo=UTC))  # 09:00 local
    assert not office.is_open(datetime(2026, 6, 11, 7, 59, tzinfo=UTC))
    assert office.next_opening(datetime(2026, 6, 12, 17, 30, tzinfo=UTC)) == datetime(2026, 6, 15, 8, 0, tzinfo=UTC)


def test_extra_holidays_and_split_days():
    office = OfficeHours("mon-thu 09:00-13:00,14:00-18:00; fri 09:00-15:00", "Europe/Lisbon",
                         (date(2026, 12, 24),))
    assert not office.is_open(datetime(2026, 12, 24, 10, 0, tzinfo=UTC))
    assert not office.is_open(datetime(2026, 12, 3, 13, 30, tzinfo=UTC))  # lunch
    assert office.office_minutes_between(datetime(2026, 12, 3, 12, 0, tzinfo=UTC),
                                         datetime(2026, 12, 3, 15, 0, tzinfo=UTC)) == 120
    assert office.add_office_minutes(datetime(2026, 12, 4, 14, 30, tzinfo=UTC), 60) == datetime(
        2026, 12, 7, 9, 30, tzinfo=UTC)
