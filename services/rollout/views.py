"""The public page of the plan's progress: ``/ke-hoach-dich-vu-cong/`` (issue 7 item 5).

Planned against deployed services per agency for an approved plan (the newest by default, or
``?ke-hoach=<id>``), drawn with the vendored Chart.js of ``services/static`` with a table for each
chart, and the list of services already deployed with links to their procedure pages.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from services.rollout.models import Proposal
from services.rollout.selectors import plan_progress, plan_proposals, public_plans


def progress_context(plan) -> dict:
    """What the page and ``/api/rollout/plans/{id}`` show of one approved plan."""
    rows = plan_progress(plan)
    planned = sum(r.planned for r in rows)
    deployed = sum(r.deployed for r in rows)
    return {
        "plan": plan,
        "rows": rows,
        "planned": planned,
        "deployed": deployed,
        "rate": round(100 * deployed / planned, 1) if planned else 0.0,
        "deployed_services": [p for p in plan_proposals(plan) if p.status == Proposal.Status.DEPLOYED],
    }


@require_safe
def progress_page(request):
    """``/ke-hoach-dich-vu-cong/``: progress of an approved plan.

    ``?ke-hoach=<id>`` picks a plan: a value that is not a number answers 400, an unknown or
    unapproved id 404, each on the page with a Vietnamese message and the list of plans.
    """
    plans = list(public_plans())
    plan = plans[0] if plans else None
    wanted = request.GET.get("ke-hoach", "").strip()
    if wanted:
        if not wanted.isdigit():
            error, status = _("Mã kế hoạch “%(value)s” không hợp lệ: phải là một số.") % {"value": wanted[:50]}, 400
        else:
            plan = next((p for p in plans if p.pk == int(wanted)), None)
            error, status = _("Không có kế hoạch này (hoặc kế hoạch chưa được phê duyệt)."), 404
        if plan is None or status == 400:
            return render(
                request, "rollout/progress.html", {"plans": plans, "plan": None, "error": error}, status=status
            )
    context = {"plans": plans, "plan": plan}
    if plan is not None:
        context.update(progress_context(plan))
        context["chart"] = {
            "agencies": [{"label": r.agency, "planned": r.planned, "deployed": r.deployed} for r in context["rows"]],
            "totals": {"deployed": context["deployed"], "remaining": context["planned"] - context["deployed"]},
            "labels": {"deployed": _("Đã triển khai"), "remaining": _("Chưa triển khai")},
        }
    return render(request, "rollout/progress.html", context)
