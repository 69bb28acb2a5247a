"""Proposal and plan transitions (issue 7 items 2, 4, 5): rules, scope, audit, deployment."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from services.models import OnlineServiceForm, ProcedurePage
from services.rollout import services as rollout
from services.rollout.models import Plan, Proposal, RolloutEvent
from services.rollout.selectors import proposals_for_user
from services.rollout.services import RolloutError, TransitionError
from tests.factories import level
from tests.rollout.builders import aggregator, chairman, commune_agency, criteria, leader, procedure, province_agency

VN = ZoneInfo("Asia/Ho_Chi_Minh")
S = Proposal.Status


def at(day, month=9, year=2019):
    return datetime(year, month, day, 9, tzinfo=VN)


@pytest.fixture
def setup(catalogue):
    page = procedure(catalogue)
    commune = commune_agency()
    return {
        "page": page,
        "commune": commune,
        "xa": leader(commune, "xa"),
        "tp": leader(province_agency(), "tp"),
        "th": aggregator("th"),
        "ct": chairman("ct"),
    }


def new_plan(user, now=None):
    # The 2019 story recorded today: its deadline is in the past, so the builder says so explicitly.
    return rollout.plan_create(
        user=user,
        title="Kế hoạch 2019–2020",
        start_year=2019,
        end_year=2020,
        submission_deadline=date(2019, 9, 30),
        allow_past_deadline=True,
        now=now,
    )


@pytest.mark.django_db
def test_full_lifecycle_is_audited_step_by_step(setup):
    s = setup
    plan = new_plan(s["th"], now=at(1))
    p = rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="4", criteria=criteria(), now=at(1))
    # The agency comes from the officer's profile, the tier from the agency; "4" is level 4 = toàn trình.
    assert (p.agency, p.tier.code, p.target_level.label, p.status) == (s["commune"], "xa", "Mức độ 4", S.DRAFT)
    rollout.proposal_submit(proposal=p, user=s["xa"], now=at(2))
    rollout.proposal_accept(proposal=p, user=s["th"], plan=plan, now=at(3))
    rollout.plan_submit(plan=plan, user=s["th"], now=at(4))
    rollout.plan_approve(
        plan=plan, user=s["ct"], decision_number="2468/QĐ-UBND", decision_date=date(2019, 9, 5), now=at(5)
    )
    p.refresh_from_db()
    assert p.status == S.APPROVED and p.plan == plan
    plan.refresh_from_db()
    assert (plan.status, plan.approval_number, plan.approval_date) == ("approved", "2468/QĐ-UBND", date(2019, 9, 5))
    # Submitted on 4/9/2019, before the 30/9/2019 deadline.
    assert plan.days_late == 0
    steps = [(e.action, e.from_status, e.to_status, e.actor.username, e.at) for e in p.events.all()]
    assert steps == [
        ("create", "", "draft", "xa", at(1)),
        ("submit", "draft", "submitted", "xa", at(2)),
        ("accept", "submitted", "accepted", "th", at(3)),
        ("approve", "accepted", "approved", "ct", at(5)),
    ]
    plan_steps = [(e.action, e.from_status, e.to_status) for e in plan.events.all()]
    assert plan_steps == [
        ("plan_create", "", "draft"),
        ("plan_submit", "draft", "submitted"),
        ("plan_approve", "submitted", "approved"),
    ]


@pytest.mark.django_db
def test_illegal_transitions_are_refused_with_the_current_status(setup):
    s = setup
    p = rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="Một phần", criteria=criteria())
    plan = new_plan(s["th"])
    with pytest.raises(TransitionError, match="Không thể đưa vào kế hoạch đề xuất đang ở trạng thái “Đang soạn”"):
        rollout.proposal_accept(proposal=p, user=s["th"], plan=plan)
    with pytest.raises(TransitionError, match="ghi nhận triển khai"):
        rollout.proposal_deploy(
            proposal=p, user=s["th"], form=OnlineServiceForm.objects.create(title="x", procedure=s["page"])
        )
    rollout.proposal_submit(proposal=p, user=s["xa"])
    with pytest.raises(TransitionError, match="Không thể gửi đề xuất đang ở trạng thái “Đã gửi”"):
        rollout.proposal_submit(proposal=p, user=s["xa"])
    with pytest.raises(TransitionError, match="Không thể sửa"):
        rollout.proposal_update(proposal=p, user=s["xa"], target_level="3", criteria=criteria())
    # A plan with nothing accepted cannot be submitted; an unsubmitted plan cannot be approved.
    with pytest.raises(RolloutError, match="chưa có đề xuất"):
        rollout.plan_submit(plan=plan, user=s["th"])
    with pytest.raises(TransitionError, match="Không thể phê duyệt kế hoạch đang ở trạng thái “Đang tổng hợp”"):
        rollout.plan_approve(plan=plan, user=s["ct"], decision_number="1/QĐ-UBND", decision_date=date(2019, 9, 1))
    assert Proposal.objects.get(pk=p.pk).status == S.SUBMITTED  # nothing half-written


@pytest.mark.django_db
def test_returned_proposal_is_revised_and_sent_again(setup):
    s = setup
    p = rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="3", criteria=criteria())
    rollout.proposal_submit(proposal=p, user=s["xa"])
    with pytest.raises(RolloutError, match="lý do"):
        rollout.proposal_return(proposal=p, user=s["th"], note="  ")
    rollout.proposal_return(proposal=p, user=s["th"], note="Bổ sung số hồ sơ năm 2018")
    rollout.proposal_update(proposal=p, user=s["xa"], target_level="Toàn trình", criteria=criteria(yearly_volume=1500))
    rollout.proposal_submit(proposal=p, user=s["xa"])
    p.refresh_from_db()
    assert (p.status, p.yearly_volume, p.target_level.label) == (S.SUBMITTED, 1500, "Toàn trình")
    returned = p.events.get(action="return")
    assert (returned.from_status, returned.to_status, returned.note) == (
        "submitted",
        "returned",
        "Bổ sung số hồ sơ năm 2018",
    )


@pytest.mark.django_db
def test_agency_users_see_and_act_only_on_their_own_agency(setup):
    s = setup
    mine = rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="3", criteria=criteria())
    theirs = rollout.proposal_create(user=s["tp"], procedure=s["page"], target_level="3", criteria=criteria())
    assert list(proposals_for_user(s["xa"])) == [mine]
    assert set(proposals_for_user(s["th"])) == {mine, theirs}
    with pytest.raises(PermissionDenied):
        rollout.proposal_submit(proposal=theirs, user=s["xa"])
    with pytest.raises(PermissionDenied):
        rollout.proposal_create(
            user=s["xa"], procedure=s["page"], target_level="3", criteria=criteria(), agency=province_agency()
        )
    # The Chairman approves plans but does not review proposals.
    with pytest.raises(PermissionDenied):
        rollout.proposal_return(proposal=mine, user=s["ct"], note="x")
    # Agency users cannot approve a plan.
    with pytest.raises(PermissionDenied):
        rollout.plan_create(
            user=s["xa"], title="x", start_year=2019, end_year=2020, submission_deadline=date(2019, 9, 30)
        )


@pytest.mark.django_db
def test_proposal_input_rules(setup):
    s = setup
    # Toàn trình means the whole process online, result included (Decree 42/2022).
    with pytest.raises(RolloutError, match="toàn bộ quy trình"):
        rollout.proposal_create(
            user=s["xa"], procedure=s["page"], target_level="4", criteria=criteria(whole_process_online=False)
        )
    with pytest.raises(RolloutError, match="không phải dịch vụ công trực tuyến"):
        rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="2", criteria=criteria())
    with pytest.raises(RolloutError, match="không có trong bảng"):
        rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="Mức độ 7", criteria=criteria())
    rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="3", criteria=criteria())
    with pytest.raises(RolloutError, match="đã có đề xuất cho thủ tục 1.004884"):
        rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="3", criteria=criteria())
    assert Proposal.objects.count() == 1
    assert RolloutEvent.objects.filter(action="create").count() == 1


@pytest.mark.django_db
def test_returning_an_accepted_proposal_takes_it_out_of_a_draft_plan_only(setup):
    s = setup
    plan = new_plan(s["th"])
    p = rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="3", criteria=criteria())
    rollout.proposal_submit(proposal=p, user=s["xa"])
    rollout.proposal_accept(proposal=p, user=s["th"], plan=plan)
    rollout.plan_submit(plan=plan, user=s["th"])
    with pytest.raises(TransitionError, match="Kế hoạch đã trình"):
        rollout.proposal_return(proposal=p, user=s["th"], note="x")
    # Submitted now (2026), after the 30/9/2019 deadline: late by the days in between.
    assert Plan.objects.get(pk=plan.pk).days_late == (timezone.localdate() - date(2019, 9, 30)).days > 0
    rollout.plan_return(plan=plan, user=s["ct"], note="Bổ sung kinh phí")
    rollout.proposal_return(proposal=p, user=s["th"], note="Chưa đủ điều kiện")
    p.refresh_from_db()
    assert (p.status, p.plan) == (S.RETURNED, None)


@pytest.mark.django_db
def test_approval_needs_a_decision_number_and_a_date_not_in_the_future(setup):
    s = setup
    plan = new_plan(s["th"])
    p = rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="3", criteria=criteria())
    rollout.proposal_submit(proposal=p, user=s["xa"])
    rollout.proposal_accept(proposal=p, user=s["th"], plan=plan)
    rollout.plan_submit(plan=plan, user=s["th"], now=at(4))
    with pytest.raises(RolloutError, match="số quyết định"):
        rollout.plan_approve(plan=plan, user=s["ct"], decision_number="", decision_date=date(2019, 9, 4), now=at(5))
    with pytest.raises(RolloutError, match="không được sau hôm nay"):
        rollout.plan_approve(plan=plan, user=s["ct"], decision_number="1/QĐ", decision_date=date(2019, 9, 6), now=at(5))
    assert Plan.objects.get(pk=plan.pk).status == "submitted"


@pytest.mark.django_db
def test_approval_date_is_not_before_the_plan_reached_the_chairman(setup):
    s = setup
    plan = new_plan(s["th"])
    p = rollout.proposal_create(user=s["xa"], procedure=s["page"], target_level="3", criteria=criteria())
    rollout.proposal_submit(proposal=p, user=s["xa"])
    rollout.proposal_accept(proposal=p, user=s["th"], plan=plan)
    # Submitted on 4/9/2019 at 09:00 Hà Nội time: a decision of 1/1/1900 or 3/9/2019 predates it.
    rollout.plan_submit(plan=plan, user=s["th"], now=at(4))
    for day in (date(1900, 1, 1), date(2019, 9, 3)):
        with pytest.raises(RolloutError) as error:
            rollout.plan_approve(plan=plan, user=s["ct"], decision_number="1/QĐ", decision_date=day, now=at(10))
        assert str(error.value) == (
            f"Ngày quyết định phê duyệt ({day:%d/%m/%Y}) không được trước ngày kế hoạch được trình "
            "Chủ tịch UBND tỉnh (04/09/2019)."
        )
    assert Plan.objects.get(pk=plan.pk).status == "submitted" and not p.events.filter(action="approve").exists()
    # The same day as the submission is allowed.
    rollout.plan_approve(plan=plan, user=s["ct"], decision_number="1/QĐ", decision_date=date(2019, 9, 4), now=at(10))
    assert Plan.objects.get(pk=plan.pk).approval_date == date(2019, 9, 4)


@pytest.mark.django_db
def test_a_new_plan_cannot_be_already_overdue(setup):
    s = setup
    # "Today" is 5/9/2019 (Hà Nội): a deadline of 4/9/2019 is refused, 5/9/2019 accepted.
    with pytest.raises(RolloutError) as error:
        rollout.plan_create(
            user=s["th"], title="KH", start_year=2019, end_year=2020, submission_deadline=date(2019, 9, 4), now=at(5)
        )
    assert str(error.value) == (
        "Hạn trình Chủ tịch UBND tỉnh (04/09/2019) đã qua; chọn một ngày từ hôm nay (05/09/2019) trở đi."
    )
    assert not Plan.objects.exists()
    plan = rollout.plan_create(
        user=s["th"], title="KH", start_year=2019, end_year=2020, submission_deadline=date(2019, 9, 5), now=at(5)
    )
    assert plan.submission_deadline == date(2019, 9, 5)


@pytest.mark.django_db
def test_yearly_volume_has_a_sane_maximum(setup):
    s = setup
    # 100,000,000 is the most; 100,000,001 and the newcomer's 99999999999999999999 are refused in Vietnamese.
    for volume in (100_000_001, 99999999999999999999):
        with pytest.raises(RolloutError, match="không được lớn hơn 100.000.000"):
            rollout.proposal_create(
                user=s["xa"], procedure=s["page"], target_level="3", criteria=criteria(yearly_volume=volume)
            )
    assert not Proposal.objects.exists()
    p = rollout.proposal_create(
        user=s["xa"], procedure=s["page"], target_level="3", criteria=criteria(yearly_volume=100_000_000)
    )
    with pytest.raises(RolloutError, match="không được lớn hơn 100.000.000"):
        rollout.proposal_update(
            proposal=p, user=s["xa"], target_level="3", criteria=criteria(yearly_volume=99999999999999999999)
        )
    assert Proposal.objects.get(pk=p.pk).yearly_volume == 100_000_000
    # The model says so too (full_clean, e.g. a future admin form).
    from django.core.exceptions import ValidationError

    p.yearly_volume = 100_000_001
    with pytest.raises(ValidationError, match="không được lớn hơn 100.000.000"):
        p.full_clean()


def approved(s, page, target="4", **crit):
    plan = new_plan(s["th"])
    p = rollout.proposal_create(user=s["xa"], procedure=page, target_level=target, criteria=criteria(**crit))
    rollout.proposal_submit(proposal=p, user=s["xa"])
    rollout.proposal_accept(proposal=p, user=s["th"], plan=plan)
    rollout.plan_submit(plan=plan, user=s["th"], now=at(1))
    rollout.plan_approve(plan=plan, user=s["ct"], decision_number="1/QĐ-UBND", decision_date=date(2019, 9, 1))
    return p


def live_form(page, title="Tờ khai đăng ký lại khai sinh"):
    form = OnlineServiceForm(procedure=page, title=title, fields=[])
    form.save()
    form.save_revision().publish()
    return form


@pytest.mark.django_db
def test_deploying_publishes_a_new_revision_at_the_target_level_and_attaches_the_form(setup):
    s = setup
    page = s["page"]
    page.save_revision().publish()
    revisions = page.revisions.count()
    p = approved(s, page, target="4")
    form = live_form(page)
    rollout.proposal_deploy(proposal=p, user=s["th"], form=form, now=at(1, 3, 2020))
    page = ProcedurePage.objects.get(pk=page.pk)
    # Mức độ 3 (một phần) was below the target Mức độ 4 (toàn trình): raised, in one new revision.
    assert page.online_level == level("Mức độ 4")
    assert page.revisions.count() == revisions + 1
    assert page.live_revision == page.latest_revision
    p.refresh_from_db()
    assert (p.status, p.deployed_form, p.deployed_at) == (S.DEPLOYED, form, at(1, 3, 2020))


@pytest.mark.django_db
def test_deploying_never_lowers_a_level_and_refuses_a_foreign_or_unpublished_form(setup, catalogue):
    s = setup
    page = procedure(catalogue, code="1.001029", title="Cấp phép karaoke", level_label="Toàn trình", slug="karaoke")
    p = approved(s, page, target="3", whole_process_online=False)
    other = procedure(catalogue, code="1.000001", title="Thủ tục khác", slug="khac")
    with pytest.raises(RolloutError, match="thuộc thủ tục khác"):
        rollout.proposal_deploy(proposal=p, user=s["th"], form=live_form(other), now=at(1))
    draft = OnlineServiceForm.objects.create(procedure=page, title="Bản nháp", live=False)
    with pytest.raises(RolloutError, match="chưa được xuất bản"):
        rollout.proposal_deploy(proposal=p, user=s["th"], form=draft, now=at(1))
    revisions = page.revisions.count()
    rollout.proposal_deploy(proposal=p, user=s["th"], form=live_form(page), now=at(1))
    page = ProcedurePage.objects.get(pk=page.pk)
    assert page.online_level == level("Toàn trình") and page.revisions.count() == revisions
