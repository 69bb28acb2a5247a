"""Recompute and publication of results (Circular 01/2018 Art 15, Decree 61/2018 Art 32).

The data and the per-dossier scores are in ``results_builders`` (module docstring); the
aggregates below are worked out by hand from them.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from evaluation.models import AgencyResult, OfficerResult, ProcedureResult, ResultPeriod
from evaluation.publication import (
    ResultsError,
    published_agency_results,
    published_period,
    published_periods,
    published_procedure_results,
    results_publish,
    results_recompute,
)
from evaluation.scoring import AgencyClass, OfficerBand
from tests.evaluation.results_builders import evaluate, first_quarter

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter():
    return first_quarter()


@pytest.fixture
def admin():
    user = get_user_model().objects.create_user(username="quantri", first_name="Hà", last_name="Phạm")
    user.user_permissions.add(Permission.objects.get(codename="publish_results"))
    return get_user_model().objects.get(pk=user.pk)


def test_recompute_scores_each_agency_as_worked_out_by_hand(quarter):
    period = results_recompute(year=2026, quarter=1, today=date(2026, 4, 5))
    a = AgencyResult.objects.get(period=period, agency=quarter["a"])
    # A1–A5 finished in Q1 (A6 on 1/4 local time, A7 refused): 5 dossiers, 2 evaluated.
    assert (a.dossiers, a.evaluations) == (5, 2)
    # i1: 2+1+0+2 = 5 over 4 (A5 has no due date) = 1.25 -> 1.3
    # i2: 2+0+2+2 = 6 / 4 = 1.5; i3: 2+1 = 3/2 = 1.5; i4: 1+2 = 1.5; i7: 2+0 = 1.0
    # self-assessment: 5 = 2.0, 6 = 2.0, 8 = 1.0, 9 = 1.0
    assert [a.index_1, a.index_2, a.index_3, a.index_4, a.index_7] == [D("1.3"), D("1.5"), D("1.5"), D("1.5"), D("1.0")]
    assert [a.index_5, a.index_6, a.index_8, a.index_9] == [D("2.0"), D("2.0"), D("1.0"), D("1.0")]
    # 1.3 + 1.5 + 1.5 + 1.5 + 1.0 + 2.0 + 2.0 + 1.0 + 1.0 = 12.8 -> Tốt (12 <= x < 15)
    assert a.total == D("12.8")
    assert a.classification == AgencyClass.GOOD
    assert a.tallies["1"] == [5, 4] and a.tallies["5"] == [2, 1]
    b = AgencyResult.objects.get(period=period, agency=quarter["b"])
    # B1 alone: 2.0 x 5 = 10.0; its self-assessment is a draft: 5, 6, 8, 9 excluded -> Khá
    assert (b.total, b.index_5, b.classification) == (D("10.0"), None, AgencyClass.FAIR)
    assert (a.rank, b.rank) == (1, 2)
    assert period.dossiers == 6


def test_recompute_estimates_decision_766_groups(quarter):
    period = results_recompute(year=2026, quarter=1, today=date(2026, 4, 5))
    groups = {g["key"]: g for g in AgencyResult.objects.get(period=period, agency=quarter["a"]).groups_766}
    # progress: in time A1, A2, A4 = 3 of 4 dated: 20 x 3/4 = 15.0
    # online service: A1, A2 online of 5 finished: 12 x 2/5 = 4.8
    # satisfaction: 2 and 1 satisfied, 0 not: 18 x 2/3 = 12.0
    assert (groups["progress"]["points"], groups["online_service"]["points"], groups["satisfaction"]["points"]) == (
        "15.0",
        "4.8",
        "12.0",
    )
    assert groups["online_payment"]["points"] is None and groups["digitisation"]["points"] is None


def test_recompute_scores_procedures_and_officers(quarter):
    period = results_recompute(year=2026, quarter=1, today=date(2026, 4, 5))
    p = ProcedureResult.objects.get(period=period, procedure_code="1.001")
    # A1, A2, A3: i1 (2+1+0)/3 = 1.0; i2 (2+0+2)/3 = 1.33 -> 1.3; i3 1.5; i4 1.5; i7 1.0; total 6.3
    assert [p.index_1, p.index_2, p.index_3, p.index_4, p.index_7, p.total] == [
        D("1.0"),
        D("1.3"),
        D("1.5"),
        D("1.5"),
        D("1.0"),
        D("6.3"),
    ]
    officer = OfficerResult.objects.get(period=period)
    # A1, A2: i1 (2+1)/2 = 1.5; i2 (2+0)/2 = 1.0; i3 1.5; i4 1.5; i7 1.0: 6.5 >= 5 -> full completion.
    # Name family name first (last_name "Trần" + first_name "Lan"), as Vietnamese write it.
    assert (officer.officer_name, officer.dossiers, officer.total, officer.band) == (
        "Trần Lan",
        2,
        D("6.5"),
        OfficerBand.FULL,
    )


@pytest.mark.parametrize(
    ("quarter_", "today", "message"),
    [
        (1, date(2026, 3, 31), "đã kết thúc"),  # Q1 ends today: still open
        (3, date(2026, 4, 5), "đã kết thúc"),  # future quarter
        (0, date(2026, 12, 31), "đã kết thúc"),  # the year is open until 31/12 has passed
        (5, date(2026, 4, 5), "Quý"),
    ],
)
def test_publish_refuses_a_period_not_closed(quarter, admin, quarter_, today, message):
    with pytest.raises(ResultsError, match=message):
        results_publish(year=2026, quarter=quarter_, user=admin, today=today)
    assert not ResultPeriod.objects.filter(status="published").exists()


def test_publish_needs_the_permission(quarter):
    clerk = get_user_model().objects.create_user(username="vanthu")
    with pytest.raises(PermissionDenied):
        results_publish(year=2026, quarter=1, user=clerk, today=date(2026, 4, 5))


def test_published_results_never_change(quarter, admin):
    period = results_publish(year=2026, quarter=1, user=admin, today=date(2026, 4, 5))
    assert (period.status, period.published_by) == ("published", admin)
    assert period.published_at is not None
    before = list(AgencyResult.objects.filter(period=period).values_list("agency_id", "total", "rank"))
    # A late rating of A4 would change agency A's indices 3, 4, 7 if it were counted.
    evaluate(quarter["dossiers"]["A4"], indices={3: 0, 4: 0, 7: 0})
    with pytest.raises(ResultsError, match="đã công bố"):
        results_recompute(year=2026, quarter=1, today=date(2026, 4, 6))
    with pytest.raises(ResultsError, match="đã công bố"):
        results_publish(year=2026, quarter=1, user=admin, today=date(2026, 4, 6))
    assert list(AgencyResult.objects.filter(period=period).values_list("agency_id", "total", "rank")) == before


def test_year_includes_the_dossier_finished_after_midnight_on_1_april(quarter, admin):
    period = results_publish(year=2026, quarter=0, user=admin, today=date(2027, 1, 1))
    a = AgencyResult.objects.get(period=period, agency=quarter["a"])
    # A6 added: due 10/4, finished 1/4 -> i1 2, i2 2. i1: (5 + 2)/5 = 1.4; i2 (6 + 2)/5 = 1.6
    assert (a.dossiers, a.index_1, a.index_2) == (6, D("1.4"), D("1.6"))
    # only Q1 was self-assessed: the year's unit indices are Q1's
    assert (a.index_5, a.index_8) == (D("2.0"), D("1.0"))


def test_selectors_show_only_published_periods_and_rank_within_a_tier(quarter, admin):
    computed = results_recompute(year=2026, quarter=1, today=date(2026, 4, 5))
    assert published_period(year=2026, quarter=1) is None
    with pytest.raises(ValueError):
        published_agency_results(computed)
    period = results_publish(year=2026, quarter=1, user=admin, today=date(2026, 4, 5))
    assert published_period(year=2026, quarter=1) == period
    communes = published_agency_results(period, tier_code="commune")
    # B alone in the commune tier: first there although second in the province
    assert [(row.agency_name, row.rank) for row in communes] == [("UBND xã Lạc Dương", 1)]
    procedures = published_procedure_results(period, agency_id=quarter["a"].pk)
    # 1.001 total 6.3; 1.002 (A4 only scored): 2.0 + 2.0 = 4.0
    assert [(row.procedure_code, row.total) for row in procedures] == [("1.001", D("6.3")), ("1.002", D("4.0"))]


def test_command_recomputes_and_refuses_to_publish_without_a_user(quarter):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("evaluation_results", "recompute", "--year", "2026", "--quarter", "1", stdout=out)
    # A1–A5 and B1 finished in Q1: 6 dossiers
    assert "Quý I năm 2026" in out.getvalue() and "6 hồ sơ" in out.getvalue()
    with pytest.raises(CommandError, match="--user"):
        call_command("evaluation_results", "publish", "--year", "2026", "--quarter", "1")


def test_published_periods_are_listed_newest_first(client, quarter, admin):
    # Published out of order; listed by end date, newest first, a year before its Q4 (same end).
    for year, part in ((2026, 1), (2025, 4), (2026, 2), (2025, 0), (2025, 3)):
        results_publish(year=year, quarter=part, user=admin, today=date(2026, 7, 5))
    expected = [(2026, 2), (2026, 1), (2025, 0), (2025, 4), (2025, 3)]
    assert [(p.year, p.quarter) for p in published_periods()] == expected
    html = client.get("/danh-gia/ket-qua/").content.decode()
    listed = html[html.index("Các kỳ đã công bố") :]
    labels = ["Quý II năm 2026", "Quý I năm 2026", "Năm 2025", "Quý IV năm 2025", "Quý III năm 2025"]
    positions = [listed.index(label) for label in labels]
    assert positions == sorted(positions)
