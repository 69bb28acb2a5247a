"""Issue 6 "done when": a citizen rates a returned dossier, an agency submits its self-assessment,
an administrator publishes Q1, and the public page shows each agency's 18-point total and class
computed as Circular 01/2018 Art 15 says.

Everything goes through the real paths: the citizen's pages (/danh-gia/), the leader's
self-assessment services, the administrator's admin page, the public results page.

Hand computation (Q1 2026):
  Agency A (Sở Xây dựng): one dossier, online, due Mon 9/3, result ready Thu 5/3 -> index 1 = 2
  (finished before the due date), no unit hand-over -> index 2 = index 1 = 2. The citizen
  answers one contact (index 3 = 1), more than one agency (index 4 = 0), on time without
  complaint (index 7 = 1). Self-assessment: 5 = 2, 6 = 2, 8 = 1, 9 = 0.
  Total = 2 + 2 + 1 + 0 + 1 + 2 + 2 + 1 + 0 = 11.0 -> Khá (9 <= 11 < 12).
  Agency B (Sở Tư pháp): one dossier due 9/3, result ready Tue 10/3 -> indices 1 and 2 = 0; not
  rated, no self-assessment -> total 0.0 -> Yếu; ranked 2nd.
"""

from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from evaluation.models import SurveyKind
from evaluation.services import self_assessment_save, self_assessment_submit, self_assessment_template
from tests.evaluation.evaluation_builders import APPLICANT_ID, INDEX_ANSWERS, SATISFACTION_ANSWERS
from tests.services.workflow_builders import (
    LEADER,
    agency_a,
    agency_b,
    applicant,
    filed_dossier,
    officer,
    online_form,
    set_status,
    vn,
)

pytestmark = pytest.mark.django_db

#: The option of the given points for each unit index, as the agency's leader chooses it.
SELF_SCORES = {5: 2, 6: 2, 8: 1, 9: 0}


def returned(catalogue, agency, code, *, finished_day: int):
    form = online_form(catalogue, agency=agency, code=code)
    dossier = filed_dossier(form, now=vn(2026, 3, 2), applicant_=applicant())
    return set_status(
        dossier,
        10,
        due_date=date(2026, 3, 9),
        original_due_date=date(2026, 3, 9),
        finished_at=vn(2026, 3, finished_day, 10),
        returned_at=vn(2026, 3, finished_day, 15),
    )


def option_with(template, index: int, score: int) -> str:
    question = next(b.value for b in template.questions if b.value.get("index") == index)
    return next(option["key"] for option in question["options"] if option["score"] == score)


def test_rate_self_assess_publish_and_read_the_public_page(client, catalogue):
    a, b = agency_a(), agency_b()
    rated = returned(catalogue, a, "1.000001", finished_day=5)
    returned(catalogue, b, "1.000002", finished_day=10)

    # 1. The citizen rates the returned dossier on the public pages (code + id number first).
    with time_machine.travel(vn(2026, 3, 20, 9), tick=False):
        client.post(reverse("evaluation:start"), {"code": rated.code, "id_number": APPLICANT_ID})
        response = client.post(
            reverse("evaluation:dossier", args=[rated.code]), {**INDEX_ANSWERS, **SATISFACTION_ANSWERS}
        )
        assert response.status_code == 303

    # 2. Agency A's leader enters and submits the first quarter's self-assessment once it has ended.
    leader = officer(a, LEADER, "lanhdao-a")
    with time_machine.travel(vn(2026, 4, 1, 9), tick=False):
        template = self_assessment_template(agency=a, year=2026, quarter=1)
        assert template.kind == SurveyKind.SELF_ASSESSMENT
        entries = {
            i: {"option": option_with(template, i, s), "evidence": "Báo cáo quý I"} for i, s in SELF_SCORES.items()
        }
        assessment = self_assessment_save(user=leader, year=2026, quarter=1, entries=entries)
        self_assessment_submit(user=leader, assessment=assessment)

    # 3. The administrator publishes Q1 once it has ended.
    admin = get_user_model().objects.create_superuser(username="quantri", email="qt@example.vn", password="x")
    client.force_login(admin)
    with time_machine.travel(vn(2026, 4, 2, 9), tick=False):
        client.post("/admin/ket-qua-danh-gia/", {"year": 2026, "quarter": 1, "action": "publish", "confirm": "on"})
    client.logout()

    # 4. The public page shows each agency's total and class.
    response = client.get("/danh-gia/ket-qua/", {"nam": 2026, "ky": "q1"})
    assert response.status_code == 200
    rows = [
        (r["rank"], r["name"], r["indices"], r["total_text"], r["classification"]) for r in response.context["rows"]
    ]
    assert rows == [
        (1, a.name, ["2,0", "2,0", "1,0", "0,0", "2,0", "2,0", "1,0", "1,0", "0,0"], "11,0", "Khá"),
        (2, b.name, ["0,0", "0,0", "—", "—", "—", "—", "—", "—", "—"], "0,0", "Yếu"),
    ]
    html = response.content.decode()
    assert "11,0" in html and "Khá" in html and "Yếu" in html
