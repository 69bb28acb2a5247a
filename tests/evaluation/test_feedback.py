"""Anonymous feedback at /danh-gia/gop-y/ and its bot protection (no external service)."""

import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from evaluation.forms import FEEDBACK_SALT, FeedbackForm
from evaluation.models import FeedbackStatus, GeneralFeedback
from evaluation.services import EvaluationError, feedback_moderate
from tests.services.workflow_builders import PROVINCE_ADMIN, agency_a, officer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Rate-limit counts live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


URL = "/danh-gia/gop-y/"
TEXT = "Bộ phận một cửa nên có thêm chỗ ngồi chờ cho người cao tuổi."


def signed(seconds_ago: float) -> str:
    """A timestamp signed as the form signs it, ``seconds_ago`` seconds in the past."""
    return signing.Signer(salt=FEEDBACK_SALT).sign(str(int(time.time() - seconds_ago)))


def post(client, **fields):
    data = {"text": TEXT, "website": "", "started": signed(60), **fields}
    return client.post(URL, data)


def test_url_is_under_danh_gia():
    assert reverse("evaluation:feedback") == URL


def test_person_sends_feedback_and_is_thanked(client):
    agency = agency_a()
    response = post(client, agency=agency.pk, overall="1")
    assert response.status_code == 303
    assert response["Location"] == f"{URL}?da-gui=1"
    feedback = GeneralFeedback.objects.get()
    assert feedback.text == TEXT
    assert feedback.agency == agency
    assert feedback.ratings == {"overall": 1}  # Hài lòng
    assert feedback.status == FeedbackStatus.NEW
    assert "Cảm ơn ông/bà đã góp ý" in client.get(response["Location"]).content.decode()


def test_form_page_carries_a_signed_start_and_a_hidden_honeypot(client):
    page = client.get(URL).content.decode()
    token = re.search(r'name="started" value="([^"]+)"', page).group(1)
    started = int(signing.Signer(salt=FEEDBACK_SALT).unsign(token))
    assert abs(started - time.time()) < 60
    assert 'class="evaluation-hp" aria-hidden="true"' in page
    assert 'name="website"' in page and 'tabindex="-1"' in page


def test_honeypot_filled_looks_like_success_but_stores_nothing(client):
    response = post(client, website="http://spam.example")
    assert response.status_code == 303 and response["Location"] == f"{URL}?da-gui=1"
    assert GeneralFeedback.objects.count() == 0


def test_form_sent_faster_than_a_person_types_is_refused(client, settings):
    settings.FEEDBACK_MIN_SECONDS = 5
    response = post(client, started=signed(1))  # 1 s < 5 s
    assert response.status_code == 200
    assert "gửi quá nhanh" in response.content.decode()
    assert GeneralFeedback.objects.count() == 0
    # 6 s after showing the form is fine.
    assert post(client, started=signed(6)).status_code == 303
    assert GeneralFeedback.objects.count() == 1


@pytest.mark.parametrize("token", ["", "1700000000", "1700000000:forged"])
def test_missing_or_forged_timestamp_is_refused_and_a_fresh_one_given(client, token):
    response = post(client, started=token)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Phiên nhập góp ý đã hết hạn hoặc không hợp lệ" in page
    assert GeneralFeedback.objects.count() == 0
    fresh = re.search(r'name="started" value="([^"]+)"', page).group(1)
    assert fresh != token
    assert abs(int(signing.Signer(salt=FEEDBACK_SALT).unsign(fresh)) - time.time()) < 60  # signed, just now


def test_form_older_than_a_day_is_refused():
    form = FeedbackForm({"text": TEXT, "started": signed(24 * 3600 + 60)})
    assert not form.is_valid()
    assert "started" in form.errors


def test_too_short_text_gets_a_vietnamese_message(client):
    response = post(client, text="Tốt")
    assert "Nội dung góp ý cần ít nhất 10 ký tự (hiện có 3)" in response.content.decode()
    assert GeneralFeedback.objects.count() == 0


def test_rate_limit_per_client(client, settings):
    settings.FEEDBACK_RATE = "2/h"
    assert post(client).status_code == 303
    assert post(client).status_code == 303
    limited = post(client)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert GeneralFeedback.objects.count() == 2


def test_moderation_records_who_and_when(catalogue):
    feedback = GeneralFeedback.objects.create(text=TEXT)
    admin = officer(None, PROVINCE_ADMIN, "quantri")
    feedback_moderate(feedback=feedback, status=FeedbackStatus.ACCEPTED, user=admin)
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ACCEPTED
    assert feedback.moderated_by == admin and feedback.moderated_at is not None


def test_moderation_needs_the_permission(catalogue):
    from tests.services.workflow_builders import DESK

    feedback = GeneralFeedback.objects.create(text=TEXT)
    with pytest.raises(EvaluationError):
        feedback_moderate(feedback=feedback, status=FeedbackStatus.REJECTED, user=officer(agency_a(), DESK))
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.NEW


def test_rejected_tries_do_not_use_up_the_rate_budget(client, settings):
    """Five mistakes (too fast, expired, too short ×3) then two real posts: both stored (rate 2/h)."""
    settings.FEEDBACK_RATE = "2/h"
    settings.FEEDBACK_MIN_SECONDS = 5
    assert post(client, started=signed(1)).status_code == 200  # too fast: 1 s < 5 s
    assert post(client, started=signed(24 * 3600 + 60)).status_code == 200  # older than a day
    for _try in range(3):
        assert post(client, text="Tốt").status_code == 200  # 3 characters < 10
    # Budget untouched: 2 stored posts are allowed, the 3rd stored one would be the 3rd of 2.
    assert post(client).status_code == 303
    assert post(client).status_code == 303
    assert GeneralFeedback.objects.count() == 2
    assert post(client).status_code == 429
    assert GeneralFeedback.objects.count() == 2


def test_bot_posts_store_nothing_and_do_not_count(client, settings):
    """Honeypot filled ×3 and too-fast ×3 store nothing; the person behind the same IP still has 1 of 1."""
    settings.FEEDBACK_RATE = "1/h"
    settings.FEEDBACK_MIN_SECONDS = 5
    for _try in range(3):
        assert post(client, website="http://spam.example").status_code == 303
        assert post(client, started=signed(0)).status_code == 200
    assert GeneralFeedback.objects.count() == 0
    assert post(client).status_code == 303
    assert GeneralFeedback.objects.count() == 1
    assert post(client).status_code == 429  # the 2nd stored post of 1/h


@pytest.mark.parametrize("field", ["agency", "thu_tuc"])
def test_feedback_with_an_overflowing_number_is_not_a_500(client, field):
    response = post(client, **{field: "99999999999999999999999"})
    assert response.status_code in (200, 303)
    if field == "agency":  # an agency that does not exist: the form says so, nothing stored
        assert response.status_code == 200 and GeneralFeedback.objects.count() == 0
    else:  # an unknown procedure is ignored, the feedback kept without it
        assert GeneralFeedback.objects.get().procedure is None
