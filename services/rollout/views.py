"""The public page of the plan's progress: ``/ke-hoach-dich-vu-cong/`` (issue 7 item 5).

Planned against deployed services per agency for an approved plan (the newest by default, or
``?ke-hoach=<id>``), drawn with the vendored Chart.js of ``services/static`` with a table for each
chart, and the list of services already deployed with links to their procedure pages.
"""

from django.http import Http404
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
    """``/ke-hoach-dich-vu-cong/``: progress of an approved plan (404 for an unknown or unapproved id)."""
    plans = list(public_plans())
    plan = plans[0] if plans else None
    wanted = request.GET.get("ke-hoach")
    if wanted:
        plan = next((p for p in plans if str(p.pk) == wanted), None)
        if plan is None:
            raise Http404
    context = {"plans": plans, "plan": plan}
    if plan is not None:
        context.update(progress_context(plan))
        context["chart"] = {
            "agencies": [{"label": r.agency, "planned": r.planned, "deployed": r.deployed} for r in context["rows"]],
            "totals": {"deployed": context["deployed"], "remaining": context["planned"] - context["deployed"]},
            "labels": {"deployed": _("Đã triển khai"), "remaining": _("Chưa triển khai")},
        }
    return render(request, "rollout/progress.html", context)
