"""Public dossier tracking page ``/tra-cuu-ho-so/`` (issue 4 item 6, DOMAIN.md §4).

Values are worked out by hand: a dossier filed online on Monday 2/3/2026 at 09:00 (before the
15:00 cut-off, so received that day) with agency ``000.00.12.H36`` gets the code
``000.00.12.H36-260302-0001``; 15 working days after 2/3/2026 (3–6, 9–13, 16–20, 23 March, no
holiday in March 2026) is Monday 23/3/2026.
"""

import re
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from services.dossiers.services import Applicant, dossier_submit
from services.dossiers.uploads import check_upload
from tests.services.dossier_builders import online_procedure, pdf_bytes, publish_form

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FILED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
CODE = "000.00.12.H36-260302-0001"
ID_NUMBER = "068090001234"
URL = "/tra-cuu-ho-so/"
NOT_FOUND = "Không tìm thấy hồ sơ với mã và số giấy tờ đã nhập"
RATE_LIMITED = "Bạn đã tra cứu quá nhiều lần trong thời gian ngắn"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture(autouse=True)
def clear_rate_limits():
    """Rate-limit counts live in the (local-memory) cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fixed_rate_window(monkeypatch):
    """Stops django-ratelimit's clock, so a test never straddles the end of a one-minute window."""
    import django_ratelimit.core

    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: 1_900_000_000))


def file_dossier(catalogue, *, now=FILED_AT, id_number=ID_NUMBER):
    """A dossier filed online through ``dossier_submit`` with one PDF, as the filing view does."""
    procedure = online_procedure(catalogue)
    form = publish_form(procedure)
    upload = check_upload(SimpleUploadedFile("Đơn đề nghị.pdf", pdf_bytes(2000)), accepted=["pdf"], max_bytes=2_500_000)
    slot = {"id": "11111111-0000-0000-0000-000000000005", "label": "Đơn đề nghị cấp giấy phép xây dựng"}
    return dossier_submit(
        form=form,
        applicant=Applicant(name="Nguyễn Văn An", id_type="cccd", id_number=id_number),
        answers=[],
        uploads=[(slot, upload)],
        now=now,
    ).dossier


def lookup(client, code, id_number, **extra):
    return client.post(URL, {"code": code, "id_number": id_number}, **extra)


