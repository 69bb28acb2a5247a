"""The working-day calendar (lịch ngày làm việc) used for dossier due dates.

A working day is Monday to Friday, except the public holidays of the Labour Code 2019 Art 112
(New Year, lunar Tết, Hùng Kings' day, 30/4, 1/5, 2/9, 24/11 from 2026) and their statutory
substitute days, taken from the maintained ``holidays`` library. Two sources change that for a
given date, in this order of precedence:

1. a ``CalendarAdjustment`` row entered by an administrator (``day_off``: not a working day
   whatever the date; ``working_day``: a working day even on a weekend or a holiday);
2. the day swaps the government announced and the library already knows
   (``weekend_workdays``, e.g. Saturday 22/8/2026 worked for Monday 31/8/2026 off): the
   library lists the day off as a holiday, so the matching Saturday is honoured as a working
   day too, otherwise the swap would only remove a working day.

Due dates follow Decree 61/2018 (one-stop mechanism) Art 19–20 and Circular 01/2018 for the
reception of a dossier, and the Civil Code 2015 Art 147–148 for counting a time limit. See
``WorkingCalendar.due_date`` for the rules and DOMAIN.md §4.

``WorkingCalendar`` is pure (a mapping of adjustments in, dates out) so it is tested without a
database; ``working_calendar()`` builds one from the ``CalendarAdjustment`` table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.models.calendar import CalendarAdjustment

# The one-stop desks work on Vietnamese time whatever the server's TIME_ZONE says.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: A dossier received strictly later than this local time counts as received on the next
#: working day (Decree 61/2018 Art 20). Override with ``settings.DOSSIER_CUTOFF_TIME``
#: (a ``datetime.time`` or an ``"HH:MM"`` string).
DOSSIER_CUTOFF_TIME = time(15, 0)

#: Channel time units (``services.blocks.TIME_UNIT_CHOICES``).
WORKING_DAYS = "working_days"
DAYS = "days"
HOURS = "hours"
MONTHS = "months"
OTHER = "other"
TIME_UNITS = (WORKING_DAYS, DAYS, HOURS, MONTHS, OTHER)

#: Civil Code 2015 Art 146(1)(c): a month is thirty days, used for the fraction of a month.
DAYS_PER_MONTH = 30

_KINDS = {CalendarAdjustment.Kind.DAY_OFF.value, CalendarAdjustment.Kind.WORKING_DAY.value}


class Timeliness(models.TextChoices):
    """How a dossier stands against its due date (tiến độ giải quyết), DOMAIN.md §4.

    Computed, never stored as a status: it is a separate dimension from the national status
    codes, shown on the processing control slip and the tracking ledger (Circular 01/2018
    forms 05 and 06).
    """

    EARLY = "early", _("Sớm hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


@lru_cache(maxsize=64)
def _statutory(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The library's holidays and swapped-in weekend working days that fall in ``year``.

    Neighbouring years are loaded too because a swap can cross the new year (e.g. Friday
    2/1/2015 off for Saturday 27/12/2014 worked). Cached per process: the data only changes
    with a new release of the library.
    """
    calendar = holidays.country_holidays("VN", years=[year - 1, year, year + 1])
    days_off = frozenset(d for d in calendar if d.year == year)
    weekend_workdays = frozenset(d for d in calendar.weekend_workdays if d.year == year)
    return days_off, weekend_workdays


def _as_date(value: date, name: str) -> date:
    # datetime is a subclass of date: a datetime key would silently miss every lookup.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}")
    return value


def _amount(time_limit: Decimal | int | float) -> Decimal:
    if isinstance(time_limit, bool) or not isinstance(time_limit, int | float | Decimal):
        raise TypeError(f"time_limit must be a number, got {type(time_limit).__name__}")
    amount = Decimal(str(time_limit)) if isinstance(time_limit, float) else Decimal(time_limit)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"time_limit must be a finite number >= 0, got {time_limit}")
    return amount


def _whole(amount: Decimal) -> int:
    return math.ceil(amount)


def cutoff_time() -> time:
    """The daily reception cut-off in force: ``settings.DOSSIER_CUTOFF_TIME`` or 15:00."""
    value = getattr(settings, "DOSSIER_CUTOFF_TIME", DOSSIER_CUTOFF_TIME)
    return time.fromisoformat(value) if isinstance(value, str) else value


