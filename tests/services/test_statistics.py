"""Statistics of dossiers (issue 5 item 5; DOMAIN.md §4 and §6): selectors, public pages, JSON API.

Every expected figure below is counted by hand from the 13 dossiers of ``dossiers`` (the table
in its docstring), on "today" = Wednesday 15/4/2026, never read back from the code.

First quarter 2026 (1/1–31/3, local dates):

- Sở Tư pháp (A): received 6 = online 3 (#1 #2 #6) + in person 2 (#3 #4) + post 1 (#5);
  processed 3: early 1 (#1), on time 1 (#2, finished on its due date), late 1 (#3, finished
  00:30 local on the day after its due date, still the due date in UTC); in progress 2:
  overdue 1 (#5, due 16/3), on time 1 (#6, due today); closed 1 (#4 refused).
  Online share 3/6 = 50.0 %, on time (1+1)/3 = 66.666… → 66.7 %.
- UBND phường Xuân Hương (B): received 5 = online 2 (#10 #12) + in person 2 (#8 #9) + post 1
  (#11); processed 3: early 1 (#11), on time 1 (#8), undated 1 (#12, no due date); in progress
  1, on time (#9: due 10/3 but paused on 5/3 for a supplement); closed 1 (#10 withdrawn).
  Online share 2/5 = 40.0 %, on time 2/2 = 100.0 %.
- Province: received 11 (online 5, in person 4, post 2), processed 6 (early 2, on time 2,
  late 1, undated 1), in progress 3 (overdue 1), closed 2; online 5/11 = 45.45… → 45.5 %,
  on time 4/5 = 80.0 %.

Second quarter to date (1/4–15/4): only #7 (A, online, submitted 00:30 local on 1/4 = 17:30
UTC on 31/3), in progress on time. #6, submitted 23:30 local on 31/3 (16:30 UTC the same
day), stays in the first quarter. Year 2026 to date: the first quarter plus #7, so A received
7 (online 4, 57.142… → 57.1 %), the province 12 (online 6, 50.0 %). #13 (31/12/2025 23:30
local) belongs to 2025 only.
"""

import io
import itertools
import json
from datetime import date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.management import call_command

from services.dossiers import views_statistics
from services.dossiers.statistics import (
    LOCAL_OFFSET,
    Figures,
    agency_statistics,
    local_bounds,
    percent,
    procedure_statistics,
    province_totals,
    service_year_to_date,
    snapshot_covers,
    statistics_snapshot_take,
)
from services.models import Agency, Dossier, DossierMonthlyCount, DossierStatus, StatisticsSnapshot

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = ZoneInfo("UTC")
TODAY = date(2026, 4, 15)
Q1 = {"start": date(2026, 1, 1), "end": date(2026, 3, 31)}

BIRTH = ("1.000001", "Đăng ký khai sinh")
BUILDING = ("1.000002", "Cấp giấy phép xây dựng")
COPY = ("1.000003", "Chứng thực bản sao từ bản chính")

_numbers = itertools.count(1)


def local(y, m, d, h=9, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=VN)


def make_dossier(
    agency, *, submitted, channel, status, procedure=BIRTH, due=None, finished=None, returned=None, paused=None
):
    """A dossier written directly (statistics only read dossiers): no workflow, no files."""
    n = next(_numbers)
    return Dossier.objects.create(
        code=f"{agency.identifier}-{submitted:%y%m%d}-{n:04d}",
        procedure_code=procedure[0],
        procedure_name=procedure[1],
        receiving_agency=agency,
        channel=channel,
        applicant_name="Nguyễn Văn An",
        applicant_id_type="cccd",
        applicant_id_number=f"0680900{n:05d}",
        status=DossierStatus.objects.get(code=status),
        submitted_at=submitted,
        due_date=due,
        finished_at=finished,
        returned_at=returned,
        paused_at=paused,
    )


@pytest.fixture(autouse=True)
def fixed_day_and_empty_cache(monkeypatch):
    monkeypatch.setattr(views_statistics, "statistics_today", lambda: TODAY)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agencies(db):
    a = Agency.objects.create(name="Sở Tư pháp", identifier="000.00.10.H36")
    b = Agency.objects.create(name="UBND phường Xuân Hương", identifier="000.21.30.H36")
    return a, b


