"""The plan (issue 7 item 4): totals, the XLSX appendix, deadline reminders; the public page and API (item 5)."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from openpyxl import load_workbook

from services.models import FieldOfWork, OnlineServiceForm
from services.rollout import services as rollout
from services.rollout.deadlines import notify_plan_deadlines, plans_due_soon
from services.rollout.resources import plan_appendix_xlsx, roman
from services.rollout.selectors import plan_progress, plan_totals
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

#: The plan reaches the Chairman on 25/9/2019 (Hà Nội time), before its 27/9/2019 approval.
SUBMITTED = datetime(2019, 9, 25, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def plan_world(catalogue):
    """Three proposals in one plan: two from the commune (one on a national list), one from the province."""
    hotich = FieldOfWork.objects.create(name="Hộ tịch")
    xaydung = FieldOfWork.objects.create(name="Hoạt động xây dựng")
    a = procedure(catalogue, code="1.004884", title="Đăng ký lại khai sinh", slug="a", fields_of_work=[hotich])
    b = procedure(catalogue, code="1.001193", title="=Đăng ký khai sinh", slug="b", fields_of_work=[hotich])
    c = procedure(
        catalogue,
        code="1.013225",
        title="Cấp giấy phép xây dựng",
        slug="c",
        level_label="Mức độ 2",
        fields_of_work=[xaydung],
    )
    mandate(b, item="1", name="Đăng ký khai sinh")
    xa, tp, th, ct = leader(commune_agency(), "xa"), leader(province_agency(), "tp"), aggregator("th"), chairman("ct")
    plan = rollout.plan_create(
        user=th,
        title="Kế hoạch 2019–2020",
        start_year=2019,
        end_year=2020,
        submission_deadline=date(2019, 9, 30),
        allow_past_deadline=True,  # the 2019 story, recorded today
    )
    proposals = []
    for user, page, level in ((xa, a, "4"), (xa, b, "4"), (tp, c, "3")):
        p = rollout.proposal_create(user=user, procedure=page, target_level=level, criteria=criteria())
        rollout.proposal_submit(proposal=p, user=user)
        rollout.proposal_accept(proposal=p, user=th, plan=plan)
        proposals.append(p)
    return {"plan": plan, "proposals": proposals, "th": th, "ct": ct, "pages": (a, b, c)}


@pytest.mark.django_db
def test_totals_by_agency_field_tier_and_level(plan_world):
    totals = plan_totals(plan_world["plan"])
    assert (totals.total, totals.deployed) == (3, 0)
    assert totals.by_agency == {"Sở Tư pháp tỉnh Lâm Đồng": 1, "Ủy ban nhân dân cấp xã": 2}
    assert totals.by_field == {"Hoạt động xây dựng": 1, "Hộ tịch": 2}
    assert totals.by_tier == {"Cấp Tỉnh": 1, "Cấp Xã": 2}
    assert totals.by_level == {"Một phần": 1, "Toàn trình": 2}


@pytest.mark.django_db
def test_appendix_layout_sections_numbering_and_formula_safety(plan_world):
    plan = plan_world["plan"]
    rollout.plan_submit(plan=plan, user=plan_world["th"], now=SUBMITTED)
    plan = rollout.plan_approve(
        plan=plan, user=plan_world["ct"], decision_number="2468/QĐ-UBND", decision_date=date(2019, 9, 27)
    )
    sheet = load_workbook(io.BytesIO(plan_appendix_xlsx(plan))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "PHỤ LỤC"
    # The plan's own title, in capitals (it already names its period 2019–2020).
    assert rows[1][0] == "DANH MỤC DỊCH VỤ CÔNG TRỰC TUYẾN THUỘC KẾ HOẠCH 2019–2020"
    assert rows[2][0] == "(Kèm theo Quyết định số 2468/QĐ-UBND ngày 27/09/2019 của Chủ tịch Ủy ban nhân dân tỉnh)"
    assert rows[4][:3] == ["STT", "Tên dịch vụ công trực tuyến", "Mã thủ tục"]
    # Sections by agency name (Sở… before Ủy…), services numbered from 1 in each.
    assert rows[5][:2] == ["I", "Sở Tư pháp tỉnh Lâm Đồng"]
    assert rows[6][:3] == [1, "Cấp giấy phép xây dựng", "1.013225"]
    assert rows[7][:2] == ["II", "Ủy ban nhân dân cấp xã"]
    # Procedures by name within the section: "=Đăng ký khai sinh" (escaped) sorts before "Đăng ký lại".
    assert rows[8][:3] == [1, "'=Đăng ký khai sinh", "1.001193"]
    assert "846/QĐ-TTg" in rows[8][8]
    assert rows[9][:3] == [2, "Đăng ký lại khai sinh", "1.004884"]
    assert "A1:I1" in {str(r) for r in sheet.merged_cells.ranges}


@pytest.mark.django_db
def test_appendix_heading_adds_the_period_when_the_title_lacks_it(plan_world):
    plan = plan_world["plan"]
    plan.title = "Kế hoạch số hóa dịch vụ công"
    sheet = load_workbook(io.BytesIO(plan_appendix_xlsx(plan))).active
    assert sheet["A2"].value == (
        "DANH MỤC DỊCH VỤ CÔNG TRỰC TUYẾN THUỘC KẾ HOẠCH SỐ HÓA DỊCH VỤ CÔNG GIAI ĐOẠN 2019–2020"
    )
    assert sheet["A3"].value == "(Dự thảo trình Chủ tịch Ủy ban nhân dân tỉnh)"


def test_roman_section_numbers():
    assert [roman(n) for n in (1, 4, 9, 10, 14, 19, 20)] == ["I", "IV", "IX", "X", "XIV", "XIX", "XX"]


@pytest.mark.django_db
def test_deadline_reminders_start_seven_calendar_days_before_and_continue_when_overdue(plan_world):
    # 30/9/2019 minus 22/9 = 8 days: not yet; from 23/9 (7 days) every day, and after the deadline.
    assert plans_due_soon(date(2019, 9, 22)) == []
    [item] = plans_due_soon(date(2019, 9, 23))
    assert (item.days_left, item.accepted) == (7, 3)
    assert plans_due_soon(date(2019, 10, 2))[0].days_left == -2
    assert notify_plan_deadlines(date(2019, 10, 2)) == 1  # the aggregating department's one user
    [message] = mail.outbox
    assert message.to == ["th@example.vn"]
    assert "hạn trình 30/09/2019 (đã quá hạn 2 ngày); 3 dịch vụ đã đưa vào kế hoạch" in message.body
    # Up to 30 days overdue: 30/10/2019 is 30 days after 30/9/2019; from 31/10/2019 (31 days) silence.
    assert plans_due_soon(date(2019, 10, 30))[0].days_left == -30
    assert plans_due_soon(date(2019, 10, 31)) == []
    mail.outbox.clear()
    assert notify_plan_deadlines(date(2026, 11, 30)) == 0 and mail.outbox == []
    out = io.StringIO()
    call_command("rollout_deadlines", "--date", "2026-11-30", "--dry-run", stdout=out)
    assert out.getvalue() == ""  # not the newcomer's "-2615" days
    # Once submitted, no more reminders.
    rollout.plan_submit(plan=plan_world["plan"], user=plan_world["th"])
    assert plans_due_soon(date(2019, 10, 2)) == []
    out = io.StringIO()
    call_command("rollout_deadlines", "--date", "2019-10-02", stdout=out)
    assert "Đã gửi 0 thư" in out.getvalue()


def approve_and_deploy_one(world):
    plan = world["plan"]
    rollout.plan_submit(plan=plan, user=world["th"], now=SUBMITTED)
    plan = rollout.plan_approve(
        plan=plan, user=world["ct"], decision_number="2468/QĐ-UBND", decision_date=date(2019, 9, 27)
    )
    page = world["pages"][2]
    form = OnlineServiceForm(procedure=page, title="Tờ khai cấp giấy phép xây dựng", fields=[])
    form.save()
    form.save_revision().publish()
    rollout.proposal_deploy(proposal=world["proposals"][2], user=world["th"], form=form)
    return plan


@pytest.mark.django_db
def test_progress_page_and_api_show_planned_against_deployed(plan_world, client):
    assert "Chưa có kế hoạch nào được phê duyệt" in client.get("/ke-hoach-dich-vu-cong/").content.decode()
    plan = approve_and_deploy_one(plan_world)
    assert [(r.agency, r.planned, r.deployed, r.rate) for r in plan_progress(plan)] == [
        ("Sở Tư pháp tỉnh Lâm Đồng", 1, 1, 100.0),
        ("Ủy ban nhân dân cấp xã", 2, 0, 0.0),
    ]
    page = client.get("/ke-hoach-dich-vu-cong/")
    html = page.content.decode()
    assert page.status_code == 200
    # 1 deployed of 3 planned = 33.3% (Vietnamese decimal comma on the page).
    assert (
        'data-figure="planned">3<' in html
        and 'data-figure="deployed">1<' in html
        and 'data-figure="rate">33,3<' in html
    )
    assert 'data-deployed="1.013225"' in html and "rollout-chart-data" in html
    assert '<a href="/ke-hoach-dich-vu-cong/" aria-current="page">Kế hoạch DVC</a>' in html
    missing = client.get("/ke-hoach-dich-vu-cong/?ke-hoach=999")
    assert missing.status_code == 404
    assert "Không có kế hoạch này (hoặc kế hoạch chưa được phê duyệt)." in missing.content.decode()
    bad = client.get("/ke-hoach-dich-vu-cong/?ke-hoach=abc")
    assert bad.status_code == 400
    assert "Mã kế hoạch “abc” không hợp lệ: phải là một số." in bad.content.decode()
    # The list of approved plans is offered instead.
    assert f'href="?ke-hoach={plan.pk}"' in bad.content.decode()
    data = client.get(f"/api/rollout/plans/{plan.pk}").json()
    assert (data["planned"], data["deployed"], data["approval_number"]) == (3, 1, "2468/QĐ-UBND")
    assert data["agencies"][0] == {"agency": "Sở Tư pháp tỉnh Lâm Đồng", "planned": 1, "deployed": 1, "rate": 100.0}
    assert {s["code"]: s["status"] for s in data["services"]}["1.013225"] == "deployed"
    assert client.get("/api/rollout/plans").json()[0]["id"] == plan.pk


@pytest.mark.django_db
def test_unapproved_plans_are_not_public(plan_world, client):
    plan = plan_world["plan"]
    detail = {"detail": "Không có kế hoạch này (hoặc kế hoạch chưa được phê duyệt)."}
    for plan_id in (plan.pk, 99999999999999, 99999999999999999999999, 0):
        response = client.get(f"/api/rollout/plans/{plan_id}")
        assert (response.status_code, response.json()) == (404, detail), plan_id
    assert client.get(f"/ke-hoach-dich-vu-cong/?ke-hoach={plan.pk}").status_code == 404
    assert client.get("/api/rollout/plans").json() == []