def text(response) -> str:
    """The page's text with tags removed and white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_lookup_url_is_named_and_linked_from_the_navigation(client):
    response = client.get(URL)
    assert reverse("dossier_lookup") == URL
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/tra-cuu-ho-so/" aria-current="page">Tra cứu hồ sơ</a>' in html
    assert "Mã hồ sơ" in html
    assert "Số giấy tờ tùy thân (CCCD/CMND/hộ chiếu) của người nộp" in html


def test_code_from_the_receipt_qr_link_prefills_the_form_without_showing_the_dossier(client, catalogue):
    file_dossier(catalogue)
    response = client.get(URL, {"ma": " 000.00.12.h36-260302-0001 "})
    html = response.content.decode()
    assert 'value="000.00.12.H36-260302-0001"' in html
    # Another browser knows the code only: nothing of the dossier is shown.
    assert "Đã nộp, chờ tiếp nhận" not in html
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" not in html


def test_found_dossier_shows_status_history_due_date_and_agency(client, catalogue):
    file_dossier(catalogue)
    # Lower-case code, spaces and dots in the id number: both tolerated.
    response = lookup(client, " 000.00.12.h36-260302-0001", "068 090.001 234 ")
    assert response.status_code == 303
    assert response["Location"] == "/tra-cuu-ho-so/?ma=000.00.12.H36-260302-0001"

    page = client.get(response["Location"])
    assert page.status_code == 200
    body = text(page)
    assert "Hồ sơ 000.00.12.H36-260302-0001" in body
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in body
    assert "Trạng thái Đã nộp, chờ tiếp nhận" in body
    assert "Ngày nộp 02/03/2026 09:00" in body
    assert "Hẹn trả kết quả 23/03/2026" in body
    assert "Cơ quan tiếp nhận Sở Xây dựng tỉnh Lâm Đồng" in body
    assert "Nơi nhận kết quả Sở Xây dựng tỉnh Lâm Đồng, Số 36 Trần Phú, Đà Lạt" in body
    assert "02/03/2026 09:00 Đã nộp, chờ tiếp nhận Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công." in body
    # In progress and today is after 23/3/2026: late.
    assert "Tiến độ Quá hạn" in body


def test_found_dossier_opens_its_attachment_and_receipt_to_this_session(client, catalogue):
    dossier = file_dossier(catalogue)
    attachment = dossier.attachments.get()
    download = f"/ho-so/{CODE}/tep/{attachment.pk}/"
    assert client.get(download).status_code == 404  # not yet proved

    lookup(client, CODE, ID_NUMBER)
    html = client.get(f"{URL}?ma={CODE}").content.decode()
    assert f'href="{download}"' in html
    assert "Đơn đề nghị cấp giấy phép xây dựng: Đơn đề nghị.pdf" in html
    assert client.get(download).status_code == 200
    try:
        receipt = reverse("dossier_receipt", args=[CODE])
    except NoReverseMatch:  # the receipt page is built separately; no link to a 404 meanwhile
        assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" not in html
    else:
        assert f'href="{receipt}"' in html


def test_unknown_code_and_wrong_id_number_get_the_same_page(client, catalogue):
    dossier = file_dossier(catalogue)
    wrong_id = lookup(client, CODE, "068090009999")
    unknown_code = lookup(client, "000.00.12.H36-260302-0002", ID_NUMBER)
    assert wrong_id.status_code == unknown_code.status_code == 404
    assert NOT_FOUND in wrong_id.content.decode()
    first = CSRF.sub("", wrong_id.content.decode())
    second = CSRF.sub("", unknown_code.content.decode())
    # The only difference allowed is the code the citizen typed, kept in the form to correct it.
    assert second.replace("000.00.12.H36-260302-0002", CODE) == first
    # The very same input once the code no longer exists: byte for byte the same page.
    dossier.delete()
    gone = lookup(client, CODE, "068090009999")
    assert (gone.status_code, CSRF.sub("", gone.content.decode())) == (404, first)


def test_not_found_grants_nothing(client, catalogue):
    file_dossier(catalogue)
    lookup(client, CODE, "068090009999")
    html = client.get(URL, {"ma": CODE}).content.decode()
    assert "Đã nộp, chờ tiếp nhận" not in html


def test_empty_fields_are_asked_for_in_vietnamese(client):
    response = lookup(client, "  ", " . ")
    assert response.status_code == 200
    body = text(response)
    assert "Nhập mã hồ sơ." in body
    assert "Nhập số giấy tờ tùy thân của người nộp hồ sơ." in body
    assert NOT_FOUND not in body


def test_id_number_never_appears_in_a_url_nor_in_the_page(client, catalogue):
    file_dossier(catalogue)
    form_page = client.get(URL).content.decode()
    assert re.search(r'<form method="post" action="/tra-cuu-ho-so/"', form_page)

    found = lookup(client, CODE, "068 090 001 234")
    not_found = lookup(client, CODE, "068 090 009 999")
    result = client.get(found["Location"])
    assert ID_NUMBER not in found["Location"]
    for response, typed in ((result, ID_NUMBER), (not_found, "068090009999")):
        html = response.content.decode()
        assert typed not in re.sub(r"\s", "", html).replace(".", "")
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', html):
            assert typed[:6] not in url


def test_responses_are_never_stored(client, catalogue):
    file_dossier(catalogue)
    found = lookup(client, CODE, ID_NUMBER)
    responses = [client.get(URL), found, client.get(found["Location"]), lookup(client, CODE, "068090009999")]
    for response in responses:
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives


def test_eleventh_lookup_in_a_minute_is_refused_for_that_client_only(client, catalogue, fixed_rate_window):
    file_dossier(catalogue)
    statuses = [lookup(client, CODE, ID_NUMBER if i % 2 else "068090009999").status_code for i in range(10)]
    assert statuses == [404, 303] * 5  # found and not found both count

    refused = lookup(client, CODE, ID_NUMBER)
    assert refused.status_code == 429
    assert RATE_LIMITED in text(refused)
    assert int(refused["Retry-After"]) >= 1
    assert "no-store" in refused["Cache-Control"]

    other_client = lookup(client, CODE, ID_NUMBER, REMOTE_ADDR="10.1.2.3")
    assert other_client.status_code == 303


def test_showing_the_form_is_not_a_lookup(client, fixed_rate_window):
    for _i in range(12):
        assert client.get(URL).status_code == 200
    assert lookup(client, CODE, ID_NUMBER).status_code == 404


def test_lookup_rate_comes_from_the_setting(client, settings, fixed_rate_window):
    settings.DOSSIER_LOOKUP_RATE = "2/m"
    assert [lookup(client, CODE, ID_NUMBER).status_code for _i in range(3)] == [404, 404, 429]


# -- timeliness (DOMAIN.md §4: early / on time / late, finished or in progress) ---------------


def timeliness_shown(client, dossier) -> str:
    cache.clear()
    client.post(URL, {"code": dossier.code, "id_number": ID_NUMBER})
    match = re.search(r"Tiến độ (Sớm hạn|Đúng hạn|Quá hạn)", text(client.get(URL, {"ma": dossier.code})))
    return match.group(1) if match else ""


@pytest.mark.parametrize(
    ("finished_at", "returned_at", "expected"),
    [
        # Due Monday 23/3/2026.
        (datetime(2026, 3, 20, 10, 0, tzinfo=VN), None, "Sớm hạn"),
        (datetime(2026, 3, 23, 23, 30, tzinfo=VN), None, "Đúng hạn"),
        # 00:30 on 24/3 Vietnamese time is still 23/3 in UTC: the local date counts.
        (datetime(2026, 3, 24, 0, 30, tzinfo=VN), None, "Quá hạn"),
        # No processing time recorded, returned on 10/3: the return date counts.
        (None, datetime(2026, 3, 10, 14, 0, tzinfo=VN), "Sớm hạn"),
    ],
)
def test_timeliness_of_a_finished_dossier(client, catalogue, finished_at, returned_at, expected):
    dossier = file_dossier(catalogue)
    dossier.finished_at, dossier.returned_at = finished_at, returned_at
    dossier.save()
    assert timeliness_shown(client, dossier) == expected


@pytest.mark.parametrize(("days_to_due", "expected"), [(1, "Đúng hạn"), (0, "Đúng hạn"), (-1, "Quá hạn")])
def test_timeliness_of_a_dossier_in_progress(client, catalogue, days_to_due, expected):
    dossier = file_dossier(catalogue)
    dossier.due_date = timezone.localdate() + timedelta(days=days_to_due)
    dossier.save()
    assert timeliness_shown(client, dossier) == expected


def test_no_due_date_shows_no_timeliness(client, catalogue):
    dossier = file_dossier(catalogue)
    dossier.due_date = None
    dossier.save()
    assert timeliness_shown(client, dossier) == ""
    assert "Hẹn trả kết quả Chưa xác định" in text(client.get(URL, {"ma": dossier.code}))
