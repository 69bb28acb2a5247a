"""A citizen rates a returned dossier and sends feedback on a phone, in a real browser (Playwright +
Debian chromium; skipped locally without them, failing in CI)."""

import os
import re

import pytest

from evaluation.models import Evaluation, GeneralFeedback
from tests.e2e.conftest import ARTIFACTS, browser, phone  # noqa: F401 (fixtures)
from tests.evaluation.evaluation_builders import APPLICANT_ID, INDEX_SCORES, dossier_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def snapshot(page, name: str) -> None:
    """With E2E_SCREENSHOTS=1, keep a full-page screenshot of each step under test-artifacts/."""
    if os.environ.get("E2E_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"evaluation-{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_citizen_rates_a_returned_dossier_on_a_phone(live_server, phone, catalogue):  # noqa: F811
    dossier = dossier_at(catalogue, 10)
    page = phone
    page.goto(f"{live_server.url}/danh-gia/")
    assert page.get_by_role("heading", level=1).inner_text() == "Đánh giá việc giải quyết hồ sơ"
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label(re.compile("Số giấy tờ tùy thân")).fill(APPLICANT_ID)
    snapshot(page, "1-start")
    page.get_by_role("button", name="Đánh giá hồ sơ này").click()

    assert dossier.code in page.get_by_role("heading", level=1).inner_text()
    assert no_horizontal_scroll(page)
    # Index 1 early (2), 3 one contact (1), 4 more than one agency (0), 7 on time (1).
    page.get_by_label(re.compile("^Trả kết quả trước hạn \\(ngắn hơn")).check()
    page.get_by_label("Liên hệ 1 lần").check()
    page.get_by_label("Hơn 1 cơ quan, đơn vị").check()
    page.get_by_label(re.compile("^Trả kết quả đúng hạn, không có phản ánh")).check()
    for group in ("overall", "ease_of_use", "timeliness", "staff_support"):
        page.locator(f"input[name=online_satisfaction__{group}][value=hai-long]").check()
    page.get_by_label("Ý kiến khác (nếu có)").fill("Cán bộ hướng dẫn rõ ràng.")
    snapshot(page, "2-survey")
    page.get_by_role("button", name="Gửi đánh giá").click()

    assert "Cảm ơn ông/bà đã đánh giá" in page.locator("#evaluation-message").inner_text()
    assert page.get_by_role("heading", name="Đánh giá đã ghi nhận").is_visible()
    assert page.locator("input[type=radio]").count() == 0
    snapshot(page, "3-recorded")
    evaluation = Evaluation.objects.get(dossier=dossier)
    assert {a.index: a.score for a in evaluation.answers.exclude(index=None)} == INDEX_SCORES
    assert evaluation.comment == "Cán bộ hướng dẫn rõ ràng."


def test_citizen_sends_anonymous_feedback_on_a_phone(live_server, phone, settings):  # noqa: F811
    settings.FEEDBACK_MIN_SECONDS = 0  # the browser types faster than the 5 s a person needs
    page = phone
    page.goto(f"{live_server.url}/danh-gia/gop-y/")
    # The honeypot is drawn outside the page, out of sight (and aria-hidden).
    box = page.locator("input[name=website]").bounding_box()
    assert box["x"] + box["width"] <= 0
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_label("Nội dung góp ý").fill("Nên có thêm hướng dẫn bằng video cho người cao tuổi.")
    assert no_horizontal_scroll(page)
    snapshot(page, "4-feedback")
    page.get_by_role("button", name="Gửi góp ý").click()
    assert "Cảm ơn ông/bà đã góp ý" in page.locator("#feedback-message").inner_text()
    feedback = GeneralFeedback.objects.get()
    assert feedback.ratings == {"overall": 1}


def test_leader_submits_the_quarters_self_assessment_in_the_admin(live_server, browser, catalogue):  # noqa: F811
    from evaluation.models import SelfAssessment, SelfAssessmentStatus
    from tests.services.workflow_builders import LEADER, agency_a, officer

    officer(agency_a(), LEADER, "lanhdao-a")  # password "x"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.locator("input[name=username]").fill("lanhdao-a")
        page.locator("input[name=password]").fill("x")
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/admin/$"))
        page.goto(f"{live_server.url}/admin/tu-danh-gia/")
        page.get_by_label("Quý", exact=True).select_option("1")
        page.get_by_label("Năm", exact=True).fill("2026")
        page.get_by_role("button", name="Mở phiếu").click()
        page.wait_for_url(re.compile(r"/admin/tu-danh-gia/2026/1/$"))
        # 5 -> 2, 6 -> 1, 8 -> 1, 9 -> 0: total 4 of 8.
        page.locator("input[name=score-5][value=vuot-ty-le]").check()
        page.locator("input[name=score-6][value=mot-hinh-thuc]").check()
        page.locator("input[name=score-8][value=tu-90]").check()
        page.locator("input[name=score-9][value=con-lai]").check()
        page.get_by_label("Căn cứ, minh chứng cho chỉ số 8").fill("19/20 phản ánh xử lý đúng hạn")
        snapshot(page, "5-self-assessment")
        page.once("dialog", lambda dialog: dialog.accept())  # "Sau khi gửi sẽ không sửa được…"
        page.get_by_role("button", name="Gửi (khóa phiếu)").click()
        page.wait_for_url(re.compile(r"/admin/tu-danh-gia/xem/\d+/$"))
        assert "Phiếu đã khóa, không sửa được." in page.content()
        snapshot(page, "6-self-assessment-submitted")
    finally:
        context.close()
    assessment = SelfAssessment.objects.get(agency=agency_a(), year=2026, quarter=1)
    assert assessment.status == SelfAssessmentStatus.SUBMITTED
    assert sum(assessment.answers.values_list("score", flat=True)) == 4
