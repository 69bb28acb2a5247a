"""Citizen evaluation of a dossier: who may rate, what is stored, one per dossier (case C17)."""

import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse

from evaluation.models import Evaluation, EvaluationAnswer, EvaluationChannel, SurveyKind, SurveyTemplate
from evaluation.services import EvaluationError, evaluation_submit
from services.models import Channel, Dossier, OfficerProfile
from tests.evaluation.evaluation_builders import (
    APPLICANT_ID,
    INDEX_SCORES,
    SATISFACTION_SCORES,
    all_answers,
    dossier_at,
)
from tests.services.workflow_builders import DESK, agency_a, agency_b, officer, vn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Lookup rate-limit counts live in the (local-memory) cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def answers_of(evaluation: Evaluation, kind: str) -> dict:
    return {a.index or a.question_id: a.score for a in evaluation.answers.filter(kind=kind)}


# -- the service ----------------------------------------------------------------------------------


def test_returned_online_dossier_stores_index_points_and_satisfaction(catalogue):
    dossier = dossier_at(catalogue, 10)
    result = evaluation_submit(dossier=dossier, responses=all_answers(), comment="  Cán bộ nhiệt tình.  ")
    assert result.created is True
    evaluation = result.evaluation
    assert answers_of(evaluation, SurveyKind.CITIZEN_INDEX) == INDEX_SCORES  # {1: 2, 3: 1, 4: 0, 7: 1}
    assert answers_of(evaluation, SurveyKind.ONLINE_SATISFACTION) == SATISFACTION_SCORES
    assert evaluation.comment == "Cán bộ nhiệt tình."
    assert evaluation.channel == EvaluationChannel.ONLINE
    assert evaluation.agency == dossier.receiving_agency
    assert evaluation.procedure_code == dossier.procedure_code
    index_template = SurveyTemplate.objects.get(kind=SurveyKind.CITIZEN_INDEX)
    assert evaluation.template == index_template
    assert evaluation.template_revision_id == index_template.live_revision_id
    assert evaluation.satisfaction_template.kind == SurveyKind.ONLINE_SATISFACTION
    staff = EvaluationAnswer.objects.get(evaluation=evaluation, question_id="thai-do-can-bo")
    assert staff.value == {
        "option": "dung-han-khong-phan-anh",
        "label": "Trả kết quả đúng hạn, không có phản ánh, kiến nghị về thái độ, hành vi của cán bộ",
    }


def test_in_person_dossier_is_not_asked_online_satisfaction(catalogue):
    dossier = dossier_at(catalogue, 10, channel=Channel.IN_PERSON)
    evaluation = evaluation_submit(dossier=dossier, responses=all_answers()).evaluation
    assert evaluation.satisfaction_template is None
    assert evaluation.answers.filter(kind=SurveyKind.ONLINE_SATISFACTION).count() == 0
    assert evaluation.answers.count() == 4  # indices 1, 3, 4, 7 only


def test_result_ready_but_not_yet_collected_can_be_rated(catalogue):
    dossier = dossier_at(catalogue, 9)
    assert evaluation_submit(dossier=dossier, responses=all_answers()).created is True


@pytest.mark.parametrize("status", [1, 2, 3, 4, 5, 6, 7, 8])
def test_dossier_without_a_result_is_refused_with_a_reason(catalogue, status):
    dossier = dossier_at(catalogue, status)
    with pytest.raises(EvaluationError) as caught:
        evaluation_submit(dossier=dossier, responses=all_answers())
    assert "chưa có kết quả giải quyết" in str(caught.value)
    assert dossier.status.public_name in str(caught.value)
    assert Evaluation.objects.count() == 0


def test_missing_and_unknown_answers_write_nothing(catalogue):
    dossier = dossier_at(catalogue, 10)
    responses = all_answers()
    del responses["citizen_index__so-lan-lien-he"]
    responses["online_satisfaction__overall"] = "tuyet-voi"  # not an option
    with pytest.raises(EvaluationError) as caught:
        evaluation_submit(dossier=dossier, responses=responses)
    assert len(caught.value.details) == 2
    assert any(d.startswith("Số lần ông/bà phải liên hệ") for d in caught.value.details)
    assert Evaluation.objects.count() == 0 and EvaluationAnswer.objects.count() == 0


def test_second_evaluation_returns_the_first_unchanged(catalogue):
    dossier = dossier_at(catalogue, 10)
    first = evaluation_submit(dossier=dossier, responses=all_answers()).evaluation
    other = {**all_answers(), "citizen_index__thoi-gian-giai-quyet": "qua-han"}
    second = evaluation_submit(dossier=dossier, responses=other)
    assert second.created is False
    assert second.evaluation.pk == first.pk
    assert Evaluation.objects.count() == 1
    assert answers_of(first, SurveyKind.CITIZEN_INDEX)[1] == 2  # still "trước hạn", not the 0 of "quá hạn"


