"""Admin of survey templates and feedback moderation (Wagtail snippets)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from evaluation.models import FeedbackStatus, GeneralFeedback, SurveyKind, SurveyTemplate
from tests.services.workflow_builders import LEADER, PROVINCE_ADMIN, agency_a, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_admin(client):
    user = officer(None, PROVINCE_ADMIN, "quantri")
    client.force_login(user)
    return user


def test_province_admin_lists_and_opens_the_shipped_templates(client, province_admin):
    listing = client.get(reverse("wagtailsnippets_evaluation_surveytemplate:list")).content.decode()
    assert "Phiếu đánh giá việc giải quyết thủ tục hành chính" in listing
    template = SurveyTemplate.objects.get(kind=SurveyKind.CITIZEN_INDEX)
    edit = client.get(reverse("wagtailsnippets_evaluation_surveytemplate:edit", args=[template.pk]))
    assert edit.status_code == 200
    assert "thoi-gian-giai-quyet" in edit.content.decode()
    history = client.get(reverse("wagtailsnippets_evaluation_surveytemplate:history", args=[template.pk]))
    assert history.status_code == 200


def test_template_preview_shows_the_citizen_form(client, province_admin):
    template = SurveyTemplate.objects.get(kind=SurveyKind.ONLINE_SATISFACTION)
    response = template.make_preview_request()
    page = response.render().content.decode() if hasattr(response, "render") else response.content.decode()
    assert response.status_code == 200
    for name in ("overall", "ease_of_use", "timeliness", "staff_support"):
        assert f'name="online_satisfaction__{name}"' in page
    assert "Rất hài lòng (2 điểm)" in page  # the points editors see under the form


def test_leader_does_not_see_survey_templates(client):
    client.force_login(officer(agency_a(), LEADER, "lanhdao-a"))
    response = client.get(reverse("wagtailsnippets_evaluation_surveytemplate:list"))
    assert response.status_code == 302  # Wagtail sends a user without permission to the dashboard


def test_moderating_feedback_in_the_admin_records_who_and_when(client, province_admin):
    feedback = GeneralFeedback.objects.create(text="Nên mở cửa cả sáng thứ Bảy.")
    url = reverse("wagtailsnippets_evaluation_generalfeedback:edit", args=[feedback.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Nên mở cửa cả sáng thứ Bảy." in page.content.decode()
    response = client.post(url, {"status": FeedbackStatus.ACCEPTED, "text": "đã sửa bởi cán bộ"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ACCEPTED
    assert feedback.text == "Nên mở cửa cả sáng thứ Bảy."  # read-only: the citizen's words are kept
    assert feedback.moderated_by == get_user_model().objects.get(username="quantri")
    assert feedback.moderated_at is not None


def _question_post(question_id, text, index, options):
    return {
        "question_id": question_id,
        "index": str(index) if index else "",
        "text": text,
        "help_text": "",
        "required": "on",
        "options": {
            "count": str(len(options)),
            **{
                str(n): {"value": {"key": key, "label": label, "score": str(score)}, "deleted": "", "order": str(n)}
                for n, (key, label, score) in enumerate(options)
            },
        },
    }


def test_province_admin_creates_and_publishes_a_template_for_one_agency(client, province_admin):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    agency = agency_a()
    data = nested_form_data(
        {
            "name": "Phiếu riêng của Sở Xây dựng",
            "kind": SurveyKind.CITIZEN_INDEX,
            "legal_basis": "",
            "intro": "",
            "valid_from": "2026-01-01",
            "valid_until": "",
            "questions": streamfield(
                [
                    (
                        "single_choice",
                        _question_post(
                            "thai-do", "Thái độ cán bộ", 7, [("tot", "Tốt", 2), ("duoc", "Được", 1), ("kem", "Kém", 0)]
                        ),
                    )
                ]
            ),
        }
    )
    data["agencies"] = [str(agency.pk)]
    data["action-publish"] = "1"
    response = client.post(reverse("wagtailsnippets_evaluation_surveytemplate:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    template = SurveyTemplate.objects.get(name="Phiếu riêng của Sở Xây dựng")
    assert template.live and template.live_revision_id is not None
    assert list(template.agencies.all()) == [agency]
    assert [(b.value["index"], [o["score"] for o in b.value["options"]]) for b in template.questions] == [
        (7, [2, 1, 0])
    ]
    # It now wins over the shipped template for that agency only (agency-specific beats "all").
    from datetime import date

    from evaluation.selectors import template_for

    assert template_for(kind=SurveyKind.CITIZEN_INDEX, agency=agency, on=date(2026, 3, 1)) == template
    shipped = SurveyTemplate.objects.get(kind=SurveyKind.CITIZEN_INDEX, agencies=None)
    assert template_for(kind=SurveyKind.CITIZEN_INDEX, agency=None, on=date(2026, 3, 1)) == shipped


def test_admin_refuses_an_index_option_worth_three_points(client, province_admin):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    data = nested_form_data(
        {
            "name": "Sai điểm",
            "kind": SurveyKind.CITIZEN_INDEX,
            "valid_from": "2026-01-01",
            "questions": streamfield(
                [("single_choice", _question_post("thai-do", "Thái độ", 7, [("tot", "Tốt", 3), ("kem", "Kém", 0)]))]
            ),
        }
    )
    data["action-publish"] = "1"
    response = client.post(reverse("wagtailsnippets_evaluation_surveytemplate:add"), data)
    assert response.status_code == 200  # the form again, with the error
    error = response.context["form"].errors["questions"].as_data()[0]
    block_error = error.block_errors[0]
    assert "mỗi lựa chọn phải có điểm 2, 1 hoặc 0" in " ".join(str(e) for e in block_error.non_block_errors)
    assert not SurveyTemplate.objects.filter(name="Sai điểm").exists()


def test_evaluations_are_listed_and_inspected_but_never_edited(client, catalogue):
    from evaluation.services import evaluation_submit
    from tests.evaluation.evaluation_builders import all_answers, dossier_at

    dossier = dossier_at(catalogue, 10)
    evaluation = evaluation_submit(dossier=dossier, responses=all_answers(), comment="Rất nhanh").evaluation
    superuser = get_user_model().objects.create_superuser(username="root", password="x")
    client.force_login(superuser)
    listing = client.get(reverse("wagtailsnippets_evaluation_evaluation:list"), {"q": "Rất nhanh"})
    assert listing.status_code == 200 and dossier.code in listing.content.decode()
    inspect = client.get(reverse("wagtailsnippets_evaluation_evaluation:inspect", args=[evaluation.pk]))
    assert inspect.status_code == 200 and "Rất nhanh" in inspect.content.decode()
    # Even a superuser cannot change or delete what a citizen answered.
    edit = client.post(reverse("wagtailsnippets_evaluation_evaluation:edit", args=[evaluation.pk]), {"comment": "x"})
    delete = client.post(reverse("wagtailsnippets_evaluation_evaluation:delete", args=[evaluation.pk]))
    assert edit.status_code == delete.status_code == 302
    assert edit["Location"] == delete["Location"] == reverse("wagtailadmin_home")
    evaluation.refresh_from_db()
    assert evaluation.comment == "Rất nhanh"


def test_staff_cannot_add_feedback(client):
    client.force_login(get_user_model().objects.create_superuser(username="root", password="x"))
    response = client.get(reverse("wagtailsnippets_evaluation_generalfeedback:add"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_inspect_names_who_typed_a_paper_form_family_name_first(client, catalogue):
    from evaluation.models import Evaluation
    from evaluation.services import evaluation_submit
    from tests.evaluation.evaluation_builders import all_answers, dossier_at

    dossier = dossier_at(catalogue, 10)
    clerk = get_user_model().objects.create_user(username="motcua-x", first_name="Thị Lan", last_name="Nguyễn")
    evaluation = evaluation_submit(dossier=dossier, responses=all_answers()).evaluation
    Evaluation.objects.filter(pk=evaluation.pk).update(entered_by=clerk, channel="paper")
    client.force_login(get_user_model().objects.create_superuser(username="root", password="x"))
    html = client.get(reverse("wagtailsnippets_evaluation_evaluation:inspect", args=[evaluation.pk])).content.decode()
    # last_name "Nguyễn" + first_name "Thị Lan" -> "Nguyễn Thị Lan"
    assert "Nguyễn Thị Lan" in html and "motcua-x" not in html
