"""Online filing: forms built from blocks, validation, uploads, dossier codes, due dates (issue 4).

Cases C13–C18 of ../shared/cases/README.md. Expected values are worked out by hand from
DOMAIN.md §4 and Circular 01/2018 (code format, sequence per agency per day).
"""

import hashlib
import re
import threading
import uuid
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from services.blocks.forms import split_options
from services.dossiers.services import Applicant, FilingError, dossier_submit
from services.models import Dossier, DossierAttachment, OnlineServiceForm
from tests.services.dossier_builders import (
    APPLICATION_FIELD,
    DRAWINGS_FIELD,
    FORM_FIELDS,
    JPEG,
    PNG,
    filing_data,
    online_procedure,
    pdf_bytes,
    publish_form,
    receiving_agency,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MB = 1024 * 1024


def application(name="Tờ khai đăng ký.pdf", size=2000, content=None):
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes(size), "application/pdf")


def file(client, procedure, data=None, **files):
    data = data or filing_data()
    data.setdefault(APPLICATION_FIELD, application())
    data.update(files)
    return client.post(f"{procedure.url}nop-ho-so/", data)


@pytest.fixture
def procedure(catalogue):
    return online_procedure(catalogue)


@pytest.fixture
def online_form(procedure):
    return publish_form(procedure)


def applicant(name="Trần Thị Bình", number="068190004321"):
    return Applicant(name=name, id_type="cccd", id_number=number, phone="0987654321")


def answers_of(form):
    return [{"id": c.id, "type": c.block.answer_type, "label": c.value["label"], "value": None} for c in form.fields]


# -- C13: choices --------------------------------------------------------------------------


def test_choice_options_are_lines_and_commas_stay_inside_an_option():
    """C13: a single line with commas is one option; two lines are two options."""
    assert split_options("Tôi cam đoan, những thông tin khai trên là đúng sự thật") == [
        "Tôi cam đoan, những thông tin khai trên là đúng sự thật"
    ]
    assert split_options("UBND xã, phường, thị trấn\nUBND huyện, thị xã\n\n") == [
        "UBND xã, phường, thị trấn",
        "UBND huyện, thị xã",
    ]


@pytest.mark.django_db
def test_choice_question_renders_two_radio_options(client, online_form, procedure):
    """C13: the form shows exactly the two options of the two-line list, commas kept."""
    html = client.get(f"{procedure.url}nop-ho-so/").content.decode()
    assert html.count('type="radio"') == 2
    assert 'value="UBND xã, phường, thị trấn"' in html
    assert 'value="UBND huyện, thị xã"' in html


# -- C14: drafts -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_draft_only_form_is_never_served(client, procedure):
    """C14: a form saved as draft only is not usable on the procedure page, filing or API."""
    draft = OnlineServiceForm(procedure=procedure, title="Biểu mẫu nháp chưa công bố XYZ", fields=FORM_FIELDS)
    draft.live = False
    draft.save()
    draft.save_revision()

    page = client.get(procedure.url).content.decode()
    assert "nop-ho-so/" not in page
    assert client.get(f"{procedure.url}nop-ho-so/").status_code == 404
    api = client.get(f"/api/v2/pages/{procedure.pk}/").json()
    assert api["online_form_info"] == []
    with pytest.raises(FilingError):
        dossier_submit(form=draft, applicant=applicant(), answers=[], uploads=[])
    search = client.get("/api/search/procedures", {"q": "Biểu mẫu nháp chưa công bố XYZ"}).json()
    assert search["count"] == 0


@pytest.mark.django_db
def test_published_form_keeps_serving_live_version_while_a_draft_exists(client, online_form, procedure):
    """C14: a newer draft does not reach citizens; the live revision keeps serving."""
    live_revision = online_form.live_revision_id
    edited = OnlineServiceForm.objects.get(pk=online_form.pk)
    edited.fields = [
        {"type": "short_text", "value": {"label": "Câu hỏi chỉ có trong bản nháp", "required": True, "max_length": 50}}
    ]
    edited.save_revision()  # draft: not published

    html = client.get(f"{procedure.url}nop-ho-so/").content.decode()
    assert "Câu hỏi chỉ có trong bản nháp" not in html
    assert "Địa điểm xây dựng" in html
    response = file(client, procedure)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.form_revision_id == live_revision
    assert [a["label"] for a in dossier.answers][0] == "Địa điểm xây dựng"


@pytest.mark.django_db
def test_level_without_online_filing_has_no_filing_page(client, catalogue):
    from tests.factories import level

    procedure = online_procedure(catalogue, code="1.000001")
    publish_form(procedure)
    procedure.online_level = level("Mức độ 2")
    procedure.save_revision().publish()
    assert client.get(f"{procedure.url}nop-ho-so/").status_code == 404