def test_database_refuses_a_second_evaluation_row_for_a_dossier(catalogue):
    dossier = dossier_at(catalogue, 10)
    evaluation = evaluation_submit(dossier=dossier, responses=all_answers()).evaluation
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            dossier=dossier, template=evaluation.template, agency=evaluation.agency, submitted_at=vn(2026, 3, 7)
        )


# -- the pages ------------------------------------------------------------------------------------


def start(client, code, number=APPLICANT_ID):
    return client.post(reverse("evaluation:start"), {"code": code, "id_number": number})


def test_code_and_id_number_open_the_survey(client, catalogue):
    dossier = dossier_at(catalogue, 10)
    response = start(client, dossier.code.lower(), "068 190 004 321")  # typed loosely, as tracking allows
    assert response.status_code == 303
    assert response["Location"] == reverse("evaluation:dossier", args=[dossier.code])
    page = client.get(response["Location"]).content.decode()
    assert "Phiếu đánh giá việc giải quyết thủ tục hành chính" in page
    assert "Mức độ dễ dàng khi sử dụng" in page  # online dossier: Circular 32/2017 questions too
    assert 'name="citizen_index__thai-do-can-bo"' in page


def test_wrong_id_number_and_unknown_code_answer_alike(client, catalogue):
    dossier = dossier_at(catalogue, 10)
    wrong = start(client, dossier.code, "079000000000")
    unknown = start(client, "000.00.12.H36-260302-9999")
    assert wrong.status_code == unknown.status_code == 404
    assert "Không tìm thấy hồ sơ" in wrong.content.decode()
    assert "079000000000" not in wrong.content.decode()