@pytest.fixture
def dossiers(agencies):
    """13 dossiers; status codes are the national ones (3 refused, 7 withdrawn, 9/10 finished).

    | # | agency | channel | submitted (local) | status | due | finished (local) | note |
    |---|---|---|---|---|---|---|---|
    | 1 | A | online | 5/1 09:00 | 10 | 20/1 | 15/1 10:00 | early |
    | 2 | A | online | 12/1 10:00 | 10 | 26/1 | 26/1 16:00 | on time (on the due date) |
    | 3 | A | in person | 2/2 08:00 | 9 | 16/2 | 17/2 00:30 (UTC 16/2 17:30) | late |
    | 4 | A | in person | 10/2 14:00 | 3 | – | – | refused |
    | 5 | A | post | 2/3 09:00 | 4 | 16/3 | – | in progress, overdue |
    | 6 | A | online | 31/3 23:30 (UTC 31/3 16:30) | 4 | 15/4 | – | in progress, due today |
    | 7 | A | online | 1/4 00:30 (UTC 31/3 17:30) | 2 | 16/4 | – | in progress, Q2 |
    | 8 | B | in person | 20/1 10:00 | 10 | 3/2 | 3/2 09:00 | on time |
    | 9 | B | in person | 24/2 09:00 | 5 | 10/3 | – | paused 5/3: not overdue |
    | 10 | B | online | 3/3 15:00 | 7 | – | – | withdrawn |
    | 11 | B | post | 10/3 09:00 | 10 | 24/3 | 20/3 | early |
    | 12 | B | online | 16/3 09:00 | 9 | – | 18/3 | processed, no due date |
    | 13 | A | online | 31/12/2025 23:30 | 10 | 14/1/2026 | 9/1/2026 | year 2025 |
    """
    a, b = agencies
    rows = [
        make_dossier(
            a,
            submitted=local(2026, 1, 5),
            channel="online",
            status=10,
            due=date(2026, 1, 20),
            finished=local(2026, 1, 15, 10),
            returned=local(2026, 1, 16, 8),
        ),
        make_dossier(
            a,
            submitted=local(2026, 1, 12, 10),
            channel="online",
            status=10,
            due=date(2026, 1, 26),
            finished=local(2026, 1, 26, 16),
            returned=local(2026, 1, 27, 8),
        ),
        make_dossier(
            a,
            submitted=local(2026, 2, 2, 8),
            channel="in_person",
            status=9,
            procedure=BUILDING,
            due=date(2026, 2, 16),
            finished=datetime(2026, 2, 16, 17, 30, tzinfo=UTC),
        ),
        make_dossier(a, submitted=local(2026, 2, 10, 14), channel="in_person", status=3, procedure=BUILDING),
        make_dossier(
            a, submitted=local(2026, 3, 2), channel="post", status=4, procedure=BUILDING, due=date(2026, 3, 16)
        ),
        make_dossier(
            a, submitted=datetime(2026, 3, 31, 16, 30, tzinfo=UTC), channel="online", status=4, due=date(2026, 4, 15)
        ),
        make_dossier(
            a, submitted=datetime(2026, 3, 31, 17, 30, tzinfo=UTC), channel="online", status=2, due=date(2026, 4, 16)
        ),
        make_dossier(
            b,
            submitted=local(2026, 1, 20, 10),
            channel="in_person",
            status=10,
            due=date(2026, 2, 3),
            finished=local(2026, 2, 3, 9),
            returned=local(2026, 2, 4, 9),
        ),
        make_dossier(
            b,
            submitted=local(2026, 2, 24),
            channel="in_person",
            status=5,
            procedure=COPY,
            due=date(2026, 3, 10),
            paused=local(2026, 3, 5, 10),
        ),
        make_dossier(b, submitted=local(2026, 3, 3, 15), channel="online", status=7, procedure=BUILDING),
        make_dossier(
            b,
            submitted=local(2026, 3, 10),
            channel="post",
            status=10,
            procedure=COPY,
            due=date(2026, 3, 24),
            finished=local(2026, 3, 20, 14),
            returned=local(2026, 3, 20, 15),
        ),
        make_dossier(
            b, submitted=local(2026, 3, 16), channel="online", status=9, procedure=COPY, finished=local(2026, 3, 18, 10)
        ),
        make_dossier(
            a,
            submitted=local(2025, 12, 31, 23, 30),
            channel="online",
            status=10,
            due=date(2026, 1, 14),
            finished=local(2026, 1, 9, 10),
            returned=local(2026, 1, 9, 11),
        ),
    ]
    return rows


def counts(row) -> tuple:
    """(received, online, in person, post, processed, early, on time, late, undated,
    in progress, in progress on time, overdue, closed, online %, on-time %)."""
    return (
        row.received,
        row.received_online,
        row.received_in_person,
        row.received_post,
        row.processed,
        row.processed_early,
        row.processed_on_time,
        row.processed_late,
        row.processed_undated,
        row.in_progress,
        row.in_progress_on_time,
        row.in_progress_overdue,
        row.closed_without_result,
        row.online_share,
        row.on_time_rate,
    )


A_Q1 = (6, 3, 2, 1, 3, 1, 1, 1, 0, 2, 1, 1, 1, Decimal("50.0"), Decimal("66.7"))
B_Q1 = (5, 2, 2, 1, 3, 1, 1, 0, 1, 1, 1, 0, 1, Decimal("40.0"), Decimal("100.0"))
PROVINCE_Q1 = (11, 5, 4, 2, 6, 2, 2, 1, 1, 3, 2, 1, 2, Decimal("45.5"), Decimal("80.0"))


# -- selectors -----------------------------------------------------------------------------


