"""Writes of roll-out planning: proposals and their transitions, the plan, deployment, list matching.

One function per transition (issue 7 item 2). The states of a proposal::

    draft ──submit──▶ submitted ──accept──▶ accepted ──(plan approved)──▶ approved ──deploy──▶ deployed
      ▲                  │  ▲                  │
      └──── returned ◀───┘  └──── submit ──────┘ (return: from submitted or accepted)

``TRANSITIONS`` is the only place that says which action leaves which statuses for which, with
which permission. Every function is keyword-only, runs in one transaction, re-reads the row with a
lock, checks scope (``PermissionDenied``: another agency's proposal), permission
(``PermissionDenied``), then the status (``TransitionError`` with a Vietnamese message naming the
action and the current status) and the input (``RolloutError``), and writes one ``RolloutEvent``
(who, when, from, to, note). Rules: DOMAIN.md §1 (Circular 02/2017 criteria, the plan the
Chairman approves) and §3 (levels; "toàn trình" means the whole process online).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.models import Agency, OnlineServiceForm, OnlineServiceLevel, ProcedurePage, Subject
from services.rollout.matching import Matcher
from services.rollout.models import (
    CLASSIFICATION_RANK,
    MAX_YEARLY_VOLUME,
    YEARLY_VOLUME_TOO_LARGE,
    NationalMandate,
    Plan,
    Proposal,
    RolloutEvent,
)
from services.rollout.selectors import (
    AGGREGATE,
    APPROVE,
    MANAGE_MANDATES,
    PROPOSE,
    proposals_for_user,
    user_agency,
)
from services.workdays import LOCAL_TZ

S = Proposal.Status


class RolloutError(Exception):
    """Bad input for a roll-out action; ``str(error)`` is a Vietnamese message for the user."""


class TransitionError(RolloutError):
    """The proposal's or plan's status does not allow the action."""


@dataclass(frozen=True)
class Rule:
    """From these statuses to that one, for holders of ``permission``; ``verb`` reads in messages."""

    from_statuses: frozenset[str]
    to_status: str
    permission: str
    verb: str


TRANSITIONS: dict[str, Rule] = {
    "submit": Rule(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, PROPOSE, "gửi"),
    "return": Rule(frozenset({S.SUBMITTED, S.ACCEPTED}), S.RETURNED, AGGREGATE, "trả lại"),
    "accept": Rule(frozenset({S.SUBMITTED}), S.ACCEPTED, AGGREGATE, "đưa vào kế hoạch"),
    "approve": Rule(frozenset({S.ACCEPTED}), S.APPROVED, APPROVE, "phê duyệt"),
    "deploy": Rule(frozenset({S.APPROVED}), S.DEPLOYED, AGGREGATE, "ghi nhận triển khai"),
}

#: Action names as the audit trail shows them.
ACTION_LABELS = {
    "create": gettext_lazy("Tạo đề xuất"),
    "update": gettext_lazy("Sửa đề xuất"),
    "submit": gettext_lazy("Gửi đề xuất"),
    "return": gettext_lazy("Trả lại để bổ sung"),
    "accept": gettext_lazy("Đưa vào kế hoạch"),
    "approve": gettext_lazy("Phê duyệt"),
    "deploy": gettext_lazy("Triển khai"),
    "plan_create": gettext_lazy("Lập kế hoạch"),
    "plan_submit": gettext_lazy("Trình Chủ tịch UBND tỉnh"),
    "plan_return": gettext_lazy("Trả lại kế hoạch"),
    "plan_approve": gettext_lazy("Phê duyệt kế hoạch"),
}


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _require(user, permission: str) -> None:
    if not (user and user.is_authenticated and user.is_active and (user.is_superuser or user.has_perm(permission))):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def _event(*, proposal=None, plan=None, action, from_status="", to_status="", user, now, note="") -> RolloutEvent:
    return RolloutEvent.objects.create(
        proposal=proposal,
        plan=plan,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=user if user and user.is_authenticated else None,
        at=now,
        note=note,
    )


def _locked_proposal(proposal: Proposal | int, user) -> Proposal:
    """The proposal re-read under a row lock, if ``user``'s scope holds it (else ``PermissionDenied``)."""
    pk = proposal.pk if isinstance(proposal, Proposal) else proposal
    if not proposals_for_user(user).filter(pk=pk).exists():
        raise PermissionDenied(_("Đề xuất này không thuộc cơ quan của bạn."))
    return Proposal.objects.select_for_update().get(pk=pk)


