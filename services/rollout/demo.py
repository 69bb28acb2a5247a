"""Demo data of roll-out planning, on top of the demo catalogue (``services.demo.loader.load_demo``).

``load_rollout_demo()`` imports the team's sample national list (``data/sample_national_list.csv``,
marked "MẪU"), creates one user per role and replays the Quảng Bình 2019 story (DOMAIN.md §1)
with the demo agencies of Lâm Đồng: eight proposals from six agencies (two of them for the same
procedure at two tiers, two on the sample national list, one already online at its target), a
2019–2020 plan due to the Chairman on 30/9/2019 and approved on 27/9/2019 by decision
"2468/QĐ-UBND" (a made-up number), and one service deployed with a new online form. Idempotent:
a second call finds the plan and changes nothing.

Users (password ``DEMO_OFFICER_PASSWORD``, default ``dichvucong-demo``, like the other demo
officers): ``xa-demo`` (UBND cấp xã),
``sotuphap-demo`` (Sở Tư pháp), ``kinhte-demo`` (Phòng Kinh tế cấp xã), ``soxaydung-demo``,
``soyte-demo``, ``sovhttdl-demo`` (agency leaders), ``tonghop-demo`` (aggregating department),
``chutich-demo`` (Chairman). A demo user is named by their role ("Lãnh đạo Sở Tư pháp"), kept
whole in ``first_name`` with an empty ``last_name``: names read family name first
(``services.dossiers.selectors.person_name``), so a split name would read "pháp Lãnh đạo Sở Tư".
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from services.models import Agency, OfficerProfile, OnlineServiceForm, ProcedurePage
from services.rollout import services as rollout
from services.rollout.models import Plan
from services.rollout.resources import mandates_import
from services.rollout.selectors import provincial_procedures

SAMPLE_LIST = Path(__file__).resolve().parent / "data" / "sample_national_list.csv"
PLAN_TITLE = "Kế hoạch triển khai dịch vụ công trực tuyến mức độ 3, 4 giai đoạn 2019–2020"
VN = ZoneInfo("Asia/Ho_Chi_Minh")

LEADER = "Lãnh đạo cơ quan"
AGGREGATOR = "Cơ quan tổng hợp kế hoạch DVC trực tuyến"
CHAIRMAN = "Chủ tịch UBND tỉnh"

#: username → (group, agency identifier or None, full name)
USERS = {
    "xa-demo": (LEADER, "000.00.90.H36", "Lãnh đạo UBND xã"),
    "sotuphap-demo": (LEADER, "000.00.12.H36", "Lãnh đạo Sở Tư pháp"),
    "kinhte-demo": (LEADER, "000.03.90.H36", "Lãnh đạo Phòng Kinh tế xã"),
    "soxaydung-demo": (LEADER, "000.00.07.H36", "Lãnh đạo Sở Xây dựng"),
    "soyte-demo": (LEADER, "000.00.15.H36", "Lãnh đạo Sở Y tế"),
    "sovhttdl-demo": (LEADER, "000.00.16.H36", "Lãnh đạo Sở Văn hóa, Thể thao và Du lịch"),
    "tonghop-demo": (AGGREGATOR, None, "Cán bộ Sở Thông tin và Truyền thông"),
    "chutich-demo": (CHAIRMAN, None, "Chủ tịch UBND tỉnh"),
}

#: (user, procedure code, target level, yearly volume, readiness, whole process online, rationale, fate)
PROPOSALS = [
    (
        "xa-demo",
        "1.004884",
        "Toàn trình",
        1200,
        "ready",
        True,
        "Số hồ sơ lớn ở cấp xã; dữ liệu hộ tịch đã số hóa, trả kết quả qua bưu chính.",
        "accepted",
    ),
    (
        "sotuphap-demo",
        "1.004884",
        "Toàn trình",
        300,
        "partly",
        True,
        "Sở Tư pháp đề xuất xây dựng riêng để thống nhất quy trình trong tỉnh.",
        "submitted",
    ),
    ("xa-demo", "1.001193", "Toàn trình", 5000, "ready", True, "Thủ tục có số hồ sơ lớn nhất cấp xã.", "submitted"),
    (
        "kinhte-demo",
        "9.900003",
        "Một phần",
        400,
        "ready",
        False,
        "Hộ trồng cà phê nộp hồ sơ theo mùa vụ; nộp trực tuyến giảm đi lại.",
        "deployed",
    ),
    (
        "kinhte-demo",
        "9.900002",
        "Một phần",
        150,
        "partly",
        False,
        "Doanh nghiệp, hộ kinh doanh xin phép thường xuyên.",
        "accepted",
    ),
    (
        "soxaydung-demo",
        "1.000703",
        "Toàn trình",
        800,
        "ready",
        True,
        "Doanh nghiệp vận tải đã quen nộp trực tuyến.",
        "accepted",
    ),
    ("soyte-demo", "1.004616", "Một phần", 250, "not_ready", False, "Đề xuất theo chỉ đạo của UBND tỉnh.", "returned"),
    (
        "sovhttdl-demo",
        "1.001029",
        "Một phần",
        60,
        "ready",
        False,
        "Cơ sở karaoke đề nghị cấp phép trực tuyến.",
        "draft",
    ),
]

DEPLOY_FORM_FIELDS = [
    {
        "type": "short_text",
        "id": "7a000000-0000-4000-8000-000000000001",
        "value": {"label": "Địa chỉ vườn cà phê tái canh", "help_text": "", "required": True, "max_length": 255},
    },
    {
        "type": "long_text",
        "id": "7a000000-0000-4000-8000-000000000002",
        "value": {"label": "Diện tích, giống cây", "help_text": "", "required": False, "max_length": 2000},
    },
    {
        "type": "checkbox",
        "id": "7a000000-0000-4000-8000-000000000003",
        "value": {"label": "Tôi cam đoan những thông tin khai trên là đúng sự thật", "help_text": "", "required": True},
    },
]


def at(year, month, day, hour=9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=VN)


def demo_users() -> dict:
    """The demo users by username (created when missing, left as they are otherwise)."""
    User = get_user_model()
    password = os.environ.get("DEMO_OFFICER_PASSWORD", "dichvucong-demo")
    users = {}
    for username, (group, identifier, full_name) in USERS.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            # Earlier demos split the role name in two ("Lãnh đạo Sở Tư" + "pháp"), which reads
            # scrambled family name first; mend exactly that, leave any other change alone.
            head, _sep, tail = full_name.rpartition(" ")
            if (user.first_name, user.last_name) == (head, tail):
                user.first_name, user.last_name = full_name, ""
                user.save(update_fields=["first_name", "last_name"])
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=password,
                email=f"{username}@example.invalid",
                first_name=full_name,
                last_name="",
            )
            user.groups.add(Group.objects.get(name=group))
            if identifier:
                OfficerProfile.objects.create(user=user, agency=Agency.objects.get(identifier=identifier))
        users[username] = user
    return users


def _deploy_form(procedure: ProcedurePage) -> OnlineServiceForm:
    """The published online form of ``procedure`` built for the deployment (the editor's work)."""
    form = OnlineServiceForm.objects.filter(title="Tờ khai đề nghị hỗ trợ kinh phí tái canh cây cà phê").first()
    if form is None:
        form = OnlineServiceForm(
            title="Tờ khai đề nghị hỗ trợ kinh phí tái canh cây cà phê",
            procedure=procedure,
            intro="Khai trực tuyến; UBND xã kiểm tra thực địa và trả kết quả tại Bộ phận Một cửa.",
            fields=DEPLOY_FORM_FIELDS,
        )
        form.save()
        form.save_revision().publish()
    return form


def load_rollout_demo() -> dict:
    """Loads the roll-out demo (see the module docstring); returns counts for the command's output.

    Needs the demo catalogue and agencies (``load_demo``) first; the agencies and procedures it
    names must exist (``Agency.DoesNotExist`` / ``ProcedurePage.DoesNotExist`` otherwise).
    """
    report = mandates_import(data=SAMPLE_LIST.read_bytes(), fmt="csv")
    users = demo_users()
    if Plan.objects.filter(title=PLAN_TITLE).exists():
        return {"mandates": report.summary(), "plan": "unchanged"}
    admin = users["tonghop-demo"]
    chairman = users["chutich-demo"]
    with transaction.atomic():
        plan = rollout.plan_create(
            user=admin,
            title=PLAN_TITLE,
            start_year=2019,
            end_year=2020,
            submission_deadline=date(2019, 9, 30),
            now=at(2019, 8, 1),
        )
        accepted, deploy = [], None
        for n, (username, code, level, volume, readiness, whole, rationale, fate) in enumerate(PROPOSALS):
            user = users[username]
            procedure = provincial_procedures().get(code=code)
            proposal = rollout.proposal_create(
                user=user,
                procedure=procedure,
                target_level=level,
                criteria=rollout.Criteria(
                    yearly_volume=volume,
                    readiness=readiness,
                    whole_process_online=whole,
                    rationale=rationale,
                    subjects=list(procedure.subjects.all()),
                ),
                now=at(2019, 8, 5 + n),
            )
            if fate == "draft":
                continue
            rollout.proposal_submit(proposal=proposal, user=user, now=at(2019, 8, 20 + n % 5))
            if fate == "returned":
                rollout.proposal_return(
                    proposal=proposal,
                    user=admin,
                    note="Bổ sung số hồ sơ thực tế năm 2018 và đánh giá mức độ sẵn sàng.",
                    now=at(2019, 9, 5),
                )
            elif fate in ("accepted", "deployed"):
                rollout.proposal_accept(proposal=proposal, user=admin, plan=plan, now=at(2019, 9, 10))
                accepted.append(proposal)
                if fate == "deployed":
                    deploy = proposal
        rollout.plan_submit(plan=plan, user=admin, note="Trình kèm tờ trình của Sở TT&TT.", now=at(2019, 9, 25))
        rollout.plan_approve(
            plan=plan,
            user=chairman,
            decision_number="2468/QĐ-UBND",
            decision_date=date(2019, 9, 27),
            now=at(2019, 9, 27, 15),
        )
        if deploy is not None:
            procedure = ProcedurePage.objects.get(pk=deploy.procedure_id)
            rollout.proposal_deploy(
                proposal=deploy,
                user=admin,
                form=_deploy_form(procedure),
                note="Đã chạy thử trên Cổng Dịch vụ công tỉnh.",
                now=at(2020, 3, 16),
            )
    return {"mandates": report.summary(), "plan": plan.title, "proposals": len(PROPOSALS)}