def test_percent_rounds_half_up_to_one_decimal():
    assert percent(2, 3) == Decimal("66.7")
    assert percent(5, 11) == Decimal("45.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25: half up, not half to even
    assert percent(0, 4) == Decimal("0.0")
    assert percent(3, 0) is None


def test_period_bounds_are_local_midnights():
    low, high = local_bounds(date(2026, 1, 1), date(2026, 3, 31))
    assert low == datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert high == datetime(2026, 3, 31, 17, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        local_bounds(date(2026, 4, 1), date(2026, 3, 31))


def test_fixed_offset_of_postgresql_matches_the_zone_for_every_month_from_2018_to_2040():
    # The PostgreSQL path takes local dates with LOCAL_OFFSET instead of the zone's rules.
    months = [datetime(year, month, 1, 12) for year in range(2018, 2041) for month in range(1, 13)]
    assert {VN.utcoffset(moment) for moment in months} == {LOCAL_OFFSET}


def test_first_quarter_per_agency_counted_by_hand(dossiers, agencies):
    a, b = agencies
    rows = agency_statistics(**Q1, today=TODAY)
    assert [(row.agency_id, row.name, row.slug) for row in rows] == [(a.pk, a.name, a.slug), (b.pk, b.name, b.slug)]
    assert counts(rows[0]) == A_Q1
    assert counts(rows[1]) == B_Q1


def test_province_totals_equal_the_sum_of_the_agencies(dossiers):
    totals = province_totals(**Q1, today=TODAY)
    assert counts(totals) == PROVINCE_Q1
    assert totals == Figures.total(agency_statistics(**Q1, today=TODAY))


def test_dossier_at_0030_local_on_1_april_is_in_the_second_quarter(dossiers, agencies):
    a, _ = agencies
    rows = agency_statistics(start=date(2026, 4, 1), end=date(2026, 6, 30), today=TODAY)
    assert [
        (row.agency_id, row.received, row.received_online, row.in_progress, row.in_progress_overdue) for row in rows
    ] == [(a.pk, 1, 1, 1, 0)]


def test_dossier_at_2330_local_on_31_march_is_in_march(dossiers):
    march = province_totals(start=date(2026, 3, 31), end=date(2026, 3, 31), today=TODAY)
    assert (march.received, march.received_online, march.in_progress) == (1, 1, 1)


def test_year_to_date_and_the_previous_year(dossiers, agencies):
    a, _ = agencies
    year = province_totals(start=date(2026, 1, 1), end=TODAY, today=TODAY)
    assert (year.received, year.received_online, year.online_share, year.in_progress) == (12, 6, Decimal("50.0"), 4)
    first = agency_statistics(start=date(2026, 1, 1), end=TODAY, today=TODAY)[0]
    assert (first.agency_id, first.received, first.received_online, first.online_share) == (a.pk, 7, 4, Decimal("57.1"))
    last_year = province_totals(start=date(2025, 1, 1), end=date(2025, 12, 31), today=TODAY)
    assert (last_year.received, last_year.processed_early) == (1, 1)


def test_overdue_depends_on_today(dossiers):
    # On 15/4 #6 is due today (on time); on 16/4 it is overdue too, and #7 is due that day.
    assert province_totals(**Q1, today=date(2026, 4, 16)).in_progress_overdue == 2
    # On 16/3, #5's due date, nothing is overdue yet.
    assert province_totals(**Q1, today=date(2026, 3, 16)).in_progress_overdue == 0


def test_dossier_paused_after_its_due_date_stays_overdue(dossiers):
    paused = Dossier.objects.get(paused_at__isnull=False)
    paused.paused_at = local(2026, 3, 11, 8)  # the day after its due date 10/3
    paused.save(update_fields=["paused_at"])
    totals = province_totals(**Q1, today=TODAY)
    assert (totals.in_progress, totals.in_progress_overdue) == (3, 2)


def test_filters_by_agency_and_procedure(dossiers, agencies):
    a, b = agencies
    assert counts(province_totals(**Q1, agency=b, today=TODAY)) == B_Q1
    assert [row.agency_id for row in agency_statistics(**Q1, agency=a.pk, today=TODAY)] == [a.pk]
    # Building permits of A in Q1: #3 late, #4 refused, #5 overdue.
    (row,) = agency_statistics(**Q1, procedure_code=BUILDING[0], agency=a, today=TODAY)
    assert (row.received, row.processed_late, row.closed_without_result, row.in_progress_overdue) == (3, 1, 1, 1)
    assert row.on_time_rate == Decimal("0.0")


def test_procedure_statistics_of_one_agency(dossiers, agencies):
    a, _ = agencies
    rows = procedure_statistics(**Q1, agency=a, today=TODAY)
    # Three dossiers each: ties are ordered by procedure code.
    assert [(row.procedure_code, row.name) for row in rows] == [(BIRTH[0], BIRTH[1]), (BUILDING[0], BUILDING[1])]
    # Birth registrations of A in Q1: #1 early, #2 on time, #6 in progress.
    birth = rows[0]
    assert (birth.received, birth.processed_early, birth.processed_on_time, birth.in_progress) == (3, 1, 1, 1)
    assert birth.on_time_rate == Decimal("100.0")


def test_service_year_to_date(dossiers):
    rows = service_year_to_date(year=2026, today=TODAY)
    assert [
        (
            r.procedure_code,
            r.received_online,
            r.resolved,
            r.resolved_early,
            r.resolved_on_time,
            r.resolved_late,
            r.on_time_rate,
            r.received_total,
            r.online_share,
        )
        for r in rows
    ] == [
        # #1 #2 #6 #7 online (#1 early, #2 on time resolved), #8 in person.
        (BIRTH[0], 4, 2, 1, 1, 0, Decimal("100.0"), 5, Decimal("80.0")),
        # #10 online but withdrawn; #3 #4 #5 offline.
        (BUILDING[0], 1, 0, 0, 0, 0, None, 4, Decimal("25.0")),
        # #12 online, resolved without a due date; #9 #11 offline.
        (COPY[0], 1, 1, 0, 0, 0, None, 3, Decimal("33.3")),
    ]
    assert [
        (r.procedure_code, r.received_online, r.resolved_early) for r in service_year_to_date(year=2025, today=TODAY)
    ] == [(BIRTH[0], 1, 1)]
    assert service_year_to_date(year=2027, today=TODAY) == []
    assert [r.procedure_code for r in service_year_to_date(year=2026, today=TODAY, limit=1, offset=1)] == [BUILDING[0]]


def test_selectors_use_a_fixed_number_of_queries(dossiers, django_assert_num_queries):
    # Statuses, then the counts per group and class, then names: never a query per dossier.
    with django_assert_num_queries(3):
        agency_statistics(**Q1, today=TODAY)
    with django_assert_num_queries(2):
        province_totals(**Q1, today=TODAY)
    with django_assert_num_queries(3):
        service_year_to_date(year=2026, today=TODAY)


# -- pages ---------------------------------------------------------------------------------


class Tables(HTMLParser):
    """The text of each table row by table id: ``{id: {row header: [cell texts]}}``; captions too."""

    def __init__(self, html: str):
        super().__init__()
        self.tables, self.captions, self.figures = {}, {}, {}
        self._table = self._row = self._cell = self._figure = None
        self._in_caption = False
        self.row_scopes = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = {}
        elif tag == "caption":
            self._in_caption = True
            self.captions[self._table] = ""
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = ""
            self.row_scopes += attrs.get("scope") == "row"
        elif tag == "dd" and "data-figure" in attrs:
            self._figure = attrs["data-figure"]
            self.figures[self._figure] = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.tables[self._table][self._row[0]] = self._row[1:]
            self._row = None
        elif tag == "dd":
            self._figure = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._in_caption:
            self.captions[self._table] += data
        if self._figure:
            self.figures[self._figure] += data.strip()


def cells(row: tuple) -> list[str]:
    """The page's cells for ``counts(row)`` without the undated column: Vietnamese decimals."""
    values = [*row[:8], *row[9:13]]
    rates = ["—" if rate is None else str(rate).replace(".", ",") for rate in row[13:]]
    return [str(v) for v in values] + rates


def test_statistics_page_first_quarter(client, dossiers, agencies):
    a, b = agencies
    response = client.get("/thong-ke/", {"nam": "2026", "ky": "q1"})
    assert response.status_code == 200
    page = Tables(response.content.decode())
    assert page.captions["stats-agencies"].strip() == "Theo cơ quan tiếp nhận, kèm tổng cộng toàn tỉnh"
    table = page.tables["stats-agencies"]
    assert table[a.name] == cells(A_Q1)
    assert table[b.name] == cells(B_Q1)
    assert table["Tổng cộng toàn tỉnh"] == cells(PROVINCE_Q1)
    assert page.figures == {
        "received": "11",
        "processed": "6",
        "on_time_rate": "80,0%",
        "in_progress": "3 (1)",
        "online_share": "45,5%",
    }
    html = response.content.decode()
    assert "Quý I năm 2026" in html
    assert "01/01/2026 – 31/03/2026" in html
    assert 'scope="colgroup"' in html and page.row_scopes >= 3
    # The two charts' tables: on time vs late per agency, and channels with their shares.
    assert page.tables["table-1"] == {
        "Cơ quan": ["Trước hạn và đúng hạn", "Quá hạn", "Tỷ lệ đúng hạn (%)"],
        a.name: ["2", "1", "66,7"],
        b.name: ["2", "0", "100,0"],
    }
    assert page.tables["chart-channels-table"] == {
        "Hình thức nộp": ["Số hồ sơ", "Tỷ lệ (%)"],
        "Trực tuyến": ["5", "45,5"],
        "Trực tiếp": ["4", "36,4"],
        "Bưu chính": ["2", "18,2"],
    }
    chart = json.loads(html.split('id="statistics-chart-data" type="application/json">')[1].split("</script>")[0])
    assert chart["bars"] == [
        {"label": a.name, "in_time": 2, "late": 1},
        {"label": b.name, "in_time": 2, "late": 0},
    ]
    assert [c["value"] for c in chart["channels"]] == [5, 4, 2]
    assert "services/vendor/chart.umd.min.js" in html and "services/statistics.js" in html


def test_statistics_page_defaults_to_this_year_to_date(client, dossiers):
    response = client.get("/thong-ke/")
    assert response.status_code == 200
    page = Tables(response.content.decode())
    assert page.figures["received"] == "12"
    assert page.figures["online_share"] == "50,0%"
    assert "Năm 2026 (đến ngày 15/04/2026)" in response.content.decode()


def test_statistics_page_filtered_by_agency_lists_its_procedures(client, dossiers, agencies):
    a, b = agencies
    response = client.get("/thong-ke/", {"co_quan": a.slug, "nam": "2026", "ky": "q1"})
    assert response.status_code == 200
    page = Tables(response.content.decode())
    assert list(page.tables["stats-agency"]) == ["Cơ quan", "Tổng số", a.name]
    assert page.tables["stats-agency"][a.name] == cells(A_Q1)
    procedures = page.tables["stats-procedures"]
    assert procedures[f"{BUILDING[0]} {BUILDING[1]}"][:8] == ["3", "0", "2", "1", "1", "0", "0", "1"]
    assert procedures[f"{BIRTH[0]} {BIRTH[1]}"][:8] == ["3", "3", "0", "0", "2", "1", "1", "0"]
    assert all(b.name not in table for table in page.tables.values())
    assert "Tổng cộng toàn tỉnh" not in page.tables["stats-agency"]


def test_statistics_page_custom_dates_and_month(client, dossiers):
    response = client.get("/thong-ke/", {"tu_ngay": "2026-04-01", "den_ngay": "2026-04-15"})
    assert Tables(response.content.decode()).figures["received"] == "1"
    response = client.get("/thong-ke/", {"nam": "2026", "ky": "t3"})
    # March: #5 #6 (A), #9 is February; #10 #11 #12 (B).
    assert Tables(response.content.decode()).figures["received"] == "5"


@pytest.mark.parametrize(
    "query, message",
    [
        ({"tu_ngay": "2026-04-15", "den_ngay": "2026-04-01"}, "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."),
        ({"tu_ngay": "2025-01-01", "den_ngay": "2026-04-01"}, "Mỗi lần thống kê tối đa 366 ngày."),
        ({"tu_ngay": "2026-04-01"}, "Nhập cả ngày bắt đầu và ngày kết thúc."),
        ({"co_quan": "khong-co"}, "Không có cơ quan này trong danh sách; hãy chọn lại."),
        ({"ky": "q5"}, "Hãy chọn cả năm, một quý hoặc một tháng."),
        ({"nam": "1999"}, "Hãy chọn một năm trong danh sách."),
    ],
)
def test_statistics_page_refuses_an_invalid_filter(client, dossiers, query, message):
    response = client.get("/thong-ke/", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'data-figure="received"' not in html


def test_statistics_page_figures_are_cached_per_filter(client, dossiers, agencies, settings):
    a, _ = agencies
    query = {"nam": "2026", "ky": "q2"}
    assert Tables(client.get("/thong-ke/", query).content.decode()).figures["received"] == "1"
    make_dossier(a, submitted=local(2026, 4, 2), channel="post", status=1)
    assert Tables(client.get("/thong-ke/", query).content.decode()).figures["received"] == "1"
    # Another filter combination is computed afresh.
    other = {"tu_ngay": "2026-03-31", "den_ngay": "2026-04-15"}  # #6, #7 and the new one
    assert Tables(client.get("/thong-ke/", other).content.decode()).figures["received"] == "3"
    settings.STATISTICS_CACHE_SECONDS = 0
    assert Tables(client.get("/thong-ke/", query).content.decode()).figures["received"] == "2"


def test_statistics_page_without_dossiers(client, db):
    response = client.get("/thong-ke/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Không có hồ sơ nào nộp trong kỳ này." in html
    assert "chart.umd.min.js" not in html


def test_vendored_chart_library_is_served(client):
    path = finders.find("services/vendor/chart.umd.min.js")
    assert path and "Chart.js v4" in open(path, encoding="utf-8").read(200)
    assert finders.find("services/vendor/chart.LICENSE.md")
    assert finders.find("services/statistics.js")


def test_online_services_page(client, dossiers):
    response = client.get("/thong-ke/dich-vu-truc-tuyen/", {"nam": "2026"})
    assert response.status_code == 200
    table = Tables(response.content.decode()).tables["stats-services"]
    assert table[f"{BIRTH[0]} {BIRTH[1]}"] == ["4", "2", "100,0", "5", "80,0"]
    assert table[f"{BUILDING[0]} {BUILDING[1]}"] == ["1", "0", "—", "4", "25,0"]
    assert table[f"{COPY[0]} {COPY[1]}"] == ["1", "1", "—", "3", "33,3"]
    previous = Tables(client.get("/thong-ke/dich-vu-truc-tuyen/", {"nam": "2025"}).content.decode())
    assert list(previous.tables["stats-services"])[1:] == [f"{BIRTH[0]} {BIRTH[1]}"]


# -- JSON API ------------------------------------------------------------------------------


def api_counts(row: dict) -> tuple:
    """``counts`` of an API row (rates as Decimal strings for the comparison)."""
    rate = lambda value: None if value is None else Decimal(str(value))  # noqa: E731
    return (
        row["received"]["total"],
        row["received"]["online"],
        row["received"]["in_person"],
        row["received"]["post"],
        row["processed"]["total"],
        row["processed"]["early"],
        row["processed"]["on_time"],
        row["processed"]["late"],
        row["processed"]["without_due_date"],
        row["in_progress"]["total"],
        row["in_progress"]["on_time"],
        row["in_progress"]["overdue"],
        row["closed_without_result"],
        rate(row["online_share"]),
        rate(row["on_time_rate"]),
    )


def test_api_agencies_returns_the_page_numbers(client, dossiers, agencies):
    a, b = agencies
    body = client.get("/api/statistics/agencies", {"start": "2026-01-01", "end": "2026-03-31"}).json()
    assert (body["start"], body["end"], body["today"], body["agency"], body["by"]) == (
        "2026-01-01",
        "2026-03-31",
        "2026-04-15",
        None,
        "agency",
    )
    assert [(row["key"], row["name"]) for row in body["rows"]] == [(a.slug, a.name), (b.slug, b.name)]
    assert api_counts(body["rows"][0]) == A_Q1
    assert api_counts(body["rows"][1]) == B_Q1
    assert api_counts(body["totals"]) == PROVINCE_Q1
    assert body["totals"]["on_time_rate"] == 80.0


def test_api_agencies_filters(client, dossiers, agencies):
    a, b = agencies
    body = client.get("/api/statistics/agencies", {"start": "2026-01-01", "end": "2026-03-31", "agency": b.slug}).json()
    assert body["agency"] == {"slug": b.slug, "name": b.name}
    assert [row["key"] for row in body["rows"]] == [b.slug]
    assert api_counts(body["totals"]) == B_Q1
    by_procedure = client.get(
        "/api/statistics/agencies", {"start": "2026-01-01", "end": "2026-03-31", "agency": a.slug, "by": "procedure"}
    ).json()
    assert [(row["key"], row["received"]["total"]) for row in by_procedure["rows"]] == [(BIRTH[0], 3), (BUILDING[0], 3)]
    assert api_counts(by_procedure["totals"]) == A_Q1
    # Default period: this year to date.
    assert client.get("/api/statistics/agencies").json()["totals"]["received"]["total"] == 12


def test_api_agencies_errors(client, dossiers):
    response = client.get("/api/statistics/agencies", {"start": "2026-04-15", "end": "2026-04-01"})
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."},
    )
    assert client.get("/api/statistics/agencies", {"start": "2025-01-01", "end": "2026-03-01"}).status_code == 400
    assert client.get("/api/statistics/agencies", {"agency": "khong-co"}).status_code == 404
    assert client.get("/api/statistics/agencies", {"start": "31/03/2026"}).status_code == 422


def test_api_services(client, dossiers):
    body = client.get("/api/statistics/services", {"year": 2026}).json()
    assert (body["year"], body["start"], body["end"], body["has_more"]) == (2026, "2026-01-01", "2026-04-15", False)
    assert body["rows"][0] == {
        "procedure_code": BIRTH[0],
        "name": BIRTH[1],
        "received_online": 4,
        "resolved": 2,
        "resolved_early": 1,
        "resolved_on_time": 1,
        "resolved_late": 0,
        "on_time_rate": 100.0,
        "received_total": 5,
        "online_share": 80.0,
    }
    page = client.get("/api/statistics/services", {"year": 2026, "limit": 2}).json()
    assert ([row["procedure_code"] for row in page["rows"]], page["has_more"]) == ([BIRTH[0], BUILDING[0]], True)
    assert client.get("/api/statistics/services", {"year": 2027}).status_code == 400
    assert client.get("/api/statistics/services", {"limit": 1000}).status_code == 400


def test_openapi_schema_documents_the_statistics_endpoints(db, client):
    schema = client.get("/api/openapi.json").json()
    agencies = schema["paths"]["/api/statistics/agencies"]["get"]
    assert {p["name"] for p in agencies["parameters"]} == {"start", "end", "agency", "by"}
    assert set(agencies["responses"]) == {"200", "400", "404"}
    assert "statistics" in agencies["tags"]
    services = schema["paths"]["/api/statistics/services"]["get"]
    assert {p["name"] for p in services["parameters"]} == {"year", "limit", "offset"}


# -- snapshots (the hourly recount the public pages read) -----------------------------------


def snapshot_on(day: date, hour: int = 10):
    """A snapshot taken at ``hour`` local time on ``day``."""
    return statistics_snapshot_take(now=local(day.year, day.month, day.day, hour))


def test_snapshot_sums_to_the_hand_counted_figures_of_whole_months(dossiers, agencies):
    a, b = agencies
    snapshot = snapshot_on(TODAY)
    # 13 dossiers, judged on 15/4 like the live figures.
    assert (snapshot.today, snapshot.dossiers) == (TODAY, 13)
    rows = agency_statistics(**Q1, today=date(2030, 1, 1), snapshot=snapshot)  # today ignored: the snapshot's day
    assert [row.agency_id for row in rows] == [a.pk, b.pk]
    assert counts(rows[0]) == A_Q1
    assert counts(rows[1]) == B_Q1
    assert counts(province_totals(**Q1, snapshot=snapshot)) == PROVINCE_Q1
    # Local months: #6 (23:30 on 31/3) is March, #7 (00:30 on 1/4) April, #13 (23:30 on 31/12/2025) 2025.
    q2 = province_totals(start=date(2026, 4, 1), end=TODAY, snapshot=snapshot)
    assert (q2.received, q2.received_online, q2.in_progress) == (1, 1, 1)
    last_year = province_totals(start=date(2025, 12, 1), end=date(2025, 12, 31), snapshot=snapshot)
    assert (last_year.received, last_year.processed_early) == (1, 1)


def test_snapshot_gives_procedure_names_and_online_services(dossiers, agencies):
    a, _ = agencies
    snapshot = snapshot_on(TODAY)
    procedures = procedure_statistics(**Q1, agency=a, snapshot=snapshot)
    # A in Q1: BUILDING #3 #4 #5, BIRTH #1 #2 #6.
    assert [(row.procedure_code, row.name, row.received, row.received_online) for row in procedures] == [
        (BIRTH[0], BIRTH[1], 3, 3),
        (BUILDING[0], BUILDING[1], 3, 0),
    ]
    rows = service_year_to_date(year=2026, today=TODAY, snapshot=snapshot)
    assert [(r.procedure_code, r.received_online, r.resolved, r.received_total) for r in rows] == [
        (BIRTH[0], 4, 2, 5),
        (BUILDING[0], 1, 0, 4),
        (COPY[0], 1, 1, 3),
    ]


def test_snapshot_judges_overdue_on_its_own_day(dossiers):
    # #5 (due 16/3) is overdue on 15/4; on 16/3 it is still on time, and #6 #7 are not yet submitted
    # in a snapshot of 16/3: they are counted anyway (the snapshot counts every dossier present).
    snapshot = snapshot_on(date(2026, 3, 16))
    q1 = province_totals(**Q1, snapshot=snapshot)
    assert (q1.in_progress, q1.in_progress_overdue) == (3, 0)


def test_snapshot_covers_only_whole_months_or_periods_to_its_day(dossiers):
    snapshot = snapshot_on(TODAY)
    assert snapshot_covers(snapshot, date(2026, 1, 1), date(2026, 3, 31))
    assert snapshot_covers(snapshot, date(2026, 2, 1), date(2026, 2, 28))
    assert snapshot_covers(snapshot, date(2026, 4, 1), TODAY)  # April to date
    assert not snapshot_covers(snapshot, date(2026, 4, 1), date(2026, 4, 14))  # a day short of its day
    assert not snapshot_covers(snapshot, date(2026, 1, 2), date(2026, 3, 31))
    assert not snapshot_covers(snapshot, date(2026, 1, 1), date(2026, 3, 30))
    # A custom period that is not whole months is counted live, even with a snapshot.
    live = province_totals(start=date(2026, 3, 31), end=date(2026, 3, 31), snapshot=snapshot, today=TODAY)
    assert (live.received, live.in_progress) == (1, 1)


def test_new_snapshot_replaces_the_old_one(dossiers, agencies):
    a, _ = agencies
    first = snapshot_on(TODAY, 9)
    make_dossier(a, submitted=local(2026, 4, 15, 9, 30), channel="post", status=1)
    second = snapshot_on(TODAY, 10)
    assert list(StatisticsSnapshot.objects.values_list("pk", flat=True)) == [second.pk]
    assert not DossierMonthlyCount.objects.filter(snapshot_id=first.pk).exists()
    assert second.dossiers == 14
    april = province_totals(start=date(2026, 4, 1), end=TODAY, snapshot=second)
    assert (april.received, april.received_post) == (2, 1)


def test_statistics_page_reads_a_fresh_snapshot_and_says_when_it_was_taken(client, dossiers, agencies, settings):
    settings.STATISTICS_CACHE_SECONDS = 0
    a, _ = agencies
    snapshot_on(TODAY, 6)
    # A dossier submitted after the snapshot is not in the whole-month figures until the next one.
    make_dossier(a, submitted=local(2026, 4, 15, 9), channel="post", status=1)
    response = client.get("/thong-ke/", {"nam": "2026", "ky": "q2"})
    html = response.content.decode()
    assert Tables(html).figures["received"] == "1"
    assert "Số liệu tổng hợp lúc 06:00 ngày 15/04/2026" in html
    # Dates that are not whole months are counted live: #6 (31/3), #7 and the new dossier.
    response = client.get("/thong-ke/", {"tu_ngay": "2026-03-31", "den_ngay": "2026-04-15"})
    assert Tables(response.content.decode()).figures["received"] == "3"
    assert "Số liệu tổng hợp lúc" not in response.content.decode()
    api = client.get("/api/statistics/agencies", {"start": "2026-04-01", "end": "2026-06-30"}).json()
    assert (api["totals"]["received"]["total"], api["today"]) == (1, "2026-04-15")


def test_statistics_page_ignores_a_stale_snapshot(client, dossiers, agencies, settings):
    settings.STATISTICS_CACHE_SECONDS = 0
    a, _ = agencies
    snapshot_on(date(2026, 4, 13))  # two days before TODAY: older than STATISTICS_SNAPSHOT_MAX_AGE_DAYS = 1
    make_dossier(a, submitted=local(2026, 4, 14, 9), channel="post", status=1)
    html = client.get("/thong-ke/", {"nam": "2026", "ky": "q2"}).content.decode()
    assert Tables(html).figures["received"] == "2"
    assert "Số liệu tổng hợp lúc" not in html


def test_snapshot_command_reports_what_it_counted(dossiers):
    out = io.StringIO()
    call_command("dossier_statistics_snapshot", stdout=out)
    snapshot = StatisticsSnapshot.objects.get()
    assert snapshot.dossiers == 13
    assert out.getvalue().startswith("Đã tổng hợp 13 hồ sơ")


def test_main_navigation_links_the_statistics(client, db):
    html = client.get("/thong-ke/").content.decode()
    assert '<a href="/thong-ke/" aria-current="page">Thống kê</a>' in html
    html = client.get("/thong-ke/dich-vu-truc-tuyen/").content.decode()
    assert '<a href="/thong-ke/" aria-current="true">Thống kê</a>' in html


def test_an_apology_moves_the_appointment_not_the_time_limit(agencies):
    """Form 04 gives a new date to a dossier that will be overdue; it stays judged by its time limit.

    #1 due 16/3 (first given), moved to 20/3, finished 18/3: late (after 16/3), though before 20/3.
    #2 due 16/3 moved to 20/3, finished 16/3: on time. #3 due 10/4 moved to 20/4, still in
    progress on 15/4: overdue. #4 without an apology, due 20/4, in progress: on time.
    """
    a, _ = agencies
    march = {"channel": "in_person", "status": 10}
    for finished in (local(2026, 3, 18), local(2026, 3, 16)):
        d = make_dossier(a, submitted=local(2026, 3, 2), due=date(2026, 3, 20), finished=finished, **march)
        Dossier.objects.filter(pk=d.pk).update(original_due_date=date(2026, 3, 16), due_date_extended=True)
    d = make_dossier(a, submitted=local(2026, 3, 27), channel="online", status=4, due=date(2026, 4, 20))
    Dossier.objects.filter(pk=d.pk).update(original_due_date=date(2026, 4, 10), due_date_extended=True)
    make_dossier(a, submitted=local(2026, 3, 30), channel="online", status=4, due=date(2026, 4, 20))
    totals = province_totals(**Q1, today=TODAY)
    assert (totals.processed_on_time, totals.processed_late, totals.in_progress, totals.in_progress_overdue) == (
        1,
        1,
        2,
        1,
    )
    assert totals.on_time_rate == Decimal("50.0")
    # The snapshot counts them alike.
    assert province_totals(**Q1, snapshot=snapshot_on(TODAY)) == totals


@pytest.mark.parametrize(
    "query",
    [
        {"tu_ngay": "9999-12-31", "den_ngay": "9999-12-31"},
        {"tu_ngay": "0001-01-01", "den_ngay": "0001-01-02"},
        {"tu_ngay": "2017-12-31", "den_ngay": "2018-01-05"},
    ],
)
def test_statistics_page_refuses_dates_outside_the_reportable_years(client, db, query):
    # TODAY is 15/4/2026: from 01/01/2018 to 31/12/2027.
    response = client.get("/thong-ke/", query)
    assert response.status_code == 400
    assert "Chỉ thống kê được các ngày từ 01/01/2018 đến 31/12/2027." in response.content.decode()
    api = client.get("/api/statistics/agencies", {"start": query["tu_ngay"], "end": query["den_ngay"]})
    assert api.status_code == 400
    assert api.json()["detail"] == "Chỉ thống kê được các ngày từ 01/01/2018 đến 31/12/2027."


def test_statistics_page_takes_day_month_year_dates_and_any_agency(client, dossiers, db):
    html = client.get("/thong-ke/", {"tu_ngay": "01/04/2026", "den_ngay": "15/04/2026"}).content.decode()
    assert Tables(html).figures["received"] == "1"
    quiet = Agency.objects.create(name="Sở Y tế", identifier="000.00.30.H36")
    response = client.get("/thong-ke/", {"co_quan": quiet.slug, "nam": "2026"})
    assert response.status_code == 200
    assert Tables(response.content.decode()).figures["received"] == "0"  # zero, not an error


@pytest.mark.parametrize("year", ["abc", "99999", "2017"])
def test_online_services_page_refuses_an_unknown_year(client, db, year):
    response = client.get("/thong-ke/dich-vu-truc-tuyen/", {"nam": year})
    assert response.status_code == 400
    assert "Hãy chọn một năm từ 2018 đến 2026." in response.content.decode()


def test_api_services_refuses_year_zero(client, db):
    response = client.get("/api/statistics/services", {"year": 0})
    assert response.status_code == 400