def _check_rule(action: str, status: str) -> Rule:
    rule = TRANSITIONS[action]
    if status not in rule.from_statuses:
        allowed = ", ".join(f"“{S(s).label}”" for s in sorted(rule.from_statuses))
        raise TransitionError(
            _(
                "Không thể %(verb)s đề xuất đang ở trạng thái “%(status)s”; chỉ được khi đề xuất ở trạng thái %(allowed)s."
            )
            % {"verb": rule.verb, "status": S(status).label, "allowed": allowed}
        )
    return rule


def _move(proposal: Proposal, action: str, *, user, now, note="", **fields) -> Proposal:
    rule = _check_rule(action, proposal.status)
    from_status = proposal.status
    proposal.status = rule.to_status
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.save()
    _event(
        proposal=proposal,
        action=action,
        from_status=from_status,
        to_status=rule.to_status,
        user=user,
        now=now,
        note=note,
    )
    return proposal


# -- target levels -------------------------------------------------------------------------------


def target_level_from(value) -> OnlineServiceLevel:
    """The level row a proposal or list item targets, from a row, a label or a legacy number.

    Accepts an ``OnlineServiceLevel``, "Một phần"/"Toàn trình"/"Mức độ 3"… (any label the
    levels table knows, accents optional), or "3"/"4" (Decree 43/2011 levels, DOMAIN.md §3).
    Raises ``RolloutError`` for an unknown label or a level below "một phần" (levels 1–2 are not
    online services).
    """
    if isinstance(value, OnlineServiceLevel):
        level = value
    else:
        text = str(value or "").strip()
        if text.isdigit():
            text = f"Mức độ {int(text)}"
        level = OnlineServiceLevel.resolve(text)
        if level is None:
            raise RolloutError(_("Mức độ “%(value)s” không có trong bảng mức độ DVC trực tuyến.") % {"value": value})
    if level.classification not in ("partial", "full"):
        raise RolloutError(
            _("Mức độ “%(label)s” không phải dịch vụ công trực tuyến; chọn Một phần (mức 3) hoặc Toàn trình (mức 4).")
            % {"label": level.label}
        )
    return level


# -- proposals -----------------------------------------------------------------------------------


@dataclass
class Criteria:
    """The selection criteria of Circular 02/2017/TT-VPCP and the proposal's rationale.

    ``yearly_volume``: dossiers per year (int, 0 to ``MAX_YEARLY_VOLUME`` = 100,000,000); ``subjects``: ``Subject`` rows;
    ``readiness``: a ``Proposal.Readiness`` value; ``whole_process_online``: the whole process,
    payment and result included, can be done online (required for "toàn trình").
    """

    yearly_volume: int
    readiness: str
    whole_process_online: bool
    rationale: str
    subjects: list[Subject] | None = None


def _validate(level: OnlineServiceLevel, criteria: Criteria) -> None:
    errors = []
    if criteria.yearly_volume is None or int(criteria.yearly_volume) < 0:
        errors.append(_("Số hồ sơ một năm phải là số không âm."))
    elif int(criteria.yearly_volume) > MAX_YEARLY_VOLUME:
        errors.append(str(YEARLY_VOLUME_TOO_LARGE))
    if criteria.readiness not in Proposal.Readiness.values:
        errors.append(_("Chọn mức độ sẵn sàng."))
    if not (criteria.rationale or "").strip():
        errors.append(_("Nhập lý do đề xuất."))
    if level.classification == "full" and not criteria.whole_process_online:
        errors.append(
            _(
                "Mức toàn trình đòi hỏi thực hiện được toàn bộ quy trình trên mạng, kể cả trả kết quả (Nghị định 42/2022)."
            )
        )
    if errors:
        raise RolloutError(" ".join(errors))


