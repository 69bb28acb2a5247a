"""A citizen's journey on a phone: search, the procedure, filing with two attachments, the
receipt (print and PDF), tracking (issue 4 item 7).
"""

import os
import re

import pytest

from services.models import Dossier
from tests.services.dossier_builders import JPEG, online_procedure, pdf_bytes, publish_form

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot(page, name: str) -> None:
    """With E2E_SCREENSHOTS=1, keep a full-page screenshot of each step under test-artifacts/."""
    if os.environ.get("E2E_SCREENSHOTS"):
        from tests.e2e.conftest import ARTIFACTS

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_citizen_files_online_prints_the_receipt_and_tracks_the_dossier(live_server, phone, catalogue, tmp_path):
    procedure = online_procedure(catalogue)
    procedure.save_revision().publish()  # publishing indexes it for citizen search
    publish_form(procedure)
    application = tmp_path / "Tờ khai đăng ký.pdf"
    application.write_bytes(pdf_bytes(30_000))
    drawing = tmp_path / "bản vẽ mặt bằng.jpg"
    drawing.write_bytes(JPEG + b"\x00" * 20_000)
    page = phone

    # 1. Search without accents from the home page, open the procedure.
    page.goto(f"{live_server.url}/")
    # The seven sections stay one row on a phone (it scrolls sideways), not a block of four rows.
    nav = page.locator("nav.main-nav")
    assert nav.bounding_box()["height"] < 60
    assert nav.get_by_role("link").count() == 7
    search = page.locator("main form[role=search] input[name=q]").first
    search.fill("giay phep xay dung")
    search.press("Enter")
    page.get_by_role("link", name=re.compile("Cấp giấy phép xây dựng nhà ở riêng lẻ")).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert no_horizontal_scroll(page)

    # 2. File online: applicant, questions, two attachments.
    page.get_by_role("link", name=re.compile("Nộp hồ sơ trực tuyến")).click()
    page.get_by_label("Họ và tên người nộp / tên tổ chức").fill("Nguyễn Văn An")
    page.get_by_label("Số giấy tờ", exact=False).first.fill("068 090 001 234")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Xã, phường, đặc khu").fill("Phường Xuân Hương - Đà Lạt")
    page.get_by_label("Số nhà, đường, thôn, tổ dân phố").fill("12 Trần Phú")
    page.get_by_label("Địa điểm xây dựng").fill("Thửa 123, tờ bản đồ 45")
    page.get_by_label("UBND xã, phường, thị trấn").check()
    page.get_by_label(re.compile("Tôi cam đoan")).check()
    page.get_by_label(re.compile("Đơn đề nghị cấp giấy phép xây dựng")).set_input_files(str(application))
    page.get_by_label(re.compile("Bản vẽ thiết kế")).set_input_files(str(drawing))
    assert no_horizontal_scroll(page)
    snapshot(page, "1-form")
    page.get_by_role("button", name="Nộp hồ sơ").click()

    # 3. The receipt: code, due date, both files, print layout, PDF.
    page.wait_for_url(re.compile(r"/ho-so/.+/bien-nhan/$"))
    dossier = Dossier.objects.get()
    assert re.fullmatch(r"000\.00\.12\.H36-\d{6}-0001", dossier.code)
    body = page.locator("main").inner_text()
    assert dossier.code in body
    assert dossier.due_date.strftime("%d/%m/%Y") in body
    assert "Tờ khai đăng ký.pdf" in body and "bản vẽ mặt bằng.jpg" in body
    assert no_horizontal_scroll(page)
    snapshot(page, "2-receipt")
    page.emulate_media(media="print")
    snapshot(page, "3-receipt-print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".receipt").is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải PDF").click()
    pdf_path = tmp_path / "receipt.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    # 4. Track it from another browser session with the code and the id number.
    tracker = page.context.browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    tracker.goto(f"{live_server.url}/tra-cuu-ho-so/?ma={dossier.code}")
    assert tracker.get_by_label("Mã hồ sơ", exact=False).input_value() == dossier.code
    tracker.get_by_label("Số giấy tờ", exact=False).fill("068090001234")
    tracker.get_by_role("button", name="Tra cứu").click()
    snapshot(tracker, "4-tracking")
    result = tracker.locator("main").inner_text()
    assert "Đã nộp, chờ tiếp nhận" in result
    assert dossier.due_date.strftime("%d/%m/%Y") in result
    assert "068090001234" not in tracker.url
    tracker.context.close()
