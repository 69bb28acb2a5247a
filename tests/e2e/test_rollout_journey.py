"""Roll-out planning in a real browser (issue 7 item 6).

Two agencies (a commune People's Committee and the provincial Department of Justice) propose the
same procedure; the checks flag the overlap on the proposal and in the aggregate view, with the
national-list finding for a third proposal; the aggregating department accepts one proposal into
the 2019–2020 plan and submits it; the Chairman approves it with a decision number and date; the
service is deployed with its online form, and the public page on a phone shows it deployed.
"""

import re

import pytest
from django.utils import timezone

from services.models import OnlineServiceForm, ProcedurePage
from services.rollout import services as rollout
from services.rollout.models import Plan, Proposal
from tests.e2e.conftest import log_in
from tests.factories import level
from tests.rollout.builders import (
    aggregator,
    chairman,
    commune_agency,
    criteria,
    leader,
    mandate,
    procedure,
    province_agency,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def propose(page, base_url: str, code: str) -> None:
    page.goto(f"{base_url}/admin/ke-hoach-dvc/de-xuat/them/")
    page.get_by_label("Mã thủ tục").fill(code)
    page.get_by_label("Mức độ đề xuất").select_option(label="Toàn trình (mức độ 4)")
    page.get_by_label("Số hồ sơ trung bình một năm").fill("1200")
    page.get_by_label("Sẵn sàng (hạ tầng, nhân lực, quy trình)").check()
    page.get_by_label(re.compile("Thực hiện được toàn bộ quy trình")).check()
    page.get_by_label("Lý do đề xuất").fill("Số hồ sơ lớn, dữ liệu hộ tịch đã số hóa.")
    page.get_by_role("button", name="Lưu đề xuất").click()
    page.wait_for_url(re.compile(r"/de-xuat/\d+/$"))
    page.get_by_role("button", name="Gửi đề xuất", exact=True).click()
    page.wait_for_load_state()


def test_two_agencies_overlap_the_plan_is_approved_and_one_service_deployed(live_server, desktop, phone, catalogue):
    page = procedure(catalogue, code="1.004884", title="Thủ tục đăng ký lại khai sinh", slug="dang-ky-lai-khai-sinh")
    birth = procedure(catalogue, code="1.001193", title="Thủ tục đăng ký khai sinh", slug="dang-ky-khai-sinh")
    mandate(birth, item="1", name="Đăng ký khai sinh")
    form = OnlineServiceForm(procedure=page, title="Tờ khai đăng ký lại khai sinh", fields=[])
    form.save()
    form.save_revision().publish()
    xa = leader(commune_agency(), "xa")
    leader(province_agency(), "tp")
    aggregator("tonghop")
    chairman("chutich")
    national = rollout.proposal_create(user=xa, procedure=birth, target_level="4", criteria=criteria())
    rollout.proposal_submit(proposal=national, user=xa)
    url = live_server.url

    # 1. The commune and the Department of Justice both propose 1.004884 at "Toàn trình".
    commune = desktop("xa")
    log_in(commune, url, "xa")
    propose(commune, url, "1.004884")
    assert commune.locator("[data-status]").inner_text() == "Đã gửi"
    justice = desktop("tp")
    log_in(justice, url, "tp")
    propose(justice, url, "1.004884")
    # 2. The checks flag the overlap on the proposal, each explaining itself.
    assert (
        "Ủy ban nhân dân cấp xã cũng đề xuất thủ tục này" in justice.locator('[data-check="other_agency"]').inner_text()
    )
    assert "nhiều cấp (Cấp Tỉnh, Cấp Xã)" in justice.locator('[data-check="several_tiers"]').inner_text()

    # 3. The aggregating department builds the plan; the aggregate view shows every flag.
    agg = desktop("tonghop")
    log_in(agg, url, "tonghop")
    agg.goto(f"{url}/admin/ke-hoach-dvc/ke-hoach/")
    agg.get_by_label("Tên kế hoạch").fill("Kế hoạch DVC trực tuyến 2019–2020")
    agg.get_by_label("Từ năm").fill("2019")
    agg.get_by_label("Đến năm").fill("2020")
    # The deadline cannot be in the past: today (Hà Nội) is the earliest.
    today = timezone.localdate()
    agg.get_by_label("Hạn trình Chủ tịch UBND tỉnh").fill(today.isoformat())
    agg.get_by_role("button", name="Lập kế hoạch").click()
    agg.wait_for_url(re.compile(r"/ke-hoach/\d+/$"))
    waiting = agg.locator("[data-waiting]")
    assert waiting.count() == 3
    assert agg.locator('[data-waiting] [data-check="national"]').count() == 1
    assert agg.locator('[data-waiting] [data-check="other_agency"]').count() == 2
    mine = Proposal.objects.get(agency=commune_agency(), procedure=page)
    agg.goto(f"{url}/admin/ke-hoach-dvc/de-xuat/{mine.pk}/")
    agg.get_by_role("button", name="Đưa vào kế hoạch", exact=True).click()
    agg.wait_for_load_state()
    assert agg.locator("[data-status]").inner_text() == "Đưa vào kế hoạch"
    plan = Plan.objects.get()
    agg.goto(f"{url}/admin/ke-hoach-dvc/ke-hoach/{plan.pk}/")
    agg.get_by_role("button", name="Trình Chủ tịch UBND tỉnh", exact=True).click()
    agg.wait_for_load_state()
    assert agg.locator("[data-plan-status]").inner_text() == "Đã trình Chủ tịch"

    # 4. The Chairman approves it with the decision number and date.
    boss = desktop("chutich")
    log_in(boss, url, "chutich")
    boss.goto(f"{url}/admin/ke-hoach-dvc/ke-hoach/{plan.pk}/")
    boss.get_by_label("Số quyết định phê duyệt").fill("2468/QĐ-UBND")
    # Submitted today, so the decision is dated today (not before the submission, not after today).
    boss.get_by_label("Ngày quyết định").fill(today.isoformat())
    boss.get_by_role("button", name="Phê duyệt kế hoạch", exact=True).click()
    boss.wait_for_load_state()
    assert boss.locator("[data-plan-status]").inner_text() == "Đã phê duyệt"

    # 5. The service is deployed with its online form: the procedure goes to "Toàn trình".
    agg.goto(f"{url}/admin/ke-hoach-dvc/de-xuat/{mine.pk}/")
    agg.get_by_label("Biểu mẫu điện tử đã xuất bản").select_option(label="Tờ khai đăng ký lại khai sinh")
    agg.get_by_role("button", name="Ghi nhận đã triển khai", exact=True).click()
    agg.wait_for_load_state()
    assert agg.locator("[data-status]").inner_text() == "Đã triển khai"
    assert ProcedurePage.objects.get(pk=page.pk).online_level == level("Toàn trình")

    # 6. The public page, on a phone, shows the plan and the deployed service, with its chart.
    phone.goto(f"{url}/ke-hoach-dich-vu-cong/")
    assert phone.locator('[data-figure="planned"]').inner_text() == "1"
    assert phone.locator('[data-figure="deployed"]').inner_text() == "1"
    assert phone.locator('[data-deployed="1.004884"]').is_visible()
    phone.locator('[data-chart="agencies"] canvas').wait_for(state="visible")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