def proposal_create(
    *,
    user,
    procedure: ProcedurePage,
    target_level,
    criteria: Criteria,
    agency: Agency | None = None,
    now: datetime | None = None,
) -> Proposal:
    """A draft proposal of ``user``'s agency to offer ``procedure`` online at ``target_level``.

    ``agency`` defaults to the user's ``OfficerProfile`` agency; only superusers and the
    aggregating department may name another. ``target_level`` as in ``target_level_from``.
    Raises ``PermissionDenied`` (no right, another agency), ``RolloutError`` (bad criteria,
    "toàn trình" without the whole process online, the agency already proposed this procedure).
    """
    aggregator = bool(user and user.is_authenticated and (user.is_superuser or user.has_perm(AGGREGATE)))
    if not aggregator:
        _require(user, PROPOSE)
    own = user_agency(user)
    agency = agency or own
    if agency is None:
        raise PermissionDenied(_("Tài khoản chưa gắn với cơ quan nào nên chưa đề xuất được."))
    if agency != own and not aggregator:
        raise PermissionDenied(_("Chỉ được đề xuất cho cơ quan của mình."))
    level = target_level_from(target_level)
    _validate(level, criteria)
    now = _now(now)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                agency=agency,
                tier=agency.tier,
                procedure=procedure,
                target_level=level,
                yearly_volume=int(criteria.yearly_volume),
                readiness=criteria.readiness,
                whole_process_online=criteria.whole_process_online,
                rationale=criteria.rationale.strip(),
                created_by=user,
            )
            proposal.subjects.set(criteria.subjects or [])
            _event(proposal=proposal, action="create", to_status=S.DRAFT, user=user, now=now)
    except IntegrityError as error:
        raise RolloutError(
            _("%(agency)s đã có đề xuất cho thủ tục %(code)s; hãy sửa đề xuất đó.")
            % {"agency": agency.name, "code": procedure.code}
        ) from error
    return proposal


def proposal_update(
    *, proposal: Proposal, user, target_level, criteria: Criteria, now: datetime | None = None
) -> Proposal:
    """Changes the level and criteria of a draft or returned proposal of the user's agency.

    Raises ``PermissionDenied`` (scope or right), ``TransitionError`` (already submitted),
    ``RolloutError`` (bad criteria).
    """
    _require(user, PROPOSE)
    now = _now(now)
    level = target_level_from(target_level)
    _validate(level, criteria)
    with transaction.atomic():
        proposal = _locked_proposal(proposal, user)
        if proposal.status not in (S.DRAFT, S.RETURNED):
            raise TransitionError(
                _("Không thể sửa đề xuất đang ở trạng thái “%(status)s”.") % {"status": S(proposal.status).label}
            )
        proposal.target_level = level
        proposal.yearly_volume = int(criteria.yearly_volume)
        proposal.readiness = criteria.readiness
        proposal.whole_process_online = criteria.whole_process_online
        proposal.rationale = criteria.rationale.strip()
        proposal.save()
        proposal.subjects.set(criteria.subjects or [])
        _event(
            proposal=proposal,
            action="update",
            from_status=proposal.status,
            to_status=proposal.status,
            user=user,
            now=now,
        )
    return proposal


def proposal_submit(*, proposal: Proposal, user, note: str = "", now: datetime | None = None) -> Proposal:
    """draft/returned → submitted: the agency sends its proposal to the aggregating department."""
    _require(user, PROPOSE)
    with transaction.atomic():
        proposal = _locked_proposal(proposal, user)
        return _move(proposal, "submit", user=user, now=_now(now), note=note)


