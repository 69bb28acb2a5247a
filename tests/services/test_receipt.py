"""Receipt and appointment slip (Circular 01/2018 form 01): page, PDF, QR code and e-mail (issue 4 item 5).

Expected dates are worked out by hand from DOMAIN.md §4 and the 2026 calendar:
received Thursday 23/4/2026 10:00 with 15 working days; the days off are Sunday 26/4 (Hùng Kings'
day), Monday 27/4 (its substitute), Thursday 30/4, Friday 1/5 and the weekends, so the working
days counted are 24/4 (1), 28/4 (2), 29/4 (3), 4/5–8/5 (4–8), 11/5–15/5 (9–13), 18/5 (14) and
19/5 (15): due Tuesday 19/05/2026. Received the same Thursday at 15:30, after the 15:00 cut-off,
the reception date is Friday 24/4 and the 15th working day after it Wednesday 20/05/2026.
"""

import io
import re
import shutil
import smtplib
import threading
from datetime import datetime
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pypdf
import pytest
import segno
from django.contrib.staticfiles import finders
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from services.dossiers.access import SESSION_KEY
from services.dossiers.forms import FilingForm
from services.dossiers.receipts import tracking_url
from services.dossiers.services import dossier_submit
from services.models import Dossier
from tests.conftest import require
from tests.services.dossier_builders import (
    APPLICATION_FIELD,
    DRAWINGS_FIELD,
    PNG,
    filing_data,
    online_procedure,
    pdf_bytes,
    publish_form,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AGENCY_ID = "000.00.12.H36"
SUBMISSION_ADDRESS = "Bộ phận Một cửa, Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng, 36 Trần Phú, Đà Lạt"
PORTAL = "https://dichvucong.lamdong.gov.vn"


def application(name="Tờ khai đăng ký.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(2000), "application/pdf")


@pytest.fixture
def procedure(catalogue):
    return online_procedure(catalogue, submission_address=SUBMISSION_ADDRESS)


@pytest.fixture
def online_form(procedure):
    return publish_form(procedure)


def file_online(client, procedure, **data):
    """Files through the citizen's form, as a browser does; returns the response after redirects."""
    post = filing_data(**data)
    post.setdefault(APPLICATION_FIELD, application())
    return client.post(f"{procedure.url}nop-ho-so/", post, follow=True)


def file_at(online_form, when, **data) -> Dossier:
    """Files with the same form validation as the view, at the fixed time ``when``."""
    form = FilingForm(filing_data(**data), {APPLICATION_FIELD: application()}, online_form=online_form)
    assert form.is_valid(), form.errors
    submission = dossier_submit(
        form=online_form, applicant=form.applicant(), answers=form.answers(), uploads=form.uploads(), now=when
    )
    return submission.dossier


def owner_client(code: str) -> Client:
    """A browser whose session proved to own dossier ``code`` (as after filing or a lookup)."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = [code]
    session.save()
    return client


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def neutral(content: bytes, code: str) -> bytes:
    content = content.replace(code.encode(), b"<code>")
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def dark_modules(matrix) -> set[tuple[int, int]]:
    return {(r, c) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark}


def svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules drawn by a segno SVG path ("M2 2.5h7m1 0h1…": runs of modules per row),
    shifted so that the top-left finder pattern starts at (0, 0)."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    x = y = 0.0
    cells = set()
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            cells.update((int(y), int(x) + i) for i in range(int(float(a))))
            x += float(a)
    top, left = min(r for r, _c in cells), min(c for _r, c in cells)
    return {(r - top, c - left) for r, c in cells}


def image_modules(image, size: int) -> set[tuple[int, int]]:
    """The dark modules of a ``size``×``size`` QR code in a bitmap, sampled at module centres."""
    image = image.convert("L")
    dark = [(x, y) for y in range(image.height) for x in range(image.width) if image.getpixel((x, y)) < 128]
    left, top = min(x for x, _y in dark), min(y for _x, y in dark)
    module = (max(x for x, _y in dark) - left + 1) / size
    return {
        (r, c)
        for r in range(size)
        for c in range(size)
        if image.getpixel((int(left + (c + 0.5) * module), int(top + (r + 0.5) * module))) < 128
    }


# -- the page after filing -------------------------------------------------------------------


def test_filing_lands_on_the_receipt_with_the_message_code_and_attachment(client, online_form, procedure):
    response = file_online(client, procedure)
    dossier = Dossier.objects.get()
    attachment = dossier.attachments.get()

    assert response.redirect_chain[-1][0] == f"/ho-so/{dossier.code}/bien-nhan/"
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert "Hồ sơ đã được nộp thành công." in html
    assert re.fullmatch(rf"{re.escape(AGENCY_ID)}-\d{{6}}-0001", dossier.code)
    assert f'Mã hồ sơ: <strong class="code">{dossier.code}</strong>' in html
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html
    # C18: the citizen's Vietnamese file name, linked to the private download.
    assert "Tờ khai đăng ký.pdf" in html
    assert f'href="/ho-so/{dossier.code}/tep/{attachment.pk}/"' in html
    assert f'href="/ho-so/{dossier.code}/bien-nhan.pdf"' in html
    assert "In giấy tiếp nhận" in html
    assert f'href="http://testserver/tra-cuu-ho-so/?ma={dossier.code}"' in html
    assert "Đơn đề nghị cấp giấy phép xây dựng" in html  # the component
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in html and "1.009994" in html
    assert "Nguyễn Văn An" in html and "12 Trần Phú, Phường Xuân Hương - Đà Lạt, Lâm Đồng" in html
    assert SUBMISSION_ADDRESS in html
    assert "Sở Xây dựng tỉnh Lâm Đồng, Số 36 Trần Phú, Đà Lạt" in html
    assert "15 ngày làm việc" in html


def test_receipt_lists_every_component_with_its_files_and_counts(client, online_form, procedure):
    drawings = [SimpleUploadedFile(n, PNG + b"0" * 100, "image/png") for n in ("Mặt bằng tầng 1.png", "Mặt đứng.png")]
    response = file_online(client, procedure, **{DRAWINGS_FIELD: drawings})
    html = response.content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]

    assert len(rows) == 2
    assert "Đơn đề nghị cấp giấy phép xây dựng" in rows[0] and "Tờ khai đăng ký.pdf" in rows[0]
    assert rows[0].strip().endswith('<td class="receipt__num">1</td>')
    assert "Bản vẽ thiết kế" in rows[1] and "Mặt bằng tầng 1.png" in rows[1] and "Mặt đứng.png" in rows[1]
    assert rows[1].strip().endswith('<td class="receipt__num">2</td>')
    assert "Tổng số tệp: 3" in html
    assert '<th scope="col">' in html and '<th scope="row">' in html


def test_receipt_shows_the_due_date_counted_across_hung_kings_day_and_30_4(online_form):
    dossier = file_at(online_form, datetime(2026, 4, 23, 10, 0, tzinfo=VN))
    client = owner_client(dossier.code)

    html = client.get(reverse("dossier_receipt", args=[dossier.code])).content.decode()
    assert dossier.code == f"{AGENCY_ID}-260423-0001"
    assert "23/04/2026 10:00" in html
    assert "Thứ Ba, 19/05/2026" in html
    assert "15 ngày làm việc" in html
    assert "Ngày tiếp nhận để tính thời hạn" not in html  # received before 15:00 on a working day
    assert "Lâm Đồng, ngày 23 tháng 04 năm 2026" in html

    response = client.get(reverse("dossier_receipt_pdf", args=[dossier.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="giay-tiep-nhan-{AGENCY_ID}-260423-0001.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert f"Mã hồ sơ: {AGENCY_ID}-260423-0001" in text
    assert "Thứ Ba, 19/05/2026" in text
    assert "23/04/2026 10:00" in text
    assert "15 ngày làm việc" in text
    assert "Tờ khai đăng ký.pdf" in text
    assert "Nguyễn Văn An" in text
    assert "SỞ XÂY DỰNG TỈNH LÂM ĐỒNG" in text


def test_receipt_after_the_cutoff_shows_the_next_working_day_as_reception_date(online_form):
    dossier = file_at(online_form, datetime(2026, 4, 23, 15, 30, tzinfo=VN))
    client = owner_client(dossier.code)

    html = client.get(reverse("dossier_receipt", args=[dossier.code])).content.decode()
    assert "23/04/2026 15:30" in html
    assert "Ngày tiếp nhận để tính thời hạn" in html and "24/04/2026" in html
    assert "Thứ Tư, 20/05/2026" in html
    text = pdf_text(client.get(reverse("dossier_receipt_pdf", args=[dossier.code])).content)
    assert "24/04/2026" in text and "Thứ Tư, 20/05/2026" in text


def test_receipt_pdf_is_one_a5_page_with_the_bundled_unicode_font(online_form):
    dossier = file_at(online_form, datetime(2026, 4, 23, 10, 0, tzinfo=VN))
    content = owner_client(dossier.code).get(reverse("dossier_receipt_pdf", args=[dossier.code])).content
    reader = pypdf.PdfReader(io.BytesIO(content))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    # A5 is 148 × 210 mm = 419.5 × 595.3 pt (1 pt = 25.4/72 mm).
    assert round(float(box.width), 1) == pytest.approx(419.5, abs=0.2)
    assert round(float(box.height), 1) == pytest.approx(595.3, abs=0.2)
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    # Embedded subsets ("/ABCDEF+DejaVuSansBook") of the bundled regular and bold faces.
    assert {name.split("+")[-1] for name in fonts} == {"DejaVuSansBook", "DejaVuSansBold"}


def test_receipt_does_not_print_the_full_id_number(client, online_form, procedure):
    response = file_online(client, procedure)
    code = Dossier.objects.get().code
    html = response.content.decode()
    text = pdf_text(client.get(reverse("dossier_receipt_pdf", args=[code])).content)

    # The code plus the id number open the tracking page; the slip carries the code.
    assert "068090001234" not in html and "068090001234" not in text
    assert "********1234" in html and "********1234" in text


# -- who may see it --------------------------------------------------------------------------


def test_a_stranger_gets_the_same_404_as_for_an_unknown_code(client, online_form, procedure):
    file_online(client, procedure)
    code = Dossier.objects.get().code
    stranger = Client()
    unknown = "000.00.12.H36-260101-9999"

    for name in ("dossier_receipt", "dossier_receipt_pdf"):
        guessed = stranger.get(reverse(name, args=[code]))
        missing = stranger.get(reverse(name, args=[unknown]))
        assert guessed.status_code == 404
        assert missing.status_code == 404
        # The same page; only the echoed path (language switch) and the CSRF token differ.
        assert neutral(guessed.content, code) == neutral(missing.content, unknown)
        assert b"%PDF" not in guessed.content and b"Nguy\xe1\xbb\x85n V\xc4\x83n An" not in guessed.content
    # The applicant's own browser still sees both.
    assert client.get(reverse("dossier_receipt", args=[code])).status_code == 200
    assert client.get(reverse("dossier_receipt_pdf", args=[code])).status_code == 200


def test_a_signed_in_user_without_rights_is_a_stranger_and_an_administrator_sees_the_receipt(
    online_form, django_user_model
):
    dossier = file_at(online_form, datetime(2026, 4, 23, 10, 0, tzinfo=VN))
    citizen = Client()
    citizen.force_login(django_user_model.objects.create_user("nguoidan", password="x"))
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("quantri", password="x"))

    for name in ("dossier_receipt", "dossier_receipt_pdf"):
        assert citizen.get(reverse(name, args=[dossier.code])).status_code == 404
        assert admin.get(reverse(name, args=[dossier.code])).status_code == 200


# -- QR code ---------------------------------------------------------------------------------


def test_qr_code_on_the_page_and_in_the_pdf_encodes_the_tracking_link(online_form):
    dossier = file_at(online_form, datetime(2026, 4, 23, 10, 0, tzinfo=VN))
    client = owner_client(dossier.code)
    expected_url = f"http://testserver/tra-cuu-ho-so/?ma={AGENCY_ID}-260423-0001"
    # The reference symbol of that URL: QR (not Micro QR), error correction M.
    reference = segno.make(expected_url, error="m", micro=False)
    expected = dark_modules(reference.matrix)

    html = client.get(reverse("dossier_receipt", args=[dossier.code])).content.decode()
    figure = re.search(r'<div class="receipt__qr" role="img" aria-label="([^"]+)">(<svg.*?</svg>)</div>', html, re.S)
    assert figure, "the QR code is an image with a text alternative"
    assert dossier.code in figure.group(1)
    assert svg_modules(figure.group(2)) == expected
    # Another URL gives another symbol: the comparison is not vacuous.
    assert dark_modules(segno.make(expected_url + "0", error="m", micro=False).matrix) != expected

    content = client.get(reverse("dossier_receipt_pdf", args=[dossier.code])).content
    images = pypdf.PdfReader(io.BytesIO(content)).pages[0].images
    assert len(images) == 1
    assert image_modules(images[0].image, reference.symbol_size(border=0)[0]) == expected
    assert expected_url in pdf_text(content).replace("\n", "")


def test_tracking_url_without_a_request_uses_the_portal_base_url(settings):
    settings.PORTAL_BASE_URL = PORTAL + "/"
    assert tracking_url(f"{AGENCY_ID}-260423-0001") == f"{PORTAL}/tra-cuu-ho-so/?ma={AGENCY_ID}-260423-0001"


# -- e-mail ----------------------------------------------------------------------------------


def test_filing_sends_one_receipt_email_with_the_pdf(
    client, online_form, procedure, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = PORTAL
    data = filing_data()
    with django_capture_on_commit_callbacks(execute=True):
        file_online(client, procedure, **data)
    # A second POST of the same form (double click, case C16) files nothing and mails nothing.
    with django_capture_on_commit_callbacks(execute=True):
        file_online(client, procedure, **data)
    dossier = Dossier.objects.get()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@example.vn"]
    assert dossier.code in message.subject
    assert message.subject == f"Giấy tiếp nhận hồ sơ {dossier.code}"
    assert f"{PORTAL}/tra-cuu-ho-so/?ma={dossier.code}" in message.body
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in message.body
    assert "15 ngày làm việc" in message.body
    assert "Ngày hẹn trả kết quả: Thứ" in message.body
    assert "068090001234" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{PORTAL}/tra-cuu-ho-so/?ma={dossier.code}"' in html
    ((filename, content, attachment_type),) = message.attachments
    assert filename == f"giay-tiep-nhan-{dossier.code}.pdf"
    assert attachment_type == "application/pdf"
    text = pdf_text(content)
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert f"{PORTAL}/tra-cuu-ho-so/?ma={dossier.code}" in text.replace("\n", "")


def test_receipt_email_states_the_hand_computed_due_date(online_form, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        file_at(online_form, datetime(2026, 4, 23, 10, 0, tzinfo=VN))
    (message,) = mail.outbox
    assert message.subject == f"Giấy tiếp nhận hồ sơ {AGENCY_ID}-260423-0001"
    assert "Ngày hẹn trả kết quả: Thứ Ba, 19/05/2026" in message.body
    assert "Thời gian nhận hồ sơ: 23/04/2026 10:00" in message.body


def test_no_email_when_the_applicant_gave_no_address(
    client, online_form, procedure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = file_online(client, procedure, applicant_email="")
    assert response.status_code == 200
    assert Dossier.objects.get().applicant_email == ""
    assert len(callbacks) == 1  # the signal was sent, and its receiver chose not to mail
    assert mail.outbox == []


def test_a_failing_mail_server_never_breaks_the_filing(
    client, online_form, procedure, caplog, django_capture_on_commit_callbacks
):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPException("421 try later")):
        with django_capture_on_commit_callbacks(execute=True):
            response = file_online(client, procedure)
    dossier = Dossier.objects.get()

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/ho-so/{dossier.code}/bien-nhan/"
    assert f"Receipt e-mail of dossier {dossier.code} could not be sent" in caplog.text
    assert mail.outbox == []


# -- in a real browser: phone width and print --------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ORIGIN = "http://portal.test"


def in_chromium(pages: dict[str, tuple[str, bytes]], path: str, steps) -> dict:
    """Opens ``ORIGIN + path`` in headless Chromium, answering requests from ``pages`` (path ->
    (content type, body)) and 404 otherwise, and returns what ``steps(page)`` returns.

    No live server: the responses are rendered beforehand by the test client, so the test needs
    no transactional database. Playwright runs in its own thread because its sync API refuses a
    thread whose event loop another test's browser (tests/e2e) may still hold.
    """
    from playwright.sync_api import sync_playwright

    outcome = {}

    def answer(route):
        url = route.request.url.removeprefix(ORIGIN)
        if url in pages:
            content_type, body = pages[url]
            route.fulfill(status=200, content_type=content_type, body=body)
        else:
            route.fulfill(status=404, body=b"")

    def run():
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                try:
                    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="vi-VN")
                    page.route("**/*", answer)
                    page.goto(ORIGIN + path)
                    outcome["value"] = steps(page)
                finally:
                    browser.close()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=120)
    if "error" in outcome:
        raise outcome["error"]
    assert "value" in outcome, "Chromium did not finish within 2 minutes"
    return outcome["value"]


@pytest.mark.browser
def test_receipt_fits_a_360px_phone_and_prints_only_the_slip_on_one_a5_page(online_form):
    require(shutil.which(CHROMIUM) is not None, f"no chromium at {CHROMIUM} for the browser tests")
    dossier = file_at(online_form, datetime(2026, 4, 23, 15, 30, tzinfo=VN))
    path = reverse("dossier_receipt", args=[dossier.code])
    html = owner_client(dossier.code).get(path, HTTP_ACCEPT_LANGUAGE="vi").content
    css = Path(finders.find("css/portal.css")).read_bytes()

    def steps(page):
        return {
            "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
            "print_button": page.get_by_role("button", name="In giấy tiếp nhận").is_visible(),
            "qr_label": page.get_by_role("img", name=re.compile("Mã QR")).get_attribute("aria-label"),
            "printed": page.pdf(prefer_css_page_size=True),
        }

    seen = in_chromium(
        {path: ("text/html; charset=utf-8", html), "/static/css/portal.css": ("text/css", css)}, path, steps
    )

    assert seen["scroll_width"] <= 360  # no horizontal scrolling on a 360 px phone
    assert seen["print_button"]
    assert dossier.code in seen["qr_label"]
    reader = pypdf.PdfReader(io.BytesIO(seen["printed"]))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)  # A5 in points
    text = reader.pages[0].extract_text()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "Thứ Tư, 20/05/2026" in text
    # Only the slip: no site header, navigation, buttons or footer on paper.
    for screen_only in ("Bỏ qua, đến nội dung chính", "Thủ tục hành chính", "In giấy tiếp nhận", "Tải PDF"):
        assert screen_only not in text
