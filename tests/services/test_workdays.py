"""The working-day calendar and dossier due dates (DOMAIN.md §4).

Every expected date is worked out by hand from a wall calendar and the holidays the law
gives (Labour Code 2019 Art 112); the comment above each case lists the days counted and
skipped. 2026 at a glance:

    Tết: Mon 16/2 (eve) – Fri 20/2 (4th day); Sat 14–Sun 15 and Sat 21–Sun 22 are weekends.
    Hùng Kings' day: Sun 26/4, observed Mon 27/4. Thu 30/4 and Fri 1/5 are holidays.
    National Day: Tue 1/9, Wed 2/9; Mon 31/8 off in exchange for Sat 22/8 worked.
    Vietnam Cultural Day: Tue 24/11.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from services.models.calendar import CalendarAdjustment
from services.workdays import (
    DOSSIER_CUTOFF_TIME,
    Timeliness,
    WorkingCalendar,
    cutoff_time,
    timeliness,
    working_calendar,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = ZoneInfo("UTC")


def at(y, m, d, hh=10, mm=0, ss=0, us=0):
    """A local (Vietnamese) moment."""
    return datetime(y, m, d, hh, mm, ss, us, tzinfo=VN)


@pytest.fixture
def cal():
    return WorkingCalendar()


# Working days


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 12), True),  # Thursday before Tết
        (date(2026, 2, 14), False),  # Saturday
        (date(2026, 2, 15), False),  # Sunday
        (date(2026, 2, 16), False),  # Tết eve (Monday)
        (date(2026, 2, 17), False),  # Tết, 1st day
        (date(2026, 2, 20), False),  # Tết, 4th day (Friday)
        (date(2026, 2, 23), True),  # first Monday after Tết
        (date(2026, 4, 27), False),  # Hùng Kings' day falls on Sunday 26/4, observed Monday
        (date(2026, 4, 28), True),
        (date(2026, 4, 30), False),  # Reunification Day (Thursday)
        (date(2026, 5, 1), False),  # Labour Day (Friday)
        (date(2026, 11, 24), False),  # Vietnam Cultural Day (Tuesday), a holiday from 2026
        (date(2027, 2, 4), False),  # Tết 2027 starts on the 29th (Thursday)
        (date(2027, 2, 10), False),  # 5th day, substitute for the 1st day falling on Saturday
        (date(2027, 2, 11), True),
    ],
)
def test_working_days_are_weekdays_that_are_not_public_holidays(cal, day, working):
    assert cal.is_working_day(day) is working


def test_a_swapped_saturday_is_a_working_day_when_its_monday_is_off(cal):
    # National Day 2026: Monday 31/8 off, Saturday 22/8 worked instead (the library lists
    # both halves of the swap; the announcement is cited in holidays' VietnamStaticHolidays).
    assert cal.is_working_day(date(2026, 8, 22)) is True
    assert cal.is_working_day(date(2026, 8, 31)) is False
    # Friday 28/8 + 1 working day: skip Sat 29, Sun 30, Mon 31 (swap), Tue 1/9, Wed 2/9.
    assert cal.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_next_working_day_is_strictly_after(cal):
    assert cal.next_working_day(date(2026, 3, 11)) == date(2026, 3, 12)  # Wed → Thu
    # Fri 13/2: skip Sat 14, Sun 15, Tết Mon 16 – Fri 20, Sat 21, Sun 22.
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    # Wed 29/4: skip Thu 30/4, Fri 1/5, Sat 2, Sun 3.
    assert cal.next_working_day(date(2026, 4, 29)) == date(2026, 5, 4)
    # Wed 31/12/2025: skip New Year's Day Thu 1/1/2026.
    assert cal.next_working_day(date(2025, 12, 31)) == date(2026, 1, 2)


def test_add_working_days_does_not_count_the_start_date(cal):
    # Wed 11/3/2026: Thu 12 (1), Fri 13 (2), skip Sat 14, Sun 15, Mon 16 (3).
    assert cal.add_working_days(date(2026, 3, 11), 3) == date(2026, 3, 16)
    assert cal.add_working_days(date(2026, 3, 11), 0) == date(2026, 3, 11)


def test_add_working_days_rejects_negative_and_fractional_counts(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 3, 11), -1)
    with pytest.raises(TypeError):
        cal.add_working_days(date(2026, 3, 11), 1.5)


def test_a_datetime_is_not_taken_for_a_date(cal):
    with pytest.raises(TypeError):
        cal.is_working_day(at(2026, 3, 11))


def test_working_days_between_counts_the_end_but_not_the_start(cal):
    # Thu 12/2/2026 → Tue 24/2/2026: Fri 13, Mon 23, Tue 24 (Tết week and two weekends skipped).
    assert cal.working_days_between(date(2026, 2, 12), date(2026, 2, 24)) == 3
    assert cal.working_days_between(date(2026, 2, 24), date(2026, 2, 12)) == -3
    assert cal.working_days_between(date(2026, 3, 11), date(2026, 3, 11)) == 0
    # Fri 13/3 → Mon 16/3: only Monday.
    assert cal.working_days_between(date(2026, 3, 13), date(2026, 3, 16)) == 1


def test_working_days_between_inverts_add_working_days_all_year(cal):
    day = date(2026, 1, 1)
    while day.year == 2026:
        for n in (0, 1, 5, 15):
            due = cal.add_working_days(day, n)
            assert cal.working_days_between(day, due) == n
            assert n == 0 or cal.is_working_day(due)
        day += timedelta(days=1)


# Reception date and the 15:00 cut-off


@pytest.mark.parametrize(
    ("received_at", "expected"),
    [
        (at(2026, 3, 11, 14, 59), date(2026, 3, 11)),  # Wednesday, before the cut-off
        (at(2026, 3, 11, 15, 0), date(2026, 3, 11)),  # 15:00:00 exactly is not "after 15:00"
        (at(2026, 3, 11, 15, 0, 0, 1), date(2026, 3, 12)),  # any later moment is
        (at(2026, 3, 11, 15, 0, 1), date(2026, 3, 12)),
        (at(2026, 3, 11, 15, 1), date(2026, 3, 12)),
        (at(2026, 3, 11, 23, 59), date(2026, 3, 12)),
        (at(2026, 3, 11, 0, 1), date(2026, 3, 11)),
        (at(2026, 3, 13, 16, 0), date(2026, 3, 16)),  # Friday after 15:00: skip Sat, Sun
        (at(2026, 3, 14, 9, 0), date(2026, 3, 16)),  # Saturday morning
        (at(2026, 3, 15, 9, 0), date(2026, 3, 16)),  # Sunday
        (at(2026, 2, 18, 9, 0), date(2026, 2, 23)),  # Tết: Thu 19, Fri 20, Sat 21, Sun 22 skipped
        (at(2026, 2, 13, 15, 30), date(2026, 2, 23)),  # last day before Tết, after the cut-off
    ],
)
def test_reception_date(cal, received_at, expected):
    assert cal.reception_date(received_at) == expected


def test_the_cut_off_is_read_in_vietnamese_time_whatever_the_zone_given(cal):
    # 07:59 UTC = 14:59 in Hà Nội (UTC+7); 08:01 UTC = 15:01.
    assert cal.reception_date(datetime(2026, 3, 11, 7, 59, tzinfo=UTC)) == date(2026, 3, 11)
    assert cal.reception_date(datetime(2026, 3, 11, 8, 1, tzinfo=UTC)) == date(2026, 3, 12)
    # 18:00 UTC on Tuesday 10/3 is 01:00 on Wednesday 11/3 in Hà Nội.
    assert cal.reception_date(datetime(2026, 3, 10, 18, 0, tzinfo=UTC)) == date(2026, 3, 11)


def test_the_cut_off_is_15_00_and_settings_can_move_it():
    assert DOSSIER_CUTOFF_TIME == time(15, 0)
    assert cutoff_time() == time(15, 0)
    with override_settings(DOSSIER_CUTOFF_TIME="16:30"):
        late_cal = WorkingCalendar()
    assert late_cal.reception_date(at(2026, 3, 11, 16, 0)) == date(2026, 3, 11)
    assert late_cal.reception_date(at(2026, 3, 11, 16, 31)) == date(2026, 3, 12)
    assert WorkingCalendar(cutoff=time(11, 30)).reception_date(at(2026, 3, 11, 12, 0)) == date(2026, 3, 12)


def test_a_naive_datetime_is_refused(cal):
    with pytest.raises(ValueError):
        cal.reception_date(datetime(2026, 3, 11, 10, 0))
    with pytest.raises(ValueError):
        cal.due_date(datetime(2026, 3, 11, 10, 0), 3, "working_days")
    with pytest.raises(ValueError):
        cal.due_date(datetime(2026, 3, 11, 10, 0), None, "other")


# Due dates in working days


def test_due_date_across_tet_2026(cal):
    # Received Thu 12/2 10:00 → reception date Thu 12/2. Fri 13 (1); skip Sat 14, Sun 15,
    # Tết Mon 16 – Fri 20, Sat 21, Sun 22; Mon 23 (2), Tue 24 (3).
    assert cal.due_date(at(2026, 2, 12, 10, 0), 3, "working_days") == date(2026, 2, 24)


def test_due_date_across_hung_kings_day_and_30_4_1_5_2026(cal):
    # Received Fri 24/4 09:00 → reception date Fri 24/4. Skip Sat 25, Sun 26 (Hùng Kings'
    # day), Mon 27 (its observed day); Tue 28 (1), Wed 29 (2); skip Thu 30/4, Fri 1/5, Sat 2,
    # Sun 3; Mon 4 (3), Tue 5 (4), Wed 6 (5).
    assert cal.due_date(at(2026, 4, 24, 9, 0), 5, "working_days") == date(2026, 5, 6)


def test_due_date_across_tet_2027_and_the_new_year(cal):
    # Received Wed 3/2/2027: skip Thu 4 (29 Tết) – Wed 10/2 (Sat 6 is the 1st day, its
    # substitute is Wed 10); Thu 11 (1).
    assert cal.due_date(at(2027, 2, 3, 10, 0), 1, "working_days") == date(2027, 2, 11)
    # Received Wed 31/12/2025: skip Thu 1/1/2026; Fri 2/1 (1), skip Sat 3, Sun 4; Mon 5 (2).
    assert cal.due_date(at(2025, 12, 31, 10, 0), 2, "working_days") == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("received_at", "expected"),
    [
        # Wed 11/3 14:59 → received Wed 11; Thu 12 (1).
        (at(2026, 3, 11, 14, 59), date(2026, 3, 12)),
        # 15:00:00 exactly is still Wednesday.
        (at(2026, 3, 11, 15, 0), date(2026, 3, 12)),
        # 15:01 → received Thu 12; Fri 13 (1).
        (at(2026, 3, 11, 15, 1), date(2026, 3, 13)),
    ],
)
def test_due_date_cut_off_boundary(cal, received_at, expected):
    assert cal.due_date(received_at, 1, "working_days") == expected


def test_due_date_of_a_dossier_received_on_saturday(cal):
    # Sat 14/3 → received Mon 16/3; Tue 17 (1), Wed 18 (2).
    assert cal.due_date(at(2026, 3, 14, 9, 0), 2, "working_days") == date(2026, 3, 18)


def test_zero_working_days_is_due_on_the_reception_date(cal):
    assert cal.due_date(at(2026, 3, 12, 10, 0), 0, "working_days") == date(2026, 3, 12)
    # Saturday → received Monday 16/3, due that day.
    assert cal.due_date(at(2026, 3, 14, 10, 0), 0, "working_days") == date(2026, 3, 16)
    assert cal.due_date(at(2026, 3, 12, 10, 0), Decimal("0"), "days") == date(2026, 3, 12)


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        # Received Thu 12/3. 0.5 → 1: Fri 13.
        (Decimal("0.5"), date(2026, 3, 13)),
        (0.5, date(2026, 3, 13)),
        # 1.5 → 2: Fri 13 (1), skip Sat 14, Sun 15, Mon 16 (2).
        (Decimal("1.5"), date(2026, 3, 16)),
        (Decimal("2.0"), date(2026, 3, 16)),
        # 2.01 → 3: Tue 17.
        (Decimal("2.01"), date(2026, 3, 17)),
    ],
)
def test_fractional_working_days_round_up_to_whole_days(cal, limit, expected):
    assert cal.due_date(at(2026, 3, 12, 10, 0), limit, "working_days") == expected


# Due dates in calendar days, months and hours


def test_calendar_days_ending_on_a_working_day(cal):
    # Mon 9/3 + 3 calendar days = Thu 12/3.
    assert cal.due_date(at(2026, 3, 9, 10, 0), 3, "days") == date(2026, 3, 12)


def test_calendar_days_ending_on_a_weekend_move_to_the_next_working_day(cal):
    # Mon 9/3 + 5 calendar days = Sat 14/3 → Mon 16/3 (Civil Code Art 148(2)).
    assert cal.due_date(at(2026, 3, 9, 10, 0), 5, "days") == date(2026, 3, 16)


def test_calendar_days_ending_on_a_holiday_move_past_it(cal):
    # Fri 24/4 + 6 calendar days = Thu 30/4 (holiday) → Fri 1/5 (holiday), Sat 2, Sun 3 → Mon 4/5.
    assert cal.due_date(at(2026, 4, 24, 10, 0), 6, "days") == date(2026, 5, 4)


def test_calendar_days_count_from_the_reception_date(cal):
    # Sat 14/3 → received Mon 16/3; + 1 day = Tue 17/3.
    assert cal.due_date(at(2026, 3, 14, 9, 0), 1, "days") == date(2026, 3, 17)
    # Wed 11/3 15:30 → received Thu 12/3; + 1 day = Fri 13/3.
    assert cal.due_date(at(2026, 3, 11, 15, 30), 1, "days") == date(2026, 3, 13)


def test_months_use_the_corresponding_day_or_the_last_day_of_the_month(cal):
    # Wed 11/3 + 1 month = Sat 11/4 → Mon 13/4.
    assert cal.due_date(at(2026, 3, 11, 10, 0), 1, "months") == date(2026, 4, 13)
    # Fri 30/1 + 1 month: no 30/2 → Sat 28/2 (last day) → Mon 2/3.
    assert cal.due_date(at(2026, 1, 30, 10, 0), 1, "months") == date(2026, 3, 2)
    # Fri 16/1 + 1 month = Mon 16/2 (Tết eve) → Tết to Fri 20, Sat 21, Sun 22 → Mon 23/2.
    assert cal.due_date(at(2026, 1, 16, 10, 0), 1, "months") == date(2026, 2, 23)


def test_a_fraction_of_a_month_counts_thirty_days_a_month(cal):
    # Mon 2/3 + 0.5 month = 15 days = Tue 17/3.
    assert cal.due_date(at(2026, 3, 2, 10, 0), Decimal("0.5"), "months") == date(2026, 3, 17)
    # Mon 2/3 + 1 month = Thu 2/4, + 15 days = Fri 17/4.
    assert cal.due_date(at(2026, 3, 2, 10, 0), Decimal("1.5"), "months") == date(2026, 4, 17)


def test_hours_count_from_the_moment_of_receipt(cal):
    # Thu 12/3 10:00 + 8 h = Thu 18:00 → Thu 12/3.
    assert cal.due_date(at(2026, 3, 12, 10, 0), 8, "hours") == date(2026, 3, 12)
    # Thu 12/3 14:00 + 1.5 h = 15:30 the same day.
    assert cal.due_date(at(2026, 3, 12, 14, 0), Decimal("1.5"), "hours") == date(2026, 3, 12)
    # Thu 12/3 10:00 + 24 h = Fri 13/3 10:00.
    assert cal.due_date(at(2026, 3, 12, 10, 0), 24, "hours") == date(2026, 3, 13)
    # Fri 13/3 14:00 + 24 h = Sat 14/3 14:00 → Mon 16/3.
    assert cal.due_date(at(2026, 3, 13, 14, 0), 24, "hours") == date(2026, 3, 16)


def test_hours_never_end_before_the_reception_date(cal):
    # Fri 13/3 16:00 is received on Mon 16/3; + 4 h = Fri 20:00, but not before Monday.
    assert cal.due_date(at(2026, 3, 13, 16, 0), 4, "hours") == date(2026, 3, 16)


# Adjustments entered by administrators


def test_an_extra_day_off_is_skipped():
    # Received Thu 12/3 with 2 working days. Normally Fri 13 (1), Mon 16 (2). With Fri 13 off:
    # skip Fri 13, Sat 14, Sun 15; Mon 16 (1), Tue 17 (2).
    assert WorkingCalendar().due_date(at(2026, 3, 12), 2, "working_days") == date(2026, 3, 16)
    cal = WorkingCalendar({date(2026, 3, 13): "day_off"})
    assert cal.is_working_day(date(2026, 3, 13)) is False
    assert cal.due_date(at(2026, 3, 12), 2, "working_days") == date(2026, 3, 17)
    # A dossier handed in on the day off counts as received on Mon 16.
    assert cal.reception_date(at(2026, 3, 13, 9, 0)) == date(2026, 3, 16)


def test_a_make_up_saturday_is_counted():
    # Received Thu 12/3 with 2 working days and Sat 14/3 worked: Fri 13 (1), Sat 14 (2).
    cal = WorkingCalendar({date(2026, 3, 14): CalendarAdjustment.Kind.WORKING_DAY})
    assert cal.due_date(at(2026, 3, 12), 2, "working_days") == date(2026, 3, 14)
    # A dossier handed in on that Saturday morning is received that day.
    assert cal.reception_date(at(2026, 3, 14, 9, 0)) == date(2026, 3, 14)


def test_adjustments_override_the_statutory_calendar():
    cal = WorkingCalendar(
        {
            date(2026, 4, 27): "working_day",  # the observed Hùng Kings' day, worked
            date(2026, 8, 22): "day_off",  # the library's swapped Saturday, cancelled
        }
    )
    assert cal.is_working_day(date(2026, 4, 27)) is True
    assert cal.is_working_day(date(2026, 8, 22)) is False


def test_an_unknown_adjustment_kind_is_refused():
    with pytest.raises(ValueError):
        WorkingCalendar({date(2026, 3, 13): "holiday"})


# Units without a due date, invalid limits


def test_unit_other_or_no_time_limit_has_no_due_date(cal):
    assert cal.due_date(at(2026, 3, 12), 5, "other") is None
    assert cal.due_date(at(2026, 3, 12), None, "working_days") is None


def test_invalid_time_limits_and_units_are_refused(cal):
    with pytest.raises(ValueError):
        cal.due_date(at(2026, 3, 12), -1, "working_days")
    with pytest.raises(ValueError):
        cal.due_date(at(2026, 3, 12), Decimal("-0.5"), "days")
    with pytest.raises(ValueError):
        cal.due_date(at(2026, 3, 12), Decimal("NaN"), "days")
    with pytest.raises(ValueError):
        cal.due_date(at(2026, 3, 12), 3, "weeks")
    with pytest.raises(TypeError):
        cal.due_date(at(2026, 3, 12), "3", "days")


# Timeliness

DUE = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("finished_on", "today", "expected"),
    [
        # Finished: compared with the day the result was ready, whatever today is.
        (date(2026, 3, 13), date(2026, 3, 30), Timeliness.EARLY),
        (date(2026, 3, 16), date(2026, 3, 30), Timeliness.ON_TIME),
        (date(2026, 3, 17), date(2026, 3, 30), Timeliness.LATE),
        # In progress: not late until the due date has passed; never early.
        (None, date(2026, 3, 13), Timeliness.ON_TIME),
        (None, date(2026, 3, 16), Timeliness.ON_TIME),
        (None, date(2026, 3, 17), Timeliness.LATE),
    ],
)
def test_timeliness(finished_on, today, expected):
    assert timeliness(DUE, finished_on, today) == expected


def test_timeliness_without_a_due_date_is_unknown():
    assert timeliness(None, None, date(2026, 3, 17)) is None


def test_timeliness_labels_are_vietnamese():
    assert dict(Timeliness.choices) == {"early": "Sớm hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}


# The calendar stored in the database


@pytest.mark.django_db
def test_working_calendar_reads_the_adjustments_entered_in_the_admin(django_assert_num_queries):
    # Thu 12/3 with 2 working days: Fri 13 (1), Mon 16 (2).
    assert working_calendar().due_date(at(2026, 3, 12), 2, "working_days") == date(2026, 3, 16)

    row = CalendarAdjustment.objects.create(date=date(2026, 3, 13), kind="day_off", description="Nghỉ thêm")
    with django_assert_num_queries(1):
        cal = working_calendar()
    # Fri 13 off: Mon 16 (1), Tue 17 (2).
    assert cal.due_date(at(2026, 3, 12), 2, "working_days") == date(2026, 3, 17)

    # An edit of an existing row applies to the next calendar built (no stale cache).
    row.kind = "working_day"
    row.date = date(2026, 3, 14)
    row.save()
    # Sat 14 worked: Fri 13 (1), Sat 14 (2).
    assert working_calendar().due_date(at(2026, 3, 12), 2, "working_days") == date(2026, 3, 14)