def proposal_return(*, proposal: Proposal, user, note: str, now: datetime | None = None) -> Proposal:
    """submitted/accepted → returned, with the reason (required); an accepted one leaves its plan.

    Raises ``TransitionError`` when the proposal's plan is no longer being drafted.
    """
    _require(user, AGGREGATE)
    if not (note or "").strip():
        raise RolloutError(_("Nhập lý do trả lại để cơ quan đề xuất bổ sung."))
    with transaction.atomic():
        proposal = _locked_proposal(proposal, user)
        if proposal.plan_id and proposal.plan.status != Plan.Status.DRAFT:
            raise TransitionError(_("Kế hoạch đã trình hoặc đã phê duyệt: không thể rút đề xuất khỏi kế hoạch."))
        return _move(proposal, "return", user=user, now=_now(now), note=note.strip(), plan=None)


def proposal_accept(*, proposal: Proposal, user, plan: Plan, note: str = "", now: datetime | None = None) -> Proposal:
    """submitted → accepted into ``plan`` (which must still be being drafted)."""
    _require(user, AGGREGATE)
    with transaction.atomic():
        proposal = _locked_proposal(proposal, user)
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != Plan.Status.DRAFT:
            raise TransitionError(
                _("Kế hoạch “%(plan)s” đang ở trạng thái “%(status)s”: không thêm được đề xuất.")
                % {"plan": plan.title, "status": plan.get_status_display()}
            )
        return _move(proposal, "accept", user=user, now=_now(now), note=note, plan=plan)


def _rank(level: OnlineServiceLevel | None) -> int:
    return CLASSIFICATION_RANK.get(level.classification, 0) if level else 0


def procedure_set_online_level(*, procedure: ProcedurePage, level: OnlineServiceLevel, user) -> ProcedurePage:
    """Publishes a new revision of ``procedure`` with ``level`` as its online-service level.

    Built from the live page (an editor's unpublished draft stays an older draft, it is not
    published by this). The caller has checked the roll-out right (``aggregate_proposals``);
    Wagtail's page publishing rights are not required of the aggregating department. Returns the
    page as published.
    """
    page = ProcedurePage.objects.get(pk=procedure.pk)
    page.online_level = level
    revision = page.save_revision(user=user, log_action=True)
    # The roll-out right (checked by the caller) is the authority here, not the editor's page rights.
    revision.publish(user=user, skip_permission_checks=True)
    page.refresh_from_db()
    return page


def proposal_deploy(
    *, proposal: Proposal, user, form: OnlineServiceForm, note: str = "", now: datetime | None = None
) -> Proposal:
    """approved → deployed: the procedure is offered online with ``form`` (issue 7 item 5).

    ``form`` must be a published online form of the proposal's procedure, or of no procedure yet
    (it is then attached to it and published again). The procedure's online level is raised to
    the proposal's target through a new published page revision when it is below it (never
    lowered: a procedure already "toàn trình" stays so). Raises ``TransitionError`` (not
    approved), ``RolloutError`` (form unpublished or of another procedure).
    """
    _require(user, AGGREGATE)
    now = _now(now)
    with transaction.atomic():
        proposal = _locked_proposal(proposal, user)
        _check_rule("deploy", proposal.status)
        form = OnlineServiceForm.objects.select_for_update().get(pk=form.pk)
        if not form.live:
            raise RolloutError(_("Biểu mẫu “%(form)s” chưa được xuất bản.") % {"form": form.title})
        if form.procedure_id not in (None, proposal.procedure_id):
            raise RolloutError(
                _("Biểu mẫu “%(form)s” thuộc thủ tục khác, không phải thủ tục của đề xuất.") % {"form": form.title}
            )
        procedure = ProcedurePage.objects.select_related("online_level").get(pk=proposal.procedure_id)
        if _rank(procedure.online_level) < _rank(proposal.target_level):
            procedure_set_online_level(procedure=procedure, level=proposal.target_level, user=user)
        if form.procedure_id is None:
            form.procedure_id = procedure.pk
            form.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
        return _move(proposal, "deploy", user=user, now=now, note=note, deployed_form=form, deployed_at=now)


