"""Admin pages of roll-out planning (``/admin/ke-hoach-dvc/…``): proposals, plans, national lists.

Thin views: every write goes through ``services.rollout.services`` (which checks scope and
permission again); a ``RolloutError`` becomes a Wagtail error message, ``PermissionDenied`` a
403. Proposals are looked up in ``selectors.proposals_for_user``: another agency's proposal
answers 404 like an unknown one.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from services.models import Agency
from services.rollout import services as rollout
from services.rollout.checks import checks_for
from services.rollout.forms import (
    AcceptForm,
    ApproveForm,
    DeployForm,
    ImportForm,
    MatchForm,
    NoteForm,
    PlanForm,
    ProposalForm,
)
from services.rollout.matching import AUTO_GAP, AUTO_SCORE, SUGGEST_SCORE, Matcher
from services.rollout.models import NationalMandate, Plan, Proposal
from services.rollout.resources import ImportFileError, mandates_export, mandates_import, plan_appendix_xlsx
from services.rollout.selectors import (
    AGGREGATE,
    APPROVE,
    MANAGE_MANDATES,
    PROPOSE,
    plan_proposals,
    plan_totals,
    proposals_for_user,
    user_agency,
)
from services.rollout.services import ACTION_LABELS, Criteria, RolloutError

MANDATES_PER_PAGE = 100
#: Most proposals listed at once (a province has a few hundred per plan).
PROPOSALS_SHOWN = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _can(user, perm: str) -> bool:
    return user.is_superuser or user.has_perm(perm)


def _require_any(user, *perms):
    if not any(_can(user, p) for p in perms):
        raise PermissionDenied


def _criteria(data) -> Criteria:
    return Criteria(
        yearly_volume=data["yearly_volume"],
        readiness=data["readiness"],
        whole_process_online=data["whole_process_online"],
        rationale=data["rationale"],
        subjects=list(data["subjects"]),
    )


# -- proposals -----------------------------------------------------------------------------------


def proposal_index(request):
    """The proposals the user may see, filterable by status, with their check counts."""
    _require_any(request.user, PROPOSE, AGGREGATE, APPROVE)
    proposals = proposals_for_user(request.user).order_by("agency__name", "procedure__sort_name")
    status = request.GET.get("trang-thai", "")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    agencies = Agency.objects.filter(pk__in=proposals_for_user(request.user).values("agency")).order_by("name")
    agency_id = request.GET.get("co-quan", "")
    if agency_id.isdigit():
        proposals = proposals.filter(agency_id=int(agency_id))
    proposals = list(proposals[:PROPOSALS_SHOWN])
    findings = checks_for(proposals)
    rows = [(p, findings.get(p.pk, [])) for p in proposals]
    return TemplateResponse(
        request,
        "rollout/admin/proposal_index.html",
        {
            "rows": rows,
            "statuses": Proposal.Status.choices,
            "status": status,
            "agencies": agencies if len(agencies) > 1 else [],
            "agency_id": agency_id,
            "agency": user_agency(request.user),
            "can_propose": _can(request.user, PROPOSE) or _can(request.user, AGGREGATE),
        },
    )


def proposal_create(request):
    """A new draft proposal for the user's agency (the aggregating department may pick any)."""
    _require_any(request.user, PROPOSE, AGGREGATE)
    can_choose = _can(request.user, AGGREGATE)
    form = ProposalForm(request.POST or None, can_choose_agency=can_choose)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = rollout.proposal_create(
                user=request.user,
                procedure=form.procedure,
                target_level=form.cleaned_data["target_level"],
                criteria=_criteria(form.cleaned_data),
                agency=form.cleaned_data.get("agency"),
            )
        except (RolloutError, PermissionDenied) as error:
            # e.g. an aggregating officer without an agency of their own who chose none
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã tạo đề xuất (đang soạn). Gửi đề xuất khi đã đủ thông tin."))
            return redirect("rollout_proposal", pk=proposal.pk)
    return TemplateResponse(
        request, "rollout/admin/proposal_form.html", {"form": form, "agency": user_agency(request.user)}
    )


