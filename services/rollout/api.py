"""JSON API of the roll-out plan (django-ninja router mounted at ``/api/rollout/``).

Public, like the page ``/ke-hoach-dich-vu-cong/``: only approved plans, their progress per
agency and the services in them (no proposal's rationale or internal notes).
"""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from services.rollout.selectors import plan_progress, plan_proposals, public_plans

router = Router(tags=["rollout"])

#: Ids above this cannot be a plan (the primary key is a 64-bit integer): answered 404 unread.
MAX_ID = 2**63 - 1


class ErrorOut(Schema):
    detail: str


class PlanOut(Schema):
    id: int
    title: str
    start_year: int
    end_year: int
    approval_number: str
    approval_date: date | None
    planned: int
    deployed: int


class AgencyProgressOut(Schema):
    agency: str
    planned: int
    deployed: int
    rate: float


class ServiceOut(Schema):
    code: str
    name: str
    agency: str
    tier: str
    target_level: str
    classification: str
    status: str
    deployed_at: datetime | None
    url: str | None


class PlanDetailOut(PlanOut):
    agencies: list[AgencyProgressOut]
    services: list[ServiceOut]


def _plan(plan) -> dict:
    rows = plan_progress(plan)
    return {
        "id": plan.pk,
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "approval_number": plan.approval_number,
        "approval_date": plan.approval_date,
        "planned": sum(r.planned for r in rows),
        "deployed": sum(r.deployed for r in rows),
    }


@router.get("/plans", response=list[PlanOut], summary="Approved roll-out plans with planned/deployed totals")
def plans(request):
    return [_plan(plan) for plan in public_plans()[:50]]


@router.get(
    "/plans/{plan_id}",
    response={200: PlanDetailOut, 404: ErrorOut},
    summary="One approved plan: progress per agency and its services",
)
def plan_detail(request, plan_id: int):
    """One approved plan; 404 with a Vietnamese ``detail`` for an unknown, unapproved or
    out-of-range id (a draft plan is not public)."""
    plan = public_plans().filter(pk=plan_id).first() if 0 < plan_id <= MAX_ID else None
    if plan is None:
        return Status(404, {"detail": _("Không có kế hoạch này (hoặc kế hoạch chưa được phê duyệt).")})
    data = _plan(plan)
    data["agencies"] = [
        {"agency": r.agency, "planned": r.planned, "deployed": r.deployed, "rate": r.rate} for r in plan_progress(plan)
    ]
    data["services"] = [
        {
            "code": p.procedure.code,
            "name": p.procedure.name,
            "agency": p.agency.name,
            "tier": p.tier.code if p.tier else "",
            "target_level": p.target_level.label,
            "classification": p.target_level.classification,
            "status": p.status,
            "deployed_at": p.deployed_at,
            "url": p.procedure.url,
        }
        for p in plan_proposals(plan)
    ]
    return Status(200, data)
