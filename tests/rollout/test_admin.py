"""Admin pages of roll-out planning (issue 7 items 1–4): scope, forms, actions, import, review."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from services.rollout import services as rollout
from services.rollout.models import NationalMandate, Plan, Proposal
from tests.rollout.builders import aggregator, chairman, commune_agency, criteria, leader, procedure, province_agency

SAMPLE = Path(__file__).resolve().parents[2] / "services" / "rollout" / "data" / "sample_national_list.csv"


@pytest.fixture
def world(catalogue):
    return {
        "page": procedure(catalogue),
        "xa": leader(commune_agency(), "xa"),
        "tp": leader(province_agency(), "tp"),
        "th": aggregator("th"),
        "ct": chairman("ct"),
    }


def form_data(**overrides):
    data = {
        "code": "1.004884",
        "target_level": "",
        "yearly_volume": "1200",
        "readiness": "ready",
        "whole_process_online": "on",
        "rationale": "Số hồ sơ lớn.",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_agency_user_proposes_through_the_form_and_sees_only_their_agency(world, client):
    from tests.factories import level

    client.force_login(world["xa"])
    response = client.post("/admin/ke-hoach-dvc/de-xuat/them/", form_data(target_level=level("Toàn trình").pk))
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/de-xuat/{proposal.pk}/")
    assert proposal.agency == commune_agency() and proposal.created_by == world["xa"]
    # An unknown code and a level-4 proposal without the whole process online are refused in Vietnamese.
    page = client.post(
        "/admin/ke-hoach-dvc/de-xuat/them/", form_data(code="9.999999", target_level=level("Một phần").pk)
    )
    assert "Không có thủ tục nào mã 9.999999" in page.content.decode()
    client.force_login(world["tp"])
    page = client.post(
        "/admin/ke-hoach-dvc/de-xuat/them/",
        form_data(target_level=level("Toàn trình").pk, whole_process_online=""),
    )
    assert "toàn bộ quy trình trên mạng" in page.content.decode()
    # The aggregating department has no agency of its own: it must name one.
    client.force_login(world["th"])
    page = client.post("/admin/ke-hoach-dvc/de-xuat/them/", form_data(target_level=level("Một phần").pk))
    assert "Tài khoản chưa gắn với cơ quan nào" in page.content.decode()
    client.force_login(world["tp"])
    # The province department cannot open the commune's proposal.
    assert client.get(f"/admin/ke-hoach-dvc/de-xuat/{proposal.pk}/").status_code == 404
    assert client.post(f"/admin/ke-hoach-dvc/de-xuat/{proposal.pk}/submit/").status_code == 404
    assert f'data-proposal="{proposal.pk}"' not in client.get("/admin/ke-hoach-dvc/").content.decode()
    client.force_login(world["xa"])
    assert f'data-proposal="{proposal.pk}"' in client.get("/admin/ke-hoach-dvc/").content.decode()


@pytest.mark.django_db
def test_actions_through_the_pages_and_an_illegal_one_explained(world, client):
    p = rollout.proposal_create(user=world["xa"], procedure=world["page"], target_level="3", criteria=criteria())
    client.force_login(world["xa"])
    client.post(f"/admin/ke-hoach-dvc/de-xuat/{p.pk}/submit/", {"submit-note": "Kính gửi Sở TT&TT"})
    p.refresh_from_db()
    assert p.status == "submitted"
    response = client.post(f"/admin/ke-hoach-dvc/de-xuat/{p.pk}/submit/", follow=True)
    assert "Không thể gửi đề xuất đang ở trạng thái “Đã gửi”" in response.content.decode()
    client.force_login(world["th"])
    today = timezone.localdate()
    client.post(
        "/admin/ke-hoach-dvc/ke-hoach/",
        {"title": "KH 2019–2020", "start_year": 2019, "end_year": 2020, "submission_deadline": today.isoformat()},
    )
    plan = Plan.objects.get()
    client.post(f"/admin/ke-hoach-dvc/de-xuat/{p.pk}/accept/", {"accept-plan": plan.pk})
    client.post(f"/admin/ke-hoach-dvc/ke-hoach/{plan.pk}/submit/")
    client.force_login(world["ct"])
    detail = client.get(f"/admin/ke-hoach-dvc/ke-hoach/{plan.pk}/").content.decode()
    assert "Phê duyệt kế hoạch" in detail and 'data-total="1"' in detail
    client.post(
        f"/admin/ke-hoach-dvc/ke-hoach/{plan.pk}/approve/",
        # Submitted through the page today, so the decision is dated today.
        {"approve-decision_number": "2468/QĐ-UBND", "approve-decision_date": today.isoformat()},
    )
    p.refresh_from_db()
    assert p.status == "approved"
    export = client.get(f"/admin/ke-hoach-dvc/ke-hoach/{plan.pk}/xuat/")
    assert export.status_code == 200 and export["Content-Disposition"].endswith('ke-hoach-dvctt-2019-2020.xlsx"')
    # The aggregating department filters proposals by agency.
    client.force_login(world["th"])
    listed = client.get(f"/admin/ke-hoach-dvc/?co-quan={province_agency().pk}").content.decode()
    assert f'data-proposal="{p.pk}"' not in listed
    listed = client.get(f"/admin/ke-hoach-dvc/?co-quan={commune_agency().pk}&trang-thai=approved").content.decode()
    assert f'data-proposal="{p.pk}"' in listed
    # Agency users do not reach plans.
    client.force_login(world["xa"])
    assert client.get(f"/admin/ke-hoach-dvc/ke-hoach/{plan.pk}/")["Location"] == "/admin/"  # denied


@pytest.mark.django_db
def test_list_import_checks_first_then_writes_and_review_confirms_a_match(world, client, catalogue):
    procedure(catalogue, code="1.001193", title="Thủ tục đăng ký khai sinh", slug="ks")
    client.force_login(world["th"])
    upload = SimpleUploadedFile("list.csv", SAMPLE.read_bytes(), content_type="text/csv")
    page = client.post("/admin/ke-hoach-dvc/danh-muc-quoc-gia/", {"file": upload})
    assert "Kiểm tra (chưa ghi)" in page.content.decode() and NationalMandate.objects.count() == 0
    upload = SimpleUploadedFile("list.csv", SAMPLE.read_bytes(), content_type="text/csv")
    client.post("/admin/ke-hoach-dvc/danh-muc-quoc-gia/", {"file": upload, "confirm": "on"})
    assert NationalMandate.objects.count() == 10
    item = NationalMandate.objects.get(service_name="Đăng ký khai sinh")
    review = client.get(f"/admin/ke-hoach-dvc/danh-muc-quoc-gia/{item.pk}/")
    assert "1.001193" in review.content.decode()
    client.post(f"/admin/ke-hoach-dvc/danh-muc-quoc-gia/{item.pk}/", {"choice": str(item.matched_procedure_id)})
    item.refresh_from_db()
    assert item.match_confirmed_by == world["th"] and item.match_method == "name"
    other = NationalMandate.objects.get(service_name="Đăng ký kết hôn")
    client.post(f"/admin/ke-hoach-dvc/danh-muc-quoc-gia/{other.pk}/", {"choice": "code", "code": "1.004884"})
    other.refresh_from_db()
    assert (other.matched_procedure.code, other.match_method) == ("1.004884", "manual")
    # Agency users cannot manage the lists.
    client.force_login(world["xa"])
    assert client.get("/admin/ke-hoach-dvc/danh-muc-quoc-gia/")["Location"] == "/admin/"  # Wagtail: denied -> dashboard
    export = client.get("/admin/ke-hoach-dvc/danh-muc-quoc-gia/xuat/")
    assert export.status_code == 302
    client.force_login(world["th"])
    assert client.get("/admin/ke-hoach-dvc/danh-muc-quoc-gia/xuat/").content.startswith("\ufeff".encode())


def non_field_errors(html: str) -> list[str]:
    """The texts of the page's ``errorlist nonfield`` lists (Django's markup for non-field errors)."""
    return re.findall(r'<ul class="errorlist nonfield"[^>]*>(.*?)</ul>', html, re.S)


@pytest.mark.django_db
def test_a_huge_yearly_volume_is_refused_on_both_forms_without_a_500(world, client):
    from tests.factories import level

    client.force_login(world["xa"])
    huge = "99999999999999999999"
    page = client.post(
        "/admin/ke-hoach-dvc/de-xuat/them/", form_data(target_level=level("Một phần").pk, yearly_volume=huge)
    )
    assert page.status_code == 200 and not Proposal.objects.exists()
    assert "Số hồ sơ một năm không được lớn hơn 100.000.000." in page.content.decode()
    # 100,000,000 exactly is the most accepted.
    client.post(
        "/admin/ke-hoach-dvc/de-xuat/them/", form_data(target_level=level("Một phần").pk, yearly_volume="100000000")
    )
    proposal = Proposal.objects.get()
    assert proposal.yearly_volume == 100_000_000
    page = client.post(
        f"/admin/ke-hoach-dvc/de-xuat/{proposal.pk}/sua/",
        form_data(target_level=level("Một phần").pk, yearly_volume=huge),
    )
    assert page.status_code == 200 and "không được lớn hơn 100.000.000" in page.content.decode()
    assert Proposal.objects.get().yearly_volume == 100_000_000


@pytest.mark.django_db
def test_non_field_errors_are_shown_once(world, client):
    from tests.factories import level

    client.force_login(world["xa"])
    data = form_data(target_level=level("Một phần").pk)
    client.post("/admin/ke-hoach-dvc/de-xuat/them/", data)
    html = client.post("/admin/ke-hoach-dvc/de-xuat/them/", data).content.decode()
    assert len(non_field_errors(html)) == 1 and html.count("đã có đề xuất cho thủ tục 1.004884") == 1
    # The plan form: end year before start year is said once, on the end year.
    client.force_login(world["th"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    html = client.post(
        "/admin/ke-hoach-dvc/ke-hoach/",
        {"title": "KH", "start_year": 2021, "end_year": 2020, "submission_deadline": tomorrow},
    ).content.decode()
    assert html.count("Năm kết thúc phải từ năm bắt đầu trở đi.") == 1 and not Plan.objects.exists()


@pytest.mark.django_db
def test_plan_form_refuses_a_deadline_in_the_past(world, client):
    client.force_login(world["th"])
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    html = client.post(
        "/admin/ke-hoach-dvc/ke-hoach/",
        {"title": "KH", "start_year": 2019, "end_year": 2020, "submission_deadline": yesterday.isoformat()},
    ).content.decode()
    assert f"Hạn trình đã qua; chọn một ngày từ hôm nay ({today:%d/%m/%Y}) trở đi." in html
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_target_level_offers_the_two_classes_without_a_default(world, client):
    client.force_login(world["xa"])
    html = client.get("/admin/ke-hoach-dvc/de-xuat/them/").content.decode()
    select = re.search(r'<select name="target_level".*?</select>', html, re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    # An empty prompt, then exactly "Một phần (mức độ 3)" and "Toàn trình (mức độ 4)"; nothing preselected.
    assert options == ["— Chọn mức độ —", "Một phần (mức độ 3)", "Toàn trình (mức độ 4)"]
    assert "selected" not in select.split("</option>", 1)[1]
    html = client.post("/admin/ke-hoach-dvc/de-xuat/them/", form_data()).content.decode()
    assert "Chọn mức độ đề xuất." in html and not Proposal.objects.exists()
    # A proposal stored at "Mức độ 4" is edited as "Toàn trình (mức độ 4)".
    p = rollout.proposal_create(user=world["xa"], procedure=world["page"], target_level="4", criteria=criteria())
    html = client.get(f"/admin/ke-hoach-dvc/de-xuat/{p.pk}/sua/").content.decode()
    assert re.search(r'<option value="\d+" selected>Toàn trình \(mức độ 4\)</option>', html)


@pytest.mark.django_db
def test_edit_page_of_an_approved_proposal_is_read_only_with_the_reason(world, client):
    p = rollout.proposal_create(user=world["xa"], procedure=world["page"], target_level="3", criteria=criteria())
    rollout.proposal_submit(proposal=p, user=world["xa"])
    client.force_login(world["xa"])
    html = client.get(f"/admin/ke-hoach-dvc/de-xuat/{p.pk}/sua/").content.decode()
    assert "Đề xuất đang ở trạng thái “Đã gửi” nên không sửa được" in html
    assert "<form" not in html.split("data-readonly", 1)[1] and 'name="yearly_volume"' not in html
    # Posting anyway changes nothing.
    client.post(f"/admin/ke-hoach-dvc/de-xuat/{p.pk}/sua/", form_data(yearly_volume="5"))
    assert Proposal.objects.get(pk=p.pk).yearly_volume == 1200


@pytest.mark.django_db
def test_audit_trail_shows_names_family_name_first(catalogue, client):
    page = procedure(catalogue)
    xa = leader(commune_agency(), "xa", name="Nguyễn Thị Lan")
    p = rollout.proposal_create(user=xa, procedure=page, target_level="3", criteria=criteria())
    assert (xa.last_name, xa.first_name) == ("Nguyễn Thị", "Lan")
    client.force_login(xa)
    html = client.get(f"/admin/ke-hoach-dvc/de-xuat/{p.pk}/").content.decode()
    assert "<td>Nguyễn Thị Lan</td>" in html and "Lan Nguyễn Thị" not in html


@pytest.mark.django_db
def test_review_page_states_the_thresholds_of_matching_py(world, client, catalogue):
    from tests.rollout.builders import mandate

    item = mandate(None, name="Đăng ký khai sinh")
    client.force_login(world["th"])  # the aggregating department manages the lists
    html = client.get(f"/admin/ke-hoach-dvc/danh-muc-quoc-gia/{item.pk}/").content.decode()
    # AUTO_SCORE 95, AUTO_GAP 3, SUGGEST_SCORE 75 as shipped; the old 90 / 5 no longer appear.
    assert "từ 95 trở lên và hơn ứng viên thứ hai từ 3 điểm thì tự khớp; từ 75 đến dưới 95" in html
    assert "từ 90 và hơn ứng viên thứ hai 5 điểm" not in html


@pytest.mark.django_db
def test_approving_through_the_page_with_a_decision_of_1900_is_refused(world, client):
    from services.workdays import LOCAL_TZ

    p = rollout.proposal_create(user=world["xa"], procedure=world["page"], target_level="3", criteria=criteria())
    rollout.proposal_submit(proposal=p, user=world["xa"])
    plan = rollout.plan_create(
        user=world["th"], title="KH", start_year=2026, end_year=2027, submission_deadline=timezone.localdate()
    )
    rollout.proposal_accept(proposal=p, user=world["th"], plan=plan)
    plan = rollout.plan_submit(plan=plan, user=world["th"])
    submitted = plan.submitted_at.astimezone(LOCAL_TZ).date()
    client.force_login(world["ct"])
    response = client.post(
        f"/admin/ke-hoach-dvc/ke-hoach/{plan.pk}/approve/",
        {"approve-decision_number": "1/QĐ-UBND", "approve-decision_date": "1900-01-01"},
        follow=True,
    )
    assert (
        "Ngày quyết định phê duyệt (01/01/1900) không được trước ngày kế hoạch được trình Chủ tịch UBND tỉnh "
        f"({submitted:%d/%m/%Y})." in response.content.decode()
    )
    assert Plan.objects.get(pk=plan.pk).status == "submitted"
