"""Reads of roll-out planning: who sees which proposals, plan totals and progress.

Scope (issue 7 item 2): an agency user (``rollout.propose_service`` with an ``OfficerProfile``)
sees only their own agency's proposals; the aggregating department
(``rollout.aggregate_proposals``), the Chairman (``rollout.approve_plan``) and superusers see all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from services.models import Agency, OfficerProfile, OnlineServiceLevel, ProcedureIndexPage, ProcedurePage
from services.rollout.models import Plan, Proposal

PROPOSE = "rollout.propose_service"
AGGREGATE = "rollout.aggregate_proposals"
APPROVE = "rollout.approve_plan"
MANAGE_MANDATES = "rollout.manage_mandates"

#: Proposal statuses that count as "in the plan" (accepted, approved, deployed).
IN_PLAN = (Proposal.Status.ACCEPTED, Proposal.Status.APPROVED, Proposal.Status.DEPLOYED)


def provincial_procedures() -> QuerySet[ProcedurePage]:
    """Live procedures of the province's own catalogue roots (not the national catalogue)."""
    roots = ProcedureIndexPage.objects.filter(scope=ProcedureIndexPage.Scope.PROVINCIAL)
    qs = ProcedurePage.objects.none()
    for root in roots:
        qs = qs | ProcedurePage.objects.live().descendant_of(root)
    return qs.order_by("code", "path")


def sees_all_proposals(user) -> bool:
    """True for superusers, the aggregating department and the Chairman."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(AGGREGATE) or user.has_perm(APPROVE))
    )


def user_agency(user) -> Agency | None:
    """The agency of ``user``'s ``OfficerProfile``, or None."""
    if user is None or not user.is_authenticated:
        return None
    profile = OfficerProfile.objects.select_related("agency").filter(user_id=user.pk).first()
    return profile.agency if profile else None


def proposals_for_user(user) -> QuerySet[Proposal]:
    """The proposals ``user`` may list and open.

    All of them for ``sees_all_proposals``; the own agency's for a holder of
    ``rollout.propose_service`` with an ``OfficerProfile``; none otherwise (anonymous, inactive,
    staff without a profile).
    """
    base = Proposal.objects.select_related(
        "agency", "tier", "procedure", "procedure__online_level", "target_level", "plan"
    )
    if user is None or not user.is_authenticated or not user.is_active:
        return base.none()
    if sees_all_proposals(user):
        return base.all()
    agency = user_agency(user)
    if agency is None or not user.has_perm(PROPOSE):
        return base.none()
    return base.filter(agency=agency)


@dataclass
class PlanTotals:
    """Counts of a plan's proposals (accepted, approved or deployed) by agency, field, tier and level.

    Each mapping is ``{label: count}`` sorted by label; a procedure with two fields of work counts
    once under each field, so the field counts may add up to more than ``total``.
    """

    total: int = 0
    deployed: int = 0
    by_agency: dict[str, int] = field(default_factory=dict)
    by_field: dict[str, int] = field(default_factory=dict)
    by_tier: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)


def plan_proposals(plan: Plan) -> QuerySet[Proposal]:
    """The proposals in ``plan`` (accepted, approved or deployed), by agency then procedure."""
    return (
        plan.proposals.filter(status__in=IN_PLAN)
        .select_related("agency", "tier", "procedure", "procedure__online_level", "target_level", "deployed_form")
        .prefetch_related("procedure__fields_of_work")
        .order_by("agency__name", "procedure__sort_name", "id")
    )


def plan_totals(plan: Plan) -> PlanTotals:
    """Totals of ``plan`` (see ``PlanTotals``); level labels are the Decree 42/2022 classification."""
    by_agency, by_field, by_tier, by_level = Counter(), Counter(), Counter(), Counter()
    totals = PlanTotals()
    for proposal in plan_proposals(plan):
        totals.total += 1
        totals.deployed += proposal.status == Proposal.Status.DEPLOYED
        by_agency[proposal.agency.name] += 1
        for work in proposal.procedure.fields_of_work.all():
            by_field[work.name] += 1
        by_tier[proposal.tier.name if proposal.tier else "—"] += 1
        by_level[str(proposal.target_level.get_classification_display())] += 1
    totals.by_agency = dict(sorted(by_agency.items()))
    totals.by_field = dict(sorted(by_field.items()))
    totals.by_tier = dict(sorted(by_tier.items()))
    totals.by_level = dict(sorted(by_level.items()))
    return totals


@dataclass(frozen=True)
class AgencyProgress:
    """Planned and deployed services of one agency in a plan; ``rate`` in percent, one decimal."""

    agency: str
    planned: int
    deployed: int

    @property
    def rate(self) -> float:
        return round(100 * self.deployed / self.planned, 1) if self.planned else 0.0


def plan_progress(plan: Plan) -> list[AgencyProgress]:
    """Per agency: planned services (every proposal in the plan) and those deployed, by agency name."""
    planned, deployed = defaultdict(int), defaultdict(int)
    for name, status in plan.proposals.filter(status__in=IN_PLAN).values_list("agency__name", "status"):
        planned[name] += 1
        deployed[name] += status == Proposal.Status.DEPLOYED
    return [AgencyProgress(name, planned[name], deployed[name]) for name in sorted(planned)]


def public_plans() -> QuerySet[Plan]:
    """Approved plans, newest period first: the only ones the public page shows."""
    return Plan.objects.filter(status=Plan.Status.APPROVED).order_by("-start_year", "-approval_date", "-id")


#: The two classes of online service of Decree 42/2022, lowest first, with the Decree 43/2011 level
#: each replaced (DOMAIN.md §3): what a proposal may target.
TARGET_CLASSIFICATIONS = (("partial", 3), ("full", 4))


def target_levels() -> dict[str, OnlineServiceLevel]:
    """``{"partial": row, "full": row}``: the level row a proposal form offers for each class.

    The levels table holds several labels per class ("Mức độ 3", "Một phần", "Dịch vụ công trực
    tuyến một phần"…); the form offers one per class: the row labelled with the class's own name
    ("Một phần", "Toàn trình"), else the first row of the class by ``sort_order``. A class with no
    row is left out.
    """
    rows = {}
    for classification, _legacy in TARGET_CLASSIFICATIONS:
        name = OnlineServiceLevel.Classification(classification).label
        row = OnlineServiceLevel.resolve(str(name)) or (
            OnlineServiceLevel.objects.filter(classification=classification).order_by("sort_order", "pk").first()
        )
        if row is not None and row.classification == classification:
            rows[classification] = row
    return rows
