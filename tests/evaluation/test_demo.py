"""``evaluation.demo.load_evaluation_demo``: a published previous quarter and dossiers left to rate.

Two agencies have online forms (A, then B; 5 working days each). "Now" is 30/11/2026 10:00 in
Vietnam: the previous quarter is Q3/2026 (1/7–30/9), the current one Q4/2026.
"""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from evaluation.demo import load_evaluation_demo
from evaluation.models import AgencyResult, Evaluation, ResultPeriod, SelfAssessment, SelfAssessmentStatus
from services.dossiers.selectors import person_name
from services.models import Dossier, DossierEvent
from tests.services.workflow_builders import AGENCY_A, AGENCY_B, VN, agency_b, online_form

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 30, 10, tzinfo=VN)


@pytest.fixture
def demo_world(catalogue):
    online_form(catalogue)  # agency A
    online_form(catalogue, agency=agency_b(), code="2.000999")
    get_user_model().objects.create_superuser(username="admin", email="admin@example.invalid", password="x")


def test_demo_publishes_the_previous_quarter_and_leaves_dossiers_to_rate(demo_world):
    with time_machine.travel(NOW, tick=False):
        created = load_evaluation_demo(now=NOW)
    # 2 agencies x 3 dossiers of Q3 + 2 of Q4; 2 x 2 ratings; 2 submitted + 1 draft; Q3 published.
    assert {k: v for k, v in created.items() if k != "to_rate"} == {
        "dossiers": 8,
        "evaluations": 4,
        "self_assessments": 3,
        "published": 1,
    }
    # Every demo dossier went through the workflow and was returned.
    dossier = Dossier.objects.order_by("pk").first()
    actions = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id").values_list("action", flat=True))
    assert actions == ["submit", "accept", "assign", "result_ready", "return"]
    assert set(Dossier.objects.values_list("status__code", flat=True)) == {10}
    q3 = [
        d for d in Dossier.objects.all() if date(2026, 7, 1) <= d.finished_at.astimezone(VN).date() <= date(2026, 9, 30)
    ]
    assert len(q3) == 6

    # Two returned Q4 dossiers of agency A, unrated, printed with the applicant's id number.
    assert len(created["to_rate"]) == 2
    for code, id_number in created["to_rate"]:
        dossier = Dossier.objects.get(code=code)
        assert dossier.applicant_id_number == id_number and dossier.receiving_agency.identifier == AGENCY_A
        assert dossier.finished_at.astimezone(VN).date() >= date(2026, 10, 1)
        assert not Evaluation.objects.filter(dossier=dossier).exists()

    # Q3 published by the demo administrator; Q4 has only a draft self-assessment.
    period = ResultPeriod.objects.get(year=2026, quarter=3)
    assert period.is_published and period.published_by.username == "admin"
    assert SelfAssessment.objects.get(year=2026, quarter=4).status == SelfAssessmentStatus.DRAFT
    assert SelfAssessment.objects.filter(year=2026, quarter=3, status=SelfAssessmentStatus.SUBMITTED).count() == 2

    # By hand (demo.py): 3 dossiers each, results 2 calendar days after acceptance with 5 working
    # days allowed -> indices 1 and 2 = 2.0. Ratings: A sets 0 and 1 -> index 3 (2+1)/2 = 1.5,
    # 4 (2+2)/2 = 2.0, 7 (2+1)/2 = 1.5; self-assessment 1, 1, 2, 1; total 2+2+1.5+2+1.5+1+1+2+1 = 14.0 Tốt.
    # B sets 1 and 2 -> 3 (1+2)/2 = 1.5, 4 (2+1)/2 = 1.5, 7 (1+2)/2 = 1.5; self-assessment 2, 2, 1, 2;
    # total 2+2+1.5+1.5+1.5+2+2+1+2 = 15.5 Xuất sắc, rank 1.
    rows = {r.agency.identifier: r for r in AgencyResult.objects.filter(period=period).select_related("agency")}
    a, b = rows[AGENCY_A], rows[AGENCY_B]
    assert [a.index_1, a.index_2, a.index_3, a.index_4, a.index_7] == [
        Decimal(x) for x in ("2", "2", "1.5", "2", "1.5")
    ]
    assert [a.index_5, a.index_6, a.index_8, a.index_9] == [1, 1, 2, 1]
    assert (a.total, a.get_classification_display(), a.rank) == (Decimal("14.0"), "Tốt", 2)
    assert [b.index_3, b.index_4, b.index_7] == [Decimal("1.5")] * 3
    assert [b.index_5, b.index_6, b.index_8, b.index_9] == [2, 2, 1, 2]
    assert (b.total, b.get_classification_display(), b.rank) == (Decimal("15.5"), "Xuất sắc", 1)

    # A second run adds nothing and still offers the same two dossiers.
    with time_machine.travel(NOW, tick=False):
        again = load_evaluation_demo(now=NOW)
    assert again == {**{k: 0 for k in created if k != "to_rate"}, "to_rate": created["to_rate"]}
    assert Dossier.objects.count() == 8 and Evaluation.objects.count() == 4 and SelfAssessment.objects.count() == 3


def test_demo_results_page_and_names_family_name_first(client, demo_world):
    with time_machine.travel(NOW, tick=False):
        load_evaluation_demo(now=NOW)
        html = client.get("/danh-gia/ket-qua/").content.decode()
    assert "Quý III năm 2026" in html and "15,5" in html and "Xuất sắc" in html and "14,0" in html
    leader = get_user_model().objects.get(username="lanhdao-demo")
    assert (leader.last_name, leader.first_name) == ("Trần Văn", "Hùng")
    assert person_name(leader) == "Trần Văn Hùng"  # family name first
    assert person_name(get_user_model().objects.get(username="motcua-demo-2")) == "Lê Thị Mai"
    # The self-assessment page shows who submitted, family name first.
    client.force_login(leader)
    assessment = SelfAssessment.objects.get(agency__identifier=AGENCY_A, year=2026, quarter=3)
    page = client.get(f"/admin/tu-danh-gia/xem/{assessment.pk}/").content.decode()
    assert "Trần Văn Hùng" in page and "Hùng Trần Văn" not in page


def test_demo_command_prints_the_dossiers_to_rate(demo_world):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("load_evaluation_demo", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0] == (
        "Hồ sơ trình diễn: 8 mới; đánh giá của người dân: 4 mới; tự đánh giá của cơ quan: 3 mới; kỳ công bố: 1 mới"
    )
    assert lines[1] == "Hồ sơ chưa đánh giá, thử tại /danh-gia/ (mã hồ sơ — số giấy tờ của người nộp):"
    unrated = Dossier.objects.filter(evaluation__isnull=True, finished_at__gte=datetime(2026, 10, 1, tzinfo=VN))
    expected = sorted(f"  {d.code} — {d.applicant_id_number}" for d in unrated)
    assert sorted(lines[2:]) == expected and len(expected) == 2
    assert {line.rsplit(" ", 1)[1] for line in lines[2:]} == {"068090200001", "068090200002"}