def proposal_edit(request, pk: int):
    """The edit form of a draft or returned proposal; any other proposal is shown read-only with
    the reason (an approved proposal is part of the Chairman's decision and is not edited)."""
    proposal = get_object_or_404(proposals_for_user(request.user), pk=pk)
    if proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.RETURNED) or not _can(request.user, PROPOSE):
        if proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.RETURNED):
            reason = _(
                "Đề xuất đang ở trạng thái “%(status)s” nên không sửa được; chỉ sửa được khi đề xuất "
                "đang soạn hoặc bị trả lại để bổ sung."
            ) % {"status": proposal.get_status_display()}
        else:
            reason = _("Chỉ cơ quan đề xuất sửa được đề xuất của mình.")
        return TemplateResponse(
            request,
            "rollout/admin/proposal_form.html",
            {"proposal": proposal, "agency": proposal.agency, "readonly_reason": reason},
        )
    initial = {
        "target_level": proposal.target_level,
        "yearly_volume": proposal.yearly_volume,
        "subjects": list(proposal.subjects.all()),
        "readiness": proposal.readiness,
        "whole_process_online": proposal.whole_process_online,
        "rationale": proposal.rationale,
    }
    form = ProposalForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            rollout.proposal_update(
                proposal=proposal,
                user=request.user,
                target_level=form.cleaned_data["target_level"],
                criteria=_criteria(form.cleaned_data),
            )
        except RolloutError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu đề xuất."))
            return redirect("rollout_proposal", pk=proposal.pk)
    return TemplateResponse(
        request, "rollout/admin/proposal_form.html", {"form": form, "proposal": proposal, "agency": proposal.agency}
    )


def _proposal_actions(user, proposal: Proposal) -> list[dict]:
    """The action forms offered on a proposal: allowed by its status and the user's rights."""
    S = Proposal.Status
    actions = []
    if proposal.status in (S.DRAFT, S.RETURNED) and _can(user, PROPOSE):
        actions.append({"name": "submit", "label": _("Gửi đề xuất"), "form": NoteForm(prefix="submit")})
    if _can(user, AGGREGATE):
        if proposal.status == S.SUBMITTED:
            plans = Plan.objects.filter(status=Plan.Status.DRAFT)
            if plans.exists():
                actions.append(
                    {"name": "accept", "label": _("Đưa vào kế hoạch"), "form": AcceptForm(prefix="accept", plans=plans)}
                )
        if proposal.status in (S.SUBMITTED, S.ACCEPTED):
            actions.append({"name": "return", "label": _("Trả lại để bổ sung"), "form": NoteForm(prefix="return")})
        if proposal.status == S.APPROVED:
            actions.append(
                {
                    "name": "deploy",
                    "label": _("Ghi nhận đã triển khai"),
                    "form": DeployForm(prefix="deploy", procedure=proposal.procedure),
                }
            )
    return actions


def _history(events) -> list[dict]:
    """Rows of the history table (``_events.html``): each audit event with its action and statuses named."""
    return [
        {
            "event": e,
            "label": ACTION_LABELS.get(e.action, e.action),
            "from": _status(e.from_status),
            "to": _status(e.to_status),
        }
        for e in events.select_related("actor")
    ]


def proposal_detail(request, pk: int):
    """A proposal: the procedure, criteria, the checks with their explanations, history, actions."""
    proposal = get_object_or_404(proposals_for_user(request.user), pk=pk)
    events = _history(proposal.events)
    return TemplateResponse(
        request,
        "rollout/admin/proposal_detail.html",
        {
            "proposal": proposal,
            "findings": checks_for([proposal])[proposal.pk],
            "events": events,
            "actions": _proposal_actions(request.user, proposal),
            "can_edit": proposal.status in (Proposal.Status.DRAFT, Proposal.Status.RETURNED)
            and _can(request.user, PROPOSE),
        },
    )


def _status(value: str) -> str:
    if value in Proposal.Status.values:
        return Proposal.Status(value).label
    if value in Plan.Status.values:
        return Plan.Status(value).label
    return value