# -- plans ---------------------------------------------------------------------------------------


def plan_create(
    *,
    user,
    title: str,
    start_year: int,
    end_year: int,
    submission_deadline: date,
    allow_past_deadline: bool = False,
    now: datetime | None = None,
) -> Plan:
    """A plan being drafted for ``start_year``–``end_year`` (calendar years), due to the Chairman
    on ``submission_deadline``.

    Raises ``RolloutError`` for an empty title, years out of order, or a deadline before the local
    (Asia/Ho_Chi_Minh) date of ``now``: a new plan cannot already be overdue. Only code recording
    a historical plan (the demo's 2019–2020 plan) passes ``allow_past_deadline=True``.
    """
    _require(user, AGGREGATE)
    if not (title or "").strip():
        raise RolloutError(_("Nhập tên kế hoạch."))
    if end_year < start_year:
        raise RolloutError(_("Năm kết thúc phải từ năm bắt đầu trở đi."))
    now = _now(now)
    today = timezone.localdate(now, timezone=LOCAL_TZ)
    if submission_deadline < today and not allow_past_deadline:
        raise RolloutError(
            _("Hạn trình Chủ tịch UBND tỉnh (%(deadline)s) đã qua; chọn một ngày từ hôm nay (%(today)s) trở đi.")
            % {"deadline": f"{submission_deadline:%d/%m/%Y}", "today": f"{today:%d/%m/%Y}"}
        )
    with transaction.atomic():
        plan = Plan.objects.create(
            title=title.strip(),
            start_year=start_year,
            end_year=end_year,
            submission_deadline=submission_deadline,
            created_by=user,
        )
        _event(plan=plan, action="plan_create", to_status=plan.status, user=user, now=now)
    return plan


def _locked_plan(plan: Plan, expected: str, verb: str) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != expected:
        raise TransitionError(
            _("Không thể %(verb)s kế hoạch đang ở trạng thái “%(status)s”.")
            % {"verb": verb, "status": plan.get_status_display()}
        )
    return plan


def plan_submit(*, plan: Plan, user, note: str = "", now: datetime | None = None) -> Plan:
    """draft → submitted to the Chairman; needs at least one accepted proposal."""
    _require(user, AGGREGATE)
    now = _now(now)
    with transaction.atomic():
        plan = _locked_plan(plan, Plan.Status.DRAFT, "trình")
        if not plan.proposals.filter(status=S.ACCEPTED).exists():
            raise RolloutError(_("Kế hoạch chưa có đề xuất nào được đưa vào."))
        plan.status = Plan.Status.SUBMITTED
        plan.submitted_at = now
        plan.save()
        _event(
            plan=plan, action="plan_submit", from_status="draft", to_status=plan.status, user=user, now=now, note=note
        )
    return plan


def plan_return(*, plan: Plan, user, note: str, now: datetime | None = None) -> Plan:
    """submitted → draft: the Chairman sends the plan back with a reason (required)."""
    _require(user, APPROVE)
    if not (note or "").strip():
        raise RolloutError(_("Nhập lý do trả lại kế hoạch."))
    now = _now(now)
    with transaction.atomic():
        plan = _locked_plan(plan, Plan.Status.SUBMITTED, "trả lại")
        plan.status = Plan.Status.DRAFT
        plan.save()
        _event(
            plan=plan, action="plan_return", from_status="submitted", to_status="draft", user=user, now=now, note=note
        )
    return plan