def test_survey_url_without_proof_goes_to_the_form(client, catalogue):
    dossier = dossier_at(catalogue, 10)
    response = client.get(reverse("evaluation:dossier", args=[dossier.code]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('evaluation:start')}?ma={dossier.code}"


def test_lookups_share_the_tracking_rate_limit(client, catalogue, settings):
    settings.DOSSIER_LOOKUP_RATE = "2/m"
    dossier = dossier_at(catalogue, 10)
    client.post(reverse("dossier_lookup"), {"code": dossier.code, "id_number": "079000000000"})
    assert start(client, dossier.code, "079000000000").status_code == 404
    limited = start(client, dossier.code)  # third lookup of the minute, even with the right number
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1


def test_citizen_rates_then_sees_the_recorded_evaluation(client, catalogue):
    dossier = dossier_at(catalogue, 10)
    start(client, dossier.code)
    url = reverse("evaluation:dossier", args=[dossier.code])
    response = client.post(url, {**all_answers(), "comment": "Nhanh gọn"})
    assert response.status_code == 303
    page = client.get(url).content.decode()
    assert "Cảm ơn ông/bà đã đánh giá" in page
    assert "Đánh giá đã ghi nhận" in page
    assert "Liên hệ 1 lần" in page and "Nhanh gọn" in page
    assert 'name="citizen_index__thai-do-can-bo"' not in page  # read-only: no form any more
    # A second attempt (another POST) changes nothing and shows the recorded one.
    again = client.post(url, {**all_answers(), "citizen_index__so-lan-lien-he": "hon-mot-lan"})
    assert again.status_code == 200
    assert "Liên hệ 1 lần" in again.content.decode()
    assert Evaluation.objects.get(dossier=dossier).answers.get(index=3).score == 1


def test_page_explains_why_a_dossier_in_progress_cannot_be_rated(client, catalogue):
    dossier = dossier_at(catalogue, 4)
    start(client, dossier.code)
    page = client.get(reverse("evaluation:dossier", args=[dossier.code])).content.decode()
    assert "chưa có kết quả giải quyết" in page
    assert "Đang giải quyết" in page  # the public name of status 4
    assert '<form method="post" novalidate' not in page


def test_unanswered_required_question_is_shown_and_nothing_is_stored(client, catalogue):
    dossier = dossier_at(catalogue, 10)
    start(client, dossier.code)
    answers = all_answers()
    del answers["citizen_index__thoi-gian-giai-quyet"]
    response = client.post(reverse("evaluation:dossier", args=[dossier.code]), answers)
    assert response.status_code == 200
    assert "Phiếu chưa gửi được" in response.content.decode()
    assert Evaluation.objects.count() == 0


def test_officer_of_the_agency_enters_a_paper_form(client, catalogue):
    dossier = dossier_at(catalogue, 10)
    desk = officer(agency_a(), DESK)
    client.force_login(desk)
    url = reverse("evaluation:dossier", args=[dossier.code])
    assert "phiếu giấy" in client.get(url).content.decode()
    client.post(url, all_answers())
    evaluation = Evaluation.objects.get(dossier=dossier)
    assert evaluation.channel == EvaluationChannel.PAPER
    assert evaluation.entered_by == desk


def test_officer_of_another_agency_cannot_reach_the_survey(client, catalogue):
    dossier = dossier_at(catalogue, 10)
    client.force_login(officer(agency_b(), DESK))
    response = client.get(reverse("evaluation:dossier", args=[dossier.code]))
    assert response.status_code == 302 and Evaluation.objects.count() == 0


def test_tracking_and_receipt_link_to_the_evaluation(client, catalogue):
    dossier = dossier_at(catalogue, 10)
    client.post(reverse("dossier_lookup"), {"code": dossier.code, "id_number": APPLICANT_ID})
    tracking = client.get(f"{reverse('dossier_lookup')}?ma={dossier.code}").content.decode()
    assert reverse("evaluation:dossier", args=[dossier.code]) in tracking
    receipt = client.get(reverse("dossier_receipt", args=[dossier.code])).content.decode()
    assert reverse("evaluation:dossier", args=[dossier.code]) in receipt


# -- C17, survey part: five answers at once for one dossier (PostgreSQL) -------------------------

ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
needs_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="concurrent inserts under real transactions need PostgreSQL (CI runs this suite on it)"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_parallel_answers_for_one_dossier_keep_exactly_one(catalogue):
    """C17: 5 evaluations of one dossier sent at the same moment -> 1 evaluation, 1 set of answers."""
    dossier = dossier_at(catalogue, 10)
    # Each thread answers index 1 differently, so the kept answers show they come from one thread.
    choices = ["truoc-han", "dung-han", "qua-han", "truoc-han", "dung-han"]
    results, errors = [], []
    barrier = threading.Barrier(5)

    def worker(i):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            answers = {**all_answers(), "citizen_index__thoi-gian-giai-quyet": choices[i]}
            results.append(
                evaluation_submit(
                    dossier=Dossier.objects.select_related("status").get(pk=dossier.pk), responses=answers
                )
            )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Evaluation.objects.filter(dossier=dossier).count() == 1
    kept = Evaluation.objects.get(dossier=dossier)
    assert sum(1 for r in results if r.created) == 1
    assert {r.evaluation.pk for r in results} == {kept.pk}
    # One set of answers: 4 index + 4 satisfaction questions (online dossier), no duplicates.
    assert kept.answers.count() == 8
    assert kept.answers.filter(index=1).count() == 1


def test_main_navigation_links_the_evaluation(client):
    html = client.get(reverse("evaluation:feedback")).content.decode()
    nav = html.split('class="main-nav"')[1].split("</nav>")[0]
    assert '<a href="/danh-gia/" aria-current="true">Đánh giá</a>' in nav


def test_rating_device_at_the_desk_records_kiosk_and_forgets_the_dossier(client, catalogue):
    dossier = dossier_at(catalogue, 10)
    kiosk = get_user_model().objects.create_user(username="kiosk-a", password="x")  # no group: sees no dossier
    OfficerProfile.objects.create(user=kiosk, agency=agency_a())
    client.force_login(kiosk)
    start(client, dossier.code)
    url = reverse("evaluation:dossier", args=[dossier.code])
    response = client.post(url, all_answers())
    assert response.status_code == 303 and response["Location"] == reverse("evaluation:start")
    assert "Cảm ơn ông/bà đã đánh giá" in client.get(response["Location"]).content.decode()
    evaluation = Evaluation.objects.get(dossier=dossier)
    assert evaluation.channel == EvaluationChannel.KIOSK and evaluation.entered_by is None
    # The next citizen at the device cannot open the dossier just rated.
    assert client.get(url).status_code == 302


def test_unpublished_edit_is_not_asked_and_the_recorded_wording_is_kept(client, catalogue):
    template = SurveyTemplate.objects.get(kind=SurveyKind.CITIZEN_INDEX)
    original = template.questions[0].value["text"]  # index 1, "Tổng thời gian giải quyết hồ sơ…"
    dossier = dossier_at(catalogue, 10)
    evaluation_submit(dossier=dossier, responses=all_answers())
    # An editor rewords question 1 and publishes; then drafts another wording without publishing.
    template.questions[0].value["text"] = "Thời gian giải quyết (câu đã sửa)"
    template.save_revision().publish()
    draft = SurveyTemplate.objects.get(pk=template.pk)
    draft.questions[0].value["text"] = "Bản nháp chưa xuất bản"
    draft.save_revision()
    start(client, dossier.code)
    recorded = client.get(reverse("evaluation:dossier", args=[dossier.code])).content.decode()
    assert original in recorded and "câu đã sửa" not in recorded  # worded as answered
    other = dossier_at(catalogue, 10, form=dossier.online_form)
    start(client, other.code)
    survey = client.get(reverse("evaluation:dossier", args=[other.code])).content.decode()
    assert "Thời gian giải quyết (câu đã sửa)" in survey  # the published wording
    assert "Bản nháp chưa xuất bản" not in survey
