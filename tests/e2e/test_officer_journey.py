"""Officers work an online dossier in the Wagtail admin, in a real browser (issue 5 item 6).

The desk officer accepts it, the processing officer takes it on, the agency leader signs the
result, the desk officer returns it; the citizen's public tracking page then says "Đã trả kết quả".
Each officer has their own browser context (their own session), as on their own computers.
"""

import re

import pytest
from django.utils import timezone

from services.models import Dossier
from tests.e2e.conftest import log_in
from tests.services.workflow_builders import DESK, LEADER, PROCESSOR, agency_a, filed_dossier, officer, online_form

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def act(page, label: str) -> str:
    """Clicks the action button ``label`` on the dossier page; returns the page's message text."""
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()
    return page.locator(".messages").inner_text()


def status_of(code: str) -> int:
    return Dossier.objects.select_related("status").get(code=code).status.code


def test_officers_accept_process_and_return_an_online_dossier(live_server, desktop, catalogue):
    form = online_form(catalogue, time_limit=15)
    dossier = filed_dossier(form, now=timezone.now())
    agency = agency_a()
    officer(agency, DESK, "desk", first_name="Nguyễn Thị Lan")
    officer(agency, PROCESSOR, "processor", first_name="Trần Văn Hùng")
    officer(agency, LEADER, "leader", first_name="Lê Quang Minh")
    url = live_server.url
    dossier_path = f"/admin/ho-so/{dossier.code}/"

    # 1. The desk officer finds the dossier in "Hồ sơ một cửa" and accepts it.
    desk = desktop("desk")
    log_in(desk, url, "desk")
    desk.get_by_role("link", name="Hồ sơ một cửa").first.click()
    desk.wait_for_url(re.compile(r"/admin/ho-so/$"))
    desk.get_by_role("link", name=dossier.code).click()
    desk.wait_for_url(re.compile(re.escape(dossier_path) + "$"))
    assert "Trần Thị Bình" in desk.locator("main").inner_text()
    assert "Tiếp nhận hồ sơ: đã thực hiện" in act(desk, "Tiếp nhận hồ sơ")
    assert status_of(dossier.code) == 2
    due = Dossier.objects.get(code=dossier.code).due_date
    assert due.strftime("%d/%m/%Y") in desk.locator("main").inner_text()
    # Form 01 is now printable from the dossier page.
    assert desk.get_by_role("link", name=re.compile("Mẫu 01")).is_visible()

    # 2. The processing officer takes it on.
    processor = desktop("processor")
    log_in(processor, url, "processor")
    processor.goto(url + dossier_path)
    processor.get_by_label("Cán bộ được giao").select_option(label="Trần Văn Hùng")
    assert "Phân công, chuyển xử lý: đã thực hiện" in act(processor, "Phân công, chuyển xử lý")
    assert status_of(dossier.code) == 4
    # A processing officer may not sign the result: the action is not offered.
    assert processor.get_by_role("button", name="Phê duyệt, có kết quả").count() == 0

    # 3. The agency leader signs the result.
    leader = desktop("leader")
    log_in(leader, url, "leader")
    leader.goto(url + dossier_path)
    assert "Phê duyệt, có kết quả: đã thực hiện" in act(leader, "Phê duyệt, có kết quả")
    assert status_of(dossier.code) == 9

    # 4. The desk officer returns it to the applicant.
    desk.goto(url + dossier_path)
    assert "Trả kết quả: đã thực hiện" in act(desk, "Trả kết quả")
    assert status_of(dossier.code) == 10
    timeline = desk.locator("#timeline-heading + .bo-scroll table").inner_text()
    for step in ("Tiếp nhận hồ sơ", "Phân công, chuyển xử lý", "Phê duyệt, có kết quả", "Trả kết quả"):
        assert step in timeline

    # 5. The citizen's tracking page shows the result returned.
    citizen = desktop("citizen")
    citizen.goto(f"{url}/tra-cuu-ho-so/?ma={dossier.code}")
    citizen.get_by_label("Số giấy tờ", exact=False).fill("068190004321")
    citizen.get_by_role("button", name="Tra cứu").click()
    assert "Đã trả kết quả" in citizen.locator("main").inner_text()
