"""Agency self-assessment per quarter (indices 5, 6, 8, 9): scope, entry, lock on submit, audit."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from evaluation.models import SelfAssessment, SelfAssessmentStatus
from evaluation.selectors import self_assessments_for_user
from evaluation.services import EvaluationError, self_assessment_save, self_assessment_submit
from tests.services.workflow_builders import DESK, LEADER, PROVINCE_ADMIN, agency_a, agency_b, officer

pytestmark = pytest.mark.django_db

#: Option keys of the shipped self-assessment template: 5 -> 2 points, 6 -> 1, 8 -> 1, 9 -> 0.
ENTRIES = {
    5: {"option": "vuot-ty-le", "evidence": "Quyết định 12/QĐ-UBND"},
    6: {"option": "mot-hinh-thuc", "evidence": "Niêm yết tại trụ sở"},
    8: {"option": "tu-90", "evidence": "19/20 phản ánh đúng hạn"},
    9: {"option": "con-lai", "evidence": ""},
}
SCORES = {5: 2, 6: 1, 8: 1, 9: 0}  # total 2 + 1 + 1 + 0 = 4 of 8


def scores(assessment) -> dict:
    return {a.index: a.score for a in assessment.answers.all()}


def test_leader_enters_and_submits_the_quarter_of_their_agency():
    leader = officer(agency_a(), LEADER, "lanhdao-a")
    assessment = self_assessment_save(user=leader, year=2026, quarter=1, entries=ENTRIES)
    assert assessment.agency == agency_a()
    assert assessment.status == SelfAssessmentStatus.DRAFT
    assert scores(assessment) == SCORES
    assert assessment.answers.get(index=8).evidence == "19/20 phản ánh đúng hạn"
    assert assessment.template.kind == "self_assessment"
    assert assessment.template_revision_id == assessment.template.live_revision_id
    submitted = self_assessment_submit(user=leader, assessment=assessment)
    assert submitted.status == SelfAssessmentStatus.SUBMITTED
    assert submitted.submitted_by == leader and submitted.submitted_at is not None
    actions = list(ModelLogEntry.objects.filter(object_id=str(assessment.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["evaluation.self_assessment_save", "evaluation.self_assessment_submit"]


def test_submitted_self_assessment_is_locked():
    leader = officer(agency_a(), LEADER, "lanhdao-a")
    assessment = self_assessment_save(user=leader, year=2026, quarter=1, entries=ENTRIES)
    self_assessment_submit(user=leader, assessment=assessment)
    changed = {**ENTRIES, 9: {"option": "dat", "evidence": ""}}
    with pytest.raises(EvaluationError) as caught:
        self_assessment_save(user=leader, year=2026, quarter=1, entries=changed)
    assert "đã được gửi" in str(caught.value) and "không sửa được" in str(caught.value)
    with pytest.raises(EvaluationError):
        self_assessment_submit(user=leader, assessment=assessment)
    assert scores(SelfAssessment.objects.get(pk=assessment.pk)) == SCORES  # 9 still 0


def test_submit_needs_every_index_scored():
    leader = officer(agency_a(), LEADER, "lanhdao-a")
    partial = {5: ENTRIES[5], 6: ENTRIES[6], 8: {"option": "", "evidence": ""}, 9: {"option": "", "evidence": ""}}
    assessment = self_assessment_save(user=leader, year=2026, quarter=2, entries=partial)
    with pytest.raises(EvaluationError) as caught:
        self_assessment_submit(user=leader, assessment=assessment)
    assert "Chưa chấm điểm chỉ số: 8, 9" in str(caught.value)
    assert SelfAssessment.objects.get(pk=assessment.pk).status == SelfAssessmentStatus.DRAFT


def test_saving_again_replaces_the_draft_and_keeps_one_row_per_quarter():
    leader = officer(agency_a(), LEADER, "lanhdao-a")
    self_assessment_save(user=leader, year=2026, quarter=1, entries=ENTRIES)
    again = self_assessment_save(user=leader, year=2026, quarter=1, entries={**ENTRIES, 9: {"option": "dat"}})
    assert SelfAssessment.objects.filter(agency=agency_a(), year=2026, quarter=1).count() == 1
    assert scores(again) == {5: 2, 6: 1, 8: 1, 9: 2}


def test_unknown_option_or_index_is_refused():
    leader = officer(agency_a(), LEADER, "lanhdao-a")
    with pytest.raises(EvaluationError):
        self_assessment_save(user=leader, year=2026, quarter=1, entries={5: {"option": "tu-bia"}})
    with pytest.raises(EvaluationError):
        self_assessment_save(user=leader, year=2026, quarter=1, entries={1: {"option": "truoc-han"}})
    with pytest.raises(EvaluationError):
        self_assessment_save(user=leader, year=2026, quarter=5, entries=ENTRIES)
    assert SelfAssessment.objects.count() == 0


def test_leader_cannot_enter_another_agencys_and_desk_officers_cannot_enter():
    leader = officer(agency_a(), LEADER, "lanhdao-a")
    with pytest.raises(EvaluationError):
        self_assessment_save(user=leader, year=2026, quarter=1, entries=ENTRIES, agency=agency_b())
    with pytest.raises(EvaluationError):
        self_assessment_save(user=officer(agency_a(), DESK, "motcua-a"), year=2026, quarter=1, entries=ENTRIES)
    assert SelfAssessment.objects.count() == 0


def test_scope_leaders_see_their_own_province_sees_all():
    leader_a = officer(agency_a(), LEADER, "lanhdao-a")
    leader_b = officer(agency_b(), LEADER, "lanhdao-b")
    own_a = self_assessment_save(user=leader_a, year=2026, quarter=1, entries=ENTRIES)
    own_b = self_assessment_save(user=leader_b, year=2026, quarter=1, entries=ENTRIES)
    province = officer(None, PROVINCE_ADMIN, "quantri")
    assert list(self_assessments_for_user(leader_a)) == [own_a]
    assert list(self_assessments_for_user(leader_b)) == [own_b]
    assert set(self_assessments_for_user(province)) == {own_a, own_b}
    assert list(self_assessments_for_user(officer(agency_a(), DESK, "motcua-a"))) == []


# -- the admin pages ------------------------------------------------------------------------------


def test_leader_fills_the_admin_form_saves_then_submits(client):
    leader = officer(agency_a(), LEADER, "lanhdao-a")
    client.force_login(leader)
    url = reverse("evaluation_self_assessment_edit", args=[2026, 1])
    page = client.get(url).content.decode()
    assert "Chỉ số 5." in page and "Chỉ số 9." in page
    data = {f"score-{i}": e["option"] for i, e in ENTRIES.items()}
    data.update({f"evidence-{i}": e["evidence"] for i, e in ENTRIES.items()})
    assert client.post(url, {**data, "save": "1"}).status_code == 302
    assessment = SelfAssessment.objects.get(agency=agency_a(), year=2026, quarter=1)
    assert assessment.status == SelfAssessmentStatus.DRAFT and scores(assessment) == SCORES
    response = client.post(url, {**data, "submit": "1"})
    assert response["Location"] == reverse("evaluation_self_assessment_detail", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessmentStatus.SUBMITTED
    # Locked: the edit URL now only shows it read-only.
    again = client.get(url)
    assert again["Location"] == reverse("evaluation_self_assessment_detail", args=[assessment.pk])
    detail = client.get(again["Location"]).content.decode()
    assert "Phiếu đã khóa, không sửa được." in detail
    assert "Sửa bản nháp" not in detail


def test_admin_list_and_detail_respect_the_scope(client):
    leader_a = officer(agency_a(), LEADER, "lanhdao-a")
    leader_b = officer(agency_b(), LEADER, "lanhdao-b")
    own_b = self_assessment_save(user=leader_b, year=2026, quarter=1, entries=ENTRIES)
    client.force_login(leader_a)
    listing = client.get(reverse("evaluation_self_assessments")).content.decode()
    assert agency_b().name not in listing
    assert client.get(reverse("evaluation_self_assessment_detail", args=[own_b.pk])).status_code == 404
    client.force_login(officer(None, PROVINCE_ADMIN, "quantri"))
    listing = client.get(reverse("evaluation_self_assessments")).content.decode()
    assert agency_b().name in listing
    assert client.get(reverse("evaluation_self_assessment_detail", args=[own_b.pk])).status_code == 200
    # The province reads but does not enter: it has no agency of its own to assess (Wagtail
    # answers a refused admin page with a redirect to the dashboard and a message).
    refused = client.get(reverse("evaluation_self_assessment_edit", args=[2026, 1]))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert SelfAssessment.objects.count() == 1  # only B's


# -- years and quarters a self-assessment may take ---------------------------------------------


@pytest.mark.parametrize("year", [99999999999, 10000, 2017, 2028])
def test_admin_quarter_page_of_an_impossible_year_is_a_404_not_a_500(client, year):
    """Today is 2026 (time_machine below): years 2018..2027 are open; 2017, 2028 and beyond are 404."""
    import time_machine

    leader = officer(agency_a(), LEADER, "lanhdao-a")
    client.force_login(leader)
    with time_machine.travel("2026-11-30 09:00 +0700", tick=False):
        response = client.get(f"/admin/tu-danh-gia/{year}/1/")
        assert response.status_code == 404
        assert client.get("/admin/tu-danh-gia/2027/1/").status_code == 200  # next year: drafts allowed


def test_service_refuses_a_year_outside_2018_to_next_year():
    import time_machine

    leader = officer(agency_a(), LEADER, "lanhdao-a")
    with time_machine.travel("2026-11-30 09:00 +0700", tick=False):
        for year in (2017, 2028, 99999999999):
            with pytest.raises(EvaluationError) as caught:
                self_assessment_save(user=leader, year=year, quarter=1, entries=ENTRIES)
            assert "năm từ 2018 đến 2027" in str(caught.value)
    assert SelfAssessment.objects.count() == 0


def test_admin_self_assessment_detail_with_a_huge_key_is_a_404(client):
    client.force_login(officer(agency_a(), LEADER, "lanhdao-a"))
    assert client.get("/admin/tu-danh-gia/xem/99999999999999999999/").status_code == 404


def test_submitting_before_the_quarter_ends_is_refused_but_the_draft_is_kept():
    """Q4/2026 ends 31/12/2026: refused on 30/11/2026 and on 31/12/2026 23:00 (Vietnam), allowed on 1/1/2027."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    leader = officer(agency_a(), LEADER, "lanhdao-a")
    draft = self_assessment_save(user=leader, year=2026, quarter=4, entries=ENTRIES)
    for moment in (datetime(2026, 11, 30, 9, tzinfo=vn), datetime(2026, 12, 31, 23, tzinfo=vn)):
        with pytest.raises(EvaluationError) as caught:
            self_assessment_submit(user=leader, assessment=draft, now=moment)
        assert "Quý 4/2026 chưa kết thúc (đến hết ngày 31/12/2026)" in str(caught.value)
        assert SelfAssessment.objects.get(pk=draft.pk).status == SelfAssessmentStatus.DRAFT
    future = self_assessment_save(user=leader, year=2027, quarter=4, entries=ENTRIES)
    with pytest.raises(EvaluationError):
        self_assessment_submit(user=leader, assessment=future, now=datetime(2026, 11, 30, 9, tzinfo=vn))
    done = self_assessment_submit(user=leader, assessment=draft, now=datetime(2027, 1, 1, 0, 5, tzinfo=vn))
    assert done.status == SelfAssessmentStatus.SUBMITTED
    assert done.submitted_at == datetime(2027, 1, 1, 0, 5, tzinfo=vn)