# -- validation messages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_bad_input_gets_vietnamese_messages_next_to_each_field_and_nothing_is_saved(client, online_form, procedure):
    data = filing_data(applicant_id_number="06809000123", applicant_phone="12345")
    del data["q-11111111-0000-0000-0000-000000000004"]  # the declaration box left unticked
    response = file(client, procedure, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["applicant_id_number"] == ["Số căn cước gồm đúng 12 chữ số."]
    assert "Số điện thoại chưa đúng" in form.errors["applicant_phone"][0]
    assert "q-11111111-0000-0000-0000-000000000004" in form.errors
    assert Dossier.objects.count() == 0
    assert DossierAttachment.objects.count() == 0


@pytest.mark.django_db
def test_phone_and_id_number_are_stored_normalised(client, online_form, procedure):
    file(client, procedure, filing_data(applicant_id_number="068 090.001-234", applicant_phone="+84 912.345.678"))
    dossier = Dossier.objects.get()
    assert dossier.applicant_id_number == "068090001234"
    assert dossier.applicant_phone == "0912345678"


# -- C15: upload size and kind -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [int(2.4 * MB), int(2.6 * MB), 5 * MB])
def test_uploads_up_to_the_limit_are_saved_byte_identical(client, online_form, procedure, size):
    """C15: 2.4 MB (kept in memory), 2.6 MB (spooled to a temporary file) and exactly 5 MB
    (the drawings' limit) are saved and download byte-identical."""
    content = (PNG + b"\x00" * size)[:size]
    response = file(client, procedure, **{DRAWINGS_FIELD: SimpleUploadedFile("bản vẽ.png", content, "image/png")})
    assert response.status_code == 302
    attachment = DossierAttachment.objects.get(component="Bản vẽ thiết kế")
    assert attachment.size == size
    download = client.get(f"/ho-so/{attachment.dossier.code}/tep/{attachment.pk}/")
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == hashlib.sha256(content).hexdigest()


@pytest.mark.django_db
def test_upload_above_the_limit_is_a_form_error_on_its_field(client, online_form, procedure):
    """C15: the limit + 1 MB (6 MB against 5 MB) is a message on that field, not a 500."""
    content = PNG + b"\x00" * (6 * MB)
    response = file(client, procedure, **{DRAWINGS_FIELD: SimpleUploadedFile("ban-ve.png", content, "image/png")})
    assert response.status_code == 200
    errors = response.context["form"].errors[DRAWINGS_FIELD]
    assert "vượt dung lượng tối đa 5,0\xa0MB" in errors[0]
    assert Dossier.objects.count() == 0


@pytest.mark.django_db
def test_three_megabyte_text_answer_is_a_form_error(client, online_form, procedure):
    """C15: a 3 MB text field gets "at most 5000 characters" on the field, never a 500."""
    data = filing_data(**{"q-11111111-0000-0000-0000-000000000002": "a" * (3 * MB)})
    response = file(client, procedure, data)
    assert response.status_code == 200
    assert "5000" in response.context["form"].errors["q-11111111-0000-0000-0000-000000000002"][0]


@pytest.mark.django_db
def test_upload_kind_is_judged_by_content_not_extension(client, online_form, procedure):
    """A text file named .pdf is refused; a JPEG is refused where only PDF/DOCX are accepted."""
    fake = SimpleUploadedFile("don.pdf", b"hello, I am not a PDF", "application/pdf")
    response = file(client, procedure, **{APPLICATION_FIELD: fake})
    assert "không phải là PDF, DOCX" in response.context["form"].errors[APPLICATION_FIELD][0]
    photo = SimpleUploadedFile("don.pdf", JPEG + b"\x00" * 100, "application/pdf")
    response = file(client, procedure, **{APPLICATION_FIELD: photo})
    assert APPLICATION_FIELD in response.context["form"].errors
    assert Dossier.objects.count() == 0


@pytest.mark.django_db
def test_required_upload_missing_is_an_error(client, online_form, procedure):
    data = filing_data()
    response = client.post(f"{procedure.url}nop-ho-so/", data)
    assert response.status_code == 200
    assert APPLICATION_FIELD in response.context["form"].errors


# -- C18: Vietnamese file names, private storage ------------------------------------------------


@pytest.mark.django_db
def test_vietnamese_file_names_are_kept_and_downloadable(client, online_form, procedure):
    """C18: "Tờ khai đăng ký.pdf" and "đơn.pdf" keep their names; stored as ASCII transliteration."""
    drawings = SimpleUploadedFile("đơn.pdf", pdf_bytes(500), "application/pdf")
    file(client, procedure, **{DRAWINGS_FIELD: drawings})
    dossier = Dossier.objects.get()
    first, second = dossier.attachments.order_by("id")
    assert first.original_name == "Tờ khai đăng ký.pdf"
    assert second.original_name == "đơn.pdf"
    # Stored under an ASCII transliteration; the storage may add a suffix to avoid a clash.
    assert re.search(r"/to-khai-dang-ky(_\w+)?\.pdf$", first.file.name)
    assert re.search(r"/don(_\w+)?\.pdf$", second.file.name)
    response = client.get(f"/ho-so/{dossier.code}/tep/{first.pk}/")
    assert response.status_code == 200
    assert f"filename*=utf-8''{quote('Tờ khai đăng ký.pdf')}" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_dossier_files_are_private(client, online_form, procedure):
    """Files live outside MEDIA_ROOT and another browser gets 404 for them."""
    file(client, procedure)
    attachment = DossierAttachment.objects.get()
    path = attachment.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    from django.test import Client

    assert Client().get(f"/ho-so/{attachment.dossier.code}/tep/{attachment.pk}/").status_code == 404


# -- C16: double submission --------------------------------------------------------------------


@pytest.mark.django_db
def test_double_submission_files_one_dossier(client, online_form, procedure):
    """C16: the same form posted twice gives one dossier; both answers lead to its receipt."""
    data = filing_data()
    first = file(client, procedure, dict(data))
    second = file(client, procedure, dict(data))
    assert Dossier.objects.count() == 1
    assert DossierAttachment.objects.count() == 1
    code = Dossier.objects.get().code
    assert first["Location"] == second["Location"] == f"/ho-so/{code}/bien-nhan/"


# -- dossier code --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dossier_code_is_agency_date_and_daily_sequence(online_form):
    """``<agency id>-YYMMDD-XXXX``; the sequence restarts each day and is per agency."""
    day1 = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    day2 = datetime(2026, 3, 3, 9, 0, tzinfo=VN)
    codes = [
        dossier_submit(form=online_form, applicant=applicant(), answers=[], uploads=[], now=when).dossier.code
        for when in (day1, day1, day2)
    ]
    assert codes == ["000.00.12.H36-260302-0001", "000.00.12.H36-260302-0002", "000.00.12.H36-260303-0001"]

    other = receiving_agency("000.00.20.H36", "Sở Tư pháp tỉnh Lâm Đồng")
    online_form.receiving_agency = other
    online_form.save()
    code = dossier_submit(form=online_form, applicant=applicant(), answers=[], uploads=[], now=day1).dossier.code
    assert code == "000.00.20.H36-260302-0001"


@pytest.mark.django_db
def test_code_date_is_the_local_date(online_form):
    """23:30 on 2 March in Vietnam is 16:30 UTC: the code carries 260302, not the UTC date."""
    late = datetime(2026, 3, 2, 23, 30, tzinfo=VN)
    code = dossier_submit(form=online_form, applicant=applicant(), answers=[], uploads=[], now=late).dossier.code
    assert code == "000.00.12.H36-260302-0001"


@pytest.mark.django_db
def test_agency_without_identifier_cannot_receive(online_form):
    agency = receiving_agency("", "Cơ quan chưa có mã")
    online_form.receiving_agency = agency
    online_form.save()
    with pytest.raises(FilingError, match="mã định danh"):
        dossier_submit(form=online_form, applicant=applicant(), answers=[], uploads=[])
    assert Dossier.objects.count() == 0


# -- due dates ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_due_date_across_tet_2026(catalogue):
    """3 working days from Thu 12/2/2026 10:00: Fri 13 (1); Sat 14, Sun 15; Tết Mon 16–Fri 20;
    Sat 21, Sun 22; Mon 23 (2); Tue 24 (3) -> due 24/02/2026."""
    form = publish_form(online_procedure(catalogue, time_limit=3))
    when = datetime(2026, 2, 12, 10, 0, tzinfo=VN)
    dossier = dossier_submit(form=form, applicant=applicant(), answers=[], uploads=[], now=when).dossier
    assert dossier.received_on.isoformat() == "2026-02-12"
    assert dossier.due_date.isoformat() == "2026-02-24"
    assert (dossier.time_limit, dossier.time_unit) == (Decimal("3"), "working_days")


@pytest.mark.django_db
def test_due_date_after_the_cutoff_and_across_30_4(catalogue):
    """Wed 29/4/2026 15:30 is after 15:00 -> received Thu 30/4? No: 30/4 and 1/5 are holidays,
    2–3/5 a weekend, so reception is Mon 4/5; 2 working days: Tue 5 (1), Wed 6 (2) -> 06/05/2026."""
    form = publish_form(online_procedure(catalogue, time_limit=2))
    when = datetime(2026, 4, 29, 15, 30, tzinfo=VN)
    dossier = dossier_submit(form=form, applicant=applicant(), answers=[], uploads=[], now=when).dossier
    assert dossier.code.endswith("-260429-0001")  # the code keeps the day it was filed
    assert dossier.received_on.isoformat() == "2026-05-04"
    assert dossier.due_date.isoformat() == "2026-05-06"


@pytest.mark.django_db
def test_calendar_day_limit_and_no_limit(catalogue):
    """10 calendar days from Mon 2/3/2026 -> Thu 12/3/2026 (a working day, not moved);
    a procedure stating no number has no due date."""
    form = publish_form(online_procedure(catalogue, time_limit=10, unit="days"))
    when = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    assert (
        dossier_submit(form=form, applicant=applicant(), answers=[], uploads=[], now=when).dossier.due_date.isoformat()
        == "2026-03-12"
    )

    procedure = online_procedure(catalogue, code="1.000002", time_limit=None)
    form = publish_form(procedure)
    assert dossier_submit(form=form, applicant=applicant(), answers=[], uploads=[], now=when).dossier.due_date is None


# -- answers tied to the form version ------------------------------------------------------------


@pytest.mark.django_db
def test_answers_are_structured_and_keep_their_revision(client, online_form, procedure):
    file(client, procedure)
    dossier = Dossier.objects.get()
    by_label = {a["label"]: a for a in dossier.answers}
    assert by_label["Địa điểm xây dựng"]["value"] == "Thửa 123, tờ bản đồ 45"
    assert by_label["Cơ quan cấp"] == {
        "id": "11111111-0000-0000-0000-000000000003",
        "type": "choice",
        "label": "Cơ quan cấp",
        "value": "UBND xã, phường, thị trấn",
    }
    assert by_label["Tôi cam đoan, những thông tin khai trên là đúng sự thật"]["value"] is True
    assert by_label["Đơn đề nghị cấp giấy phép xây dựng"]["value"] == ["Tờ khai đăng ký.pdf"]
    assert dossier.status.code == 1
    assert dossier.channel == "online"
    assert dossier.events.get().to_status.code == 1
    first_revision = dossier.form_revision_id

    online_form.title = "Tờ khai (sửa đổi)"
    online_form.save_revision().publish()
    file(client, procedure)
    newer = Dossier.objects.order_by("-id").first()
    assert newer.form_revision_id != first_revision
    assert Dossier.objects.get(pk=dossier.pk).form_revision_id == first_revision


@pytest.mark.django_db
def test_several_cases_ask_the_citizen_to_choose(client, catalogue):
    from tests.services.dossier_builders import online_case

    procedure = online_procedure(catalogue)
    procedure.cases = [online_case(title="Cấp mới"), online_case(title="Cấp lại", time_limit=5)]
    procedure.save_revision().publish()
    publish_form(procedure, title="Biểu mẫu A", case_title="Cấp mới")
    second = publish_form(procedure, title="Biểu mẫu B", case_title="Cấp lại")
    html = client.get(f"{procedure.url}nop-ho-so/").content.decode()
    assert "Cấp mới" in html and "Cấp lại" in html
    assert f"nop-ho-so/{second.pk}/" in html
    assert client.get(f"{procedure.url}nop-ho-so/{second.pk}/").status_code == 200


# -- C17: concurrency (PostgreSQL) ---------------------------------------------------------------


ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
needs_postgresql = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="row locks under real concurrency need PostgreSQL (CI runs this suite on it)"
)


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_parallel_filings_get_twenty_distinct_codes(catalogue):
    """C17: 20 filings at once for one agency on one day: codes 0001..0020, each its own data."""
    form = publish_form(online_procedure(catalogue))
    when = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    results, errors = {}, []
    barrier = threading.Barrier(20)

    def worker(i):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            submission = dossier_submit(
                form=OnlineServiceForm.objects.get(pk=form.pk),
                applicant=applicant(name=f"Người nộp {i}", number=f"0680900{i:05d}"),
                answers=[],
                uploads=[],
                submission_key=uuid.uuid4(),
                now=when,
            )
            results[i] = submission.dossier
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    codes = sorted(d.code for d in results.values())
    assert codes == [f"000.00.12.H36-260302-{n:04d}" for n in range(1, 21)]
    for i, dossier in results.items():
        stored = Dossier.objects.get(code=dossier.code)
        assert stored.applicant_name == f"Người nộp {i}"


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_double_submission_files_once(catalogue):
    """C16 under real concurrency: two POSTs of one form ~at once -> one dossier, same code."""
    form = publish_form(online_procedure(catalogue))
    key = uuid.uuid4()
    codes, barrier = [], threading.Barrier(2)

    def worker():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            codes.append(
                dossier_submit(
                    form=OnlineServiceForm.objects.get(pk=form.pk),
                    applicant=applicant(),
                    answers=[],
                    uploads=[],
                    submission_key=key,
                ).dossier.code
            )
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Dossier.objects.count() == 1
    assert len(codes) == 2 and codes[0] == codes[1]