@require_POST
def proposal_action(request, pk: int, action: str):
    proposal = get_object_or_404(proposals_for_user(request.user), pk=pk)
    try:
        if action == "submit":
            form = NoteForm(request.POST, prefix="submit")
            form.is_valid()
            rollout.proposal_submit(proposal=proposal, user=request.user, note=form.cleaned_data.get("note", ""))
        elif action == "return":
            form = NoteForm(request.POST, prefix="return")
            form.is_valid()
            rollout.proposal_return(proposal=proposal, user=request.user, note=form.cleaned_data.get("note", ""))
        elif action == "accept":
            form = AcceptForm(request.POST, prefix="accept", plans=Plan.objects.all())
            if not form.is_valid():
                raise RolloutError(_("Chọn kế hoạch."))
            rollout.proposal_accept(
                proposal=proposal, user=request.user, plan=form.cleaned_data["plan"], note=form.cleaned_data["note"]
            )
        elif action == "deploy":
            form = DeployForm(request.POST, prefix="deploy", procedure=proposal.procedure)
            if not form.is_valid():
                raise RolloutError(_("Chọn biểu mẫu điện tử đã xuất bản."))
            rollout.proposal_deploy(
                proposal=proposal, user=request.user, form=form.cleaned_data["form"], note=form.cleaned_data["note"]
            )
        else:
            raise Http404
    except RolloutError as error:
        messages.error(request, str(error))
    else:
        done = {
            "submit": _("Đã gửi đề xuất đến cơ quan tổng hợp."),
            "return": _("Đã trả lại đề xuất để cơ quan bổ sung."),
            "accept": _("Đã đưa đề xuất vào kế hoạch."),
            "deploy": _("Đã ghi nhận triển khai; thủ tục đã được cập nhật mức độ và biểu mẫu điện tử."),
        }
        messages.success(request, done[action])
    return redirect("rollout_proposal", pk=pk)


# -- plans ---------------------------------------------------------------------------------------


def plan_index(request):
    _require_any(request.user, AGGREGATE, APPROVE)
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        _require_any(request.user, AGGREGATE)
        if form.is_valid():
            try:
                plan = rollout.plan_create(user=request.user, **form.cleaned_data)
            except RolloutError as error:
                form.add_error(None, str(error))
            else:
                return redirect("rollout_plan", pk=plan.pk)
    return TemplateResponse(
        request,
        "rollout/admin/plan_index.html",
        {"plans": Plan.objects.all(), "form": form, "can_create": _can(request.user, AGGREGATE)},
    )


def plan_detail(request, pk: int):
    """The aggregate view: totals by agency, field, tier and level; every proposal with its checks;
    submitted proposals waiting to be accepted; the plan's actions and history."""
    _require_any(request.user, AGGREGATE, APPROVE)
    plan = get_object_or_404(Plan, pk=pk)
    proposals = list(plan_proposals(plan))
    waiting = list(proposals_for_user(request.user).filter(status=Proposal.Status.SUBMITTED))
    findings = checks_for(proposals + waiting)
    actions = []
    if plan.status == Plan.Status.DRAFT and _can(request.user, AGGREGATE):
        actions.append({"name": "submit", "label": _("Trình Chủ tịch UBND tỉnh"), "form": NoteForm(prefix="submit")})
    if plan.status == Plan.Status.SUBMITTED and _can(request.user, APPROVE):
        actions.append({"name": "approve", "label": _("Phê duyệt kế hoạch"), "form": ApproveForm(prefix="approve")})
        actions.append({"name": "return", "label": _("Trả lại kế hoạch"), "form": NoteForm(prefix="return")})
    events = _history(plan.events)
    return TemplateResponse(
        request,
        "rollout/admin/plan_detail.html",
        {
            "plan": plan,
            "totals": plan_totals(plan),
            "rows": [(p, findings.get(p.pk, [])) for p in proposals],
            "waiting": [(p, findings.get(p.pk, [])) for p in waiting],
            "actions": actions,
            "events": events,
        },
    )