def test_admin_submit_of_an_open_quarter_shows_the_message_and_keeps_a_draft(client):
    import time_machine

    leader = officer(agency_a(), LEADER, "lanhdao-a")
    client.force_login(leader)
    data = {"submit": "1"}
    for index, entry in ENTRIES.items():
        data[f"score-{index}"] = entry["option"]
        data[f"evidence-{index}"] = entry["evidence"]
    with time_machine.travel("2026-11-30 09:00 +0700", tick=False):
        response = client.post("/admin/tu-danh-gia/2026/4/", data, follow=True)
    page = response.content.decode()
    assert "chưa kết thúc" in page and "31/12/2026" in page
    assessment = SelfAssessment.objects.get(year=2026, quarter=4)
    assert assessment.status == SelfAssessmentStatus.DRAFT
    assert scores(assessment) == SCORES  # the draft is saved: 2 + 1 + 1 + 0


def test_evidence_over_5000_characters_gets_a_visible_message_and_nothing_saved(client):
    leader = officer(agency_a(), LEADER, "lanhdao-a")
    client.force_login(leader)
    data = {"save": "1"}
    for index, entry in ENTRIES.items():
        data[f"score-{index}"] = entry["option"]
        data[f"evidence-{index}"] = entry["evidence"]
    data["evidence-8"] = "x" * 5001  # one more than the 5000 allowed
    response = client.post("/admin/tu-danh-gia/2026/1/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa lưu được tự đánh giá" in page
    assert "Căn cứ, minh chứng tối đa 5000 ký tự (hiện có 5001)" in page
    assert not SelfAssessment.objects.exists()


def test_edit_page_of_an_open_quarter_offers_only_the_draft(client):
    """On 30/11/2026 Q4/2026 is open (no submit button, the rule shown); Q3/2026 has ended."""
    import time_machine

    client.force_login(officer(agency_a(), LEADER, "lanhdao-a"))
    with time_machine.travel("2026-11-30 09:00 +0700", tick=False):
        open_page = client.get("/admin/tu-danh-gia/2026/4/").content.decode()
        ended_page = client.get("/admin/tu-danh-gia/2026/3/").content.decode()
    assert 'name="submit"' not in open_page and "đến hết ngày 31/12/2026" in open_page
    assert 'name="save"' in open_page
    assert 'name="submit"' in ended_page