def plan_approve(
    *, plan: Plan, user, decision_number: str, decision_date: date, note: str = "", now: datetime | None = None
) -> Plan:
    """submitted → approved by decision ``decision_number`` of ``decision_date``; every accepted
    proposal of the plan becomes approved (one event each).

    The decision date lies between the day the plan was (last) submitted to the Chairman (the
    day it was created when no submission time is recorded) and today, both included, as local
    (Asia/Ho_Chi_Minh) dates: the Chairman cannot sign a decision on a plan not yet before him.
    Raises ``RolloutError`` without a decision number or with a date out of that range.
    """
    _require(user, APPROVE)
    now = _now(now)
    if not (decision_number or "").strip():
        raise RolloutError(_("Nhập số quyết định phê duyệt."))
    if decision_date is None or decision_date > timezone.localdate(now, timezone=LOCAL_TZ):
        raise RolloutError(_("Ngày quyết định phê duyệt không được sau hôm nay."))
    with transaction.atomic():
        plan = _locked_plan(plan, Plan.Status.SUBMITTED, "phê duyệt")
        since = plan.submitted_at or plan.created_at
        earliest = since.astimezone(LOCAL_TZ).date() if since else None
        if earliest and decision_date < earliest:
            raise RolloutError(
                _(
                    "Ngày quyết định phê duyệt (%(date)s) không được trước ngày kế hoạch được trình "
                    "Chủ tịch UBND tỉnh (%(submitted)s)."
                )
                % {"date": f"{decision_date:%d/%m/%Y}", "submitted": f"{earliest:%d/%m/%Y}"}
            )
        plan.status = Plan.Status.APPROVED
        plan.approval_number = decision_number.strip()
        plan.approval_date = decision_date
        plan.save()
        _event(
            plan=plan,
            action="plan_approve",
            from_status="submitted",
            to_status="approved",
            user=user,
            now=now,
            note=note,
        )
        for proposal in Proposal.objects.select_for_update().filter(plan=plan, status=S.ACCEPTED):
            _move(proposal, "approve", user=user, now=now, note=plan.approval_number)
    return plan


# -- national lists ------------------------------------------------------------------------------


def mandates_match(*, mandates=None, matcher: Matcher | None = None) -> int:
    """(Re)matches list items nobody has confirmed or chosen by hand; returns how many changed.

    ``mandates`` defaults to every item. Confirmed and manual matches are never overwritten.
    """
    matcher = matcher or Matcher()
    qs = NationalMandate.objects.all() if mandates is None else mandates
    changed = 0
    with transaction.atomic():
        for mandate in qs.filter(match_confirmed_at__isnull=True).exclude(match_method="manual"):
            result = matcher.match(service_name=mandate.service_name, procedure_code=mandate.procedure_code)
            new = (result.procedure_id, result.method, result.score, result.automatic)
            old = (mandate.matched_procedure_id, mandate.match_method, mandate.match_score, mandate.match_automatic)
            if new != old:
                mandate.matched_procedure_id, mandate.match_method, mandate.match_score, mandate.match_automatic = new
                mandate.save(update_fields=["matched_procedure", "match_method", "match_score", "match_automatic"])
                changed += 1
    return changed


def mandate_confirm(
    *, mandate: NationalMandate, user, procedure: ProcedurePage | None = None, no_match: bool = False, now=None
) -> NationalMandate:
    """An administrator settles an item's match: keeps the proposed procedure (``procedure`` None),
    chooses another (method ``manual``), or says the catalogue has none (``no_match``)."""
    _require(user, MANAGE_MANDATES)
    now = _now(now)
    with transaction.atomic():
        mandate = NationalMandate.objects.select_for_update().get(pk=mandate.pk)
        if no_match:
            mandate.matched_procedure = None
            mandate.match_method = NationalMandate.MatchMethod.NONE
            mandate.match_automatic = False
        elif procedure is not None and procedure.pk != mandate.matched_procedure_id:
            mandate.matched_procedure = procedure
            mandate.match_method = NationalMandate.MatchMethod.MANUAL
        elif mandate.matched_procedure_id is None:
            raise RolloutError(_("Chưa có thủ tục nào để xác nhận; hãy chọn một thủ tục."))
        mandate.match_confirmed_by = user
        mandate.match_confirmed_at = now
        mandate.save()
    return mandate