@require_POST
def plan_action(request, pk: int, action: str):
    plan = get_object_or_404(Plan, pk=pk)
    try:
        if action == "submit":
            form = NoteForm(request.POST, prefix="submit")
            form.is_valid()
            rollout.plan_submit(plan=plan, user=request.user, note=form.cleaned_data.get("note", ""))
        elif action == "return":
            form = NoteForm(request.POST, prefix="return")
            form.is_valid()
            rollout.plan_return(plan=plan, user=request.user, note=form.cleaned_data.get("note", ""))
        elif action == "approve":
            form = ApproveForm(request.POST, prefix="approve")
            if not form.is_valid():
                raise RolloutError(_("Nhập số và ngày quyết định phê duyệt."))
            rollout.plan_approve(
                plan=plan,
                user=request.user,
                decision_number=form.cleaned_data["decision_number"],
                decision_date=form.cleaned_data["decision_date"],
                note=form.cleaned_data["note"],
            )
        else:
            raise Http404
    except RolloutError as error:
        messages.error(request, str(error))
    else:
        done = {
            "submit": _("Đã trình kế hoạch lên Chủ tịch UBND tỉnh."),
            "return": _("Đã trả lại kế hoạch để tổng hợp lại."),
            "approve": _("Đã phê duyệt kế hoạch."),
        }
        messages.success(request, done[action])
    return redirect("rollout_plan", pk=pk)


def plan_export(request, pk: int):
    """The plan as an XLSX appendix (``resources.plan_appendix_xlsx``)."""
    _require_any(request.user, AGGREGATE, APPROVE)
    plan = get_object_or_404(Plan, pk=pk)
    response = HttpResponse(plan_appendix_xlsx(plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-dvctt-{plan.start_year}-{plan.end_year}.xlsx"'
    return response


# -- national lists ------------------------------------------------------------------------------


def mandate_index(request):
    """The national list items with their match; import form (check first, then write)."""
    _require_any(request.user, MANAGE_MANDATES, AGGREGATE)
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _require_any(request.user, MANAGE_MANDATES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            fmt = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
            try:
                report = mandates_import(data=upload.read(), fmt=fmt, dry_run=not form.cleaned_data["confirm"])
            except ImportFileError as error:
                form.add_error("file", str(error))
    mandates = NationalMandate.objects.select_related("matched_procedure", "target_level", "match_confirmed_by")
    review_only = request.GET.get("loc") == "can-xem"
    if review_only:
        mandates = mandates.filter(match_confirmed_at__isnull=True, match_method__in=["name", "none"])
    page = Paginator(mandates, MANDATES_PER_PAGE).get_page(request.GET.get("trang"))
    return TemplateResponse(
        request,
        "rollout/admin/mandate_index.html",
        {"mandates": page, "page": page, "form": form, "report": report, "review_only": review_only},
    )


def mandate_export(request):
    _require_any(request.user, MANAGE_MANDATES, AGGREGATE)
    fmt = "xlsx" if request.GET.get("dinh-dang") == "xlsx" else "csv"
    data = mandates_export(NationalMandate.objects.all(), fmt=fmt)
    response = HttpResponse(data, content_type=XLSX if fmt == "xlsx" else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="danh-muc-dvc-quoc-gia.{fmt}"'
    return response


def mandate_review(request, pk: int):
    """Confirm the proposed procedure of one item, choose another, or say there is none."""
    _require_any(request.user, MANAGE_MANDATES)
    mandate = get_object_or_404(NationalMandate.objects.select_related("matched_procedure", "target_level"), pk=pk)
    candidates = Matcher().candidates(mandate.service_name)
    if mandate.matched_procedure_id and mandate.matched_procedure_id not in [c.procedure_id for c in candidates]:
        from services.rollout.matching import Candidate

        page = mandate.matched_procedure
        candidates.insert(0, Candidate(page.pk, page.code, page.name, float(mandate.match_score or 0)))
    initial = {"choice": str(mandate.matched_procedure_id) if mandate.matched_procedure_id else "none"}
    form = MatchForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["choice"] == "none":
                rollout.mandate_confirm(mandate=mandate, user=request.user, no_match=True)
            else:
                rollout.mandate_confirm(mandate=mandate, user=request.user, procedure=form.cleaned_data["procedure"])
        except RolloutError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã xác nhận kết quả đối chiếu."))
            return redirect(reverse("rollout_mandates") + "?loc=can-xem")
    return TemplateResponse(
        request,
        "rollout/admin/mandate_review.html",
        {
            "mandate": mandate,
            "form": form,
            # The thresholds as matching.py applies them, never retyped in the template.
            "thresholds": {"auto": f"{AUTO_SCORE:g}", "gap": f"{AUTO_GAP:g}", "suggest": f"{SUGGEST_SCORE:g}"},
        },
    )
