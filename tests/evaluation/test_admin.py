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