class WorkingCalendar:
    """Working days and due dates for a given set of administrator adjustments.

    ``adjustments`` maps a ``date`` to ``"day_off"`` or ``"working_day"``
    (``CalendarAdjustment.Kind``); an unknown kind raises ``ValueError``. ``cutoff`` overrides
    the reception cut-off (default: ``cutoff_time()`` at construction).

    Instances are immutable and hold no database state: build one per request (or per batch of
    dossiers) and reuse it.
    """

    def __init__(self, adjustments: Mapping[date, str] | None = None, *, cutoff: time | None = None):
        self._adjustments: dict[date, str] = {}
        for day, kind in (adjustments or {}).items():
            if kind not in _KINDS:
                raise ValueError(f"unknown calendar adjustment kind {kind!r} for {day}")
            self._adjustments[_as_date(day, "adjustment date")] = str(kind)
        self.cutoff = cutoff if cutoff is not None else cutoff_time()

    def __repr__(self):
        return f"<WorkingCalendar adjustments={len(self._adjustments)} cutoff={self.cutoff:%H:%M}>"

    # Days

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` (a ``date``, not a ``datetime``: ``TypeError``) is a working day.

        Order of precedence: administrator adjustment, library holiday, library swapped-in
        weekend working day, Saturday/Sunday. Labour Code 2019 Art 111–112 (weekly rest day,
        public holidays); the swaps come from the yearly announcements for civil servants.
        """
        _as_date(d, "d")
        kind = self._adjustments.get(d)
        if kind is not None:
            return kind == CalendarAdjustment.Kind.WORKING_DAY
        days_off, weekend_workdays = _statutory(d.year)
        if d in days_off:
            return False
        if d in weekend_workdays:
            return True
        return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        _as_date(d, "d")
        d += timedelta(days=1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def on_or_after(self, d: date) -> date:
        """``d`` if it is a working day, otherwise the next working day.

        Civil Code 2015 Art 148(2): a time limit whose last day is a weekly rest day or a
        public holiday ends at the end of the next working day.
        """
        return d if self.is_working_day(d) else self.next_working_day(d)

    def add_working_days(self, start_date: date, n: int) -> date:
        """The ``n``-th working day after ``start_date`` (``start_date`` itself not counted).

        ``n`` is a whole number of working days >= 0 (``ValueError`` otherwise); ``n == 0``
        returns ``start_date`` unchanged. Civil Code 2015 Art 147(2): the first day of a time
        limit counted in days is the day after the day it is counted from.
        """
        _as_date(start_date, "start_date")
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, got {type(n).__name__}")
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        d = start_date
        for _i in range(n):
            d = self.next_working_day(d)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days ``d`` with ``a < d <= b``; negative when ``b < a``.

        The inverse of ``add_working_days``: ``working_days_between(a, add_working_days(a, n))
        == n``. For statistics, ``working_days_between(due_date, finished_on)`` is the number
        of working days a dossier was late (positive) or early (negative).
        """
        _as_date(a, "a")
        _as_date(b, "b")
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for i in range(1, (b - a).days + 1) if self.is_working_day(a + timedelta(days=i)))

    # Dossiers

    def reception_date(self, received_at: datetime) -> date:
        """The working day a dossier counts as received on (ngày tiếp nhận).

        ``received_at`` is a timezone-aware ``datetime`` (``ValueError`` if naive), read in
        Vietnamese local time. A dossier received on a non-working day, or strictly later than
        the cut-off (15:00:00 by default: 15:00:00 exactly is the same day, 15:00:01 the next),
        counts as received on the next working day. Decree 61/2018 Art 19–20 (dossiers
        received after 15:00 are transferred at the start of the next working day), applied
        to every channel so that online and paper dossiers are treated alike.
        """
        if not isinstance(received_at, datetime):
            raise TypeError(f"received_at must be a datetime, got {type(received_at).__name__}")
        if received_at.tzinfo is None or received_at.utcoffset() is None:
            raise ValueError("received_at must be timezone-aware")
        local = received_at.astimezone(LOCAL_TZ)
        day = local.date()
        if not self.is_working_day(day) or local.time() > self.cutoff:
            return self.next_working_day(day)
        return day

    def due_date(self, received_at: datetime, time_limit: Decimal | int | None, unit: str) -> date | None:
        """The due date (ngày hẹn trả kết quả) of a dossier, or ``None`` if none can be computed.

        Arguments:
            received_at: timezone-aware ``datetime`` the dossier was received
                (``ValueError`` if naive); see ``reception_date`` for the 15:00 cut-off.
            time_limit: the channel's time limit (``Decimal``/``int``, >= 0; ``ValueError`` if
                negative or not finite, ``TypeError`` if not a number), or ``None`` when the
                procedure states none.
            unit: one of ``TIME_UNITS`` (``services.blocks.TIME_UNIT_CHOICES``;
                ``ValueError`` otherwise).

        Rules, counted from the reception date R:
            ``working_days``: the n-th working day after R (Civil Code 2015 Art 147(2): the
                first day is not counted); n = 0 is R itself.
            ``days`` (calendar days): R + n days, moved to the next working day if that is a
                weekend or holiday (Civil Code 2015 Art 148(2)).
            ``months``: R + n calendar months (a missing day, e.g. 31/2, is the last day of the
                month, Civil Code 2015 Art 148(1)(c)), then the same Art 148(2) move; a fraction
                of a month counts 30 days a month (Art 146(1)(c)–(d)), rounded up.
            ``hours``: counted from the moment of receipt (Civil Code 2015 Art 147(1)),
                ``received_at`` + n hours; the due date is the local date of that moment,
                moved to a working day by Art 148(2) and never before R. Office hours are not
                modelled, so "n working hours" limits are read as clock hours.
            ``other`` or ``time_limit`` None: ``None``.

        Fractional day counts (0.5, 1.5 working or calendar days) are rounded up to whole days
        (hours are added exactly): the due date is a date (printed on the appointment slip) and a time limit ends at the
        end of its last day (Civil Code 2015 Art 148(1)(a), (3)); half a working day after R
        ends within the next working day, so that day is the due date. Rounding down would cut
        the time the procedure gives the agency.
        """
        if unit not in TIME_UNITS:
            raise ValueError(f"unknown time unit {unit!r}; expected one of {', '.join(TIME_UNITS)}")
        # Validate received_at even when no due date follows, so bad input never passes silently.
        received_on = self.reception_date(received_at)
        if unit == OTHER or time_limit is None:
            return None
        amount = _amount(time_limit)
        if unit == WORKING_DAYS:
            return self.add_working_days(received_on, _whole(amount))
        if unit == DAYS:
            return self.on_or_after(received_on + timedelta(days=_whole(amount)))
        if unit == MONTHS:
            months = int(amount)
            extra_days = _whole((amount - months) * DAYS_PER_MONTH)
            return self.on_or_after(received_on + relativedelta(months=months) + timedelta(days=extra_days))
        # HOURS
        end = received_at + timedelta(seconds=_whole(amount * 3600))
        return self.on_or_after(max(end.astimezone(LOCAL_TZ).date(), received_on))


def timeliness(due_date: date | None, finished_on: date | None, today: date) -> Timeliness | None:
    """Whether a dossier is early, on time or late against its due date.

    Arguments:
        due_date: the dossier's due date (``WorkingCalendar.due_date``), or ``None`` when the
            procedure has no computable time limit: then the result is ``None``.
        finished_on: the local date the result was ready (processed, national status 9/10), or
            ``None`` for a dossier still in progress.
        today: the current local date, used only for dossiers in progress.

    A finished dossier is early before its due date, on time on it, late after it. A dossier in
    progress is late once today is after its due date and otherwise on time (not yet late):
    it cannot be called early before it is finished. Circular 01/2018 forms 05–06
    (early/on-time/late per hand-over and in the tracking ledger); DOMAIN.md §4.
    """
    if due_date is None:
        return None
    if finished_on is None:
        return Timeliness.LATE if today > due_date else Timeliness.ON_TIME
    if finished_on < due_date:
        return Timeliness.EARLY
    if finished_on == due_date:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def working_calendar() -> WorkingCalendar:
    """A ``WorkingCalendar`` with the administrators' current ``CalendarAdjustment`` rows.

    Reads the table on every call (one query over a few dozen rows a year) instead of caching:
    an administrator's edit applies to the next due date computed, in every worker process,
    without any invalidation. Code that computes many due dates builds one calendar and reuses
    it. The statutory holidays themselves are cached per process (``_statutory``).
    """
    return WorkingCalendar(dict(CalendarAdjustment.objects.values_list("date", "kind")))
