"""Duplication and overlap checks of proposals (issue 7 item 3), each explaining itself.

Shown on a proposal and in the plan's aggregate view. Every finding says what was found, where
(decision and item, agency, level) and what to do. The checks (DOMAIN.md §1, §3):

- ``national``: the procedure is on a national list (Decision 846/QĐ-TTg, 877/QĐ-TTg): the
  province deploys the national service instead of building its own. Only settled matches count
  (by code, chosen or confirmed by hand, or automatic by name); an unconfirmed suggestion does not.
- ``other_agency``: another agency proposed the same procedure (its drafts are not counted: a
  draft is not yet a proposal).
- ``already_online``: the procedure is already online at the target level or above
  ("Mức độ 4" reaches "Một phần"; compared by the Decree 42/2022 classification).
- ``several_tiers``: the same procedure is proposed at more than one tier (province and commune):
  one online service should serve every tier.
- ``wrong_tier``: the procedure is not carried out at the proposing agency's tier (a provincial
  department proposing a commune-tier procedure): the catalogue's ``ProcedurePage.tiers`` do not
  include the agency's ``tier``. Usually a wrong code, or a proposal that belongs to the agencies
  of the other tier. No finding when the procedure lists no tier or the agency has none.
- ``upgrade_share``: informational for "một phần" → "toàn trình": an upgrade from level 3 to 4
  needs at least 30% of the procedure's dossiers already filed online (DOMAIN.md §3); computed on
  the dossiers received in the 365 calendar days before today.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from services.models import AdministrativeTier, Channel, Dossier, ProcedurePage
from services.rollout.models import CLASSIFICATION_RANK, NationalMandate, Proposal

#: DOMAIN.md §3: upgrading level 3 → 4 needs ≥ 30% of dossiers online.
UPGRADE_MIN_ONLINE_SHARE = Decimal("30")
#: The window over which the online share is measured, in calendar days.
UPGRADE_WINDOW_DAYS = 365


@dataclass(frozen=True)
class Finding:
    """One check's result: ``code`` (see the module docstring), ``severity`` ``"warning"`` (the
    aggregating department must decide) or ``"info"``, and the Vietnamese ``message``."""

    code: str
    severity: str
    message: str


def _date(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def checks_for(proposals: list[Proposal], *, today=None) -> dict[int, list[Finding]]:
    """The findings of each proposal: ``{proposal.pk: [Finding]}`` in the order of the module docstring.

    Reads in a fixed number of queries whatever the number of proposals (mandates, sibling
    proposals and dossier counts for all their procedures at once).
    """
    proposals = list(proposals)
    if not proposals:
        return {}
    today = today or timezone.localdate()
    procedure_ids = {p.procedure_id for p in proposals}

    mandates = defaultdict(list)
    for mandate in NationalMandate.objects.filter(matched_procedure_id__in=procedure_ids).select_related(
        "target_level"
    ):
        if mandate.is_settled:
            mandates[mandate.matched_procedure_id].append(mandate)

    siblings = defaultdict(list)
    for other in (
        Proposal.objects.filter(procedure_id__in=procedure_ids)
        .exclude(status=Proposal.Status.DRAFT)
        .select_related("agency", "tier", "target_level")
        .order_by("agency__name", "id")
    ):
        siblings[other.procedure_id].append(other)

    procedure_tiers = defaultdict(set)
    for procedure_id, tier_id in ProcedurePage.objects.filter(pk__in=procedure_ids, tiers__isnull=False).values_list(
        "pk", "tiers"
    ):
        procedure_tiers[procedure_id].add(tier_id)
    tier_names = dict(AdministrativeTier.objects.values_list("pk", "name")) if procedure_tiers else {}

    since = today - timedelta(days=UPGRADE_WINDOW_DAYS)
    shares = {
        row["procedure_id"]: row
        for row in Dossier.objects.filter(procedure_id__in=procedure_ids, submitted_at__date__gte=since)
        .values("procedure_id")
        .annotate(total=Count("id"), online=Count("id", filter=Q(channel=Channel.ONLINE)))
    }

    result = {}
    for proposal in proposals:
        findings = []
        procedure = proposal.procedure
        for mandate in mandates.get(proposal.procedure_id, []):
            findings.append(
                Finding(
                    "national",
                    "warning",
                    _(
                        "Đã có trong danh mục quốc gia: Quyết định %(decision)s%(date)s, %(appendix)smục %(item)s "
                        "“%(name)s” (mức %(level)s%(ministry)s). Tỉnh triển khai dịch vụ quốc gia này thay vì tự xây dựng."
                    )
                    % {
                        "decision": mandate.decision_number,
                        "date": f" ngày {_date(mandate.decision_date)}" if mandate.decision_date else "",
                        "appendix": f"{mandate.appendix}, " if mandate.appendix else "",
                        "item": mandate.item_number,
                        "name": mandate.service_name,
                        "level": mandate.target_level.label,
                        "ministry": f", {mandate.managing_ministry} quản lý" if mandate.managing_ministry else "",
                    },
                )
            )
        others = [o for o in siblings.get(proposal.procedure_id, []) if o.agency_id != proposal.agency_id]
        for other in others:
            findings.append(
                Finding(
                    "other_agency",
                    "warning",
                    _(
                        "%(agency)s cũng đề xuất thủ tục này (mức %(level)s, trạng thái “%(status)s”). "
                        "Thống nhất một cơ quan chủ trì để không xây dựng hai lần."
                    )
                    % {
                        "agency": other.agency.name,
                        "level": other.target_level.label,
                        "status": other.get_status_display(),
                    },
                )
            )
        current = procedure.online_level
        if current and CLASSIFICATION_RANK.get(current.classification, 0) >= CLASSIFICATION_RANK.get(
            proposal.target_level.classification, 0
        ):
            if proposal.status != Proposal.Status.DEPLOYED:
                findings.append(
                    Finding(
                        "already_online",
                        "warning",
                        _(
                            "Thủ tục đã được cung cấp trực tuyến ở mức “%(current)s”, bằng hoặc cao hơn mức đề xuất "
                            "“%(target)s”: không cần xây dựng lại."
                        )
                        % {"current": current.label, "target": proposal.target_level.label},
                    )
                )
        everyone = [proposal] + others
        tiers = sorted({p.tier.name for p in everyone if p.tier}, key=str)
        if len(tiers) > 1:
            findings.append(
                Finding(
                    "several_tiers",
                    "warning",
                    _(
                        "Cùng thủ tục được đề xuất ở nhiều cấp (%(tiers)s). Một dịch vụ trực tuyến dùng chung "
                        "cho các cấp, không xây dựng riêng từng cấp."
                    )
                    % {"tiers": ", ".join(tiers)},
                )
            )
        agency_tier = proposal.agency.tier_id
        allowed = procedure_tiers.get(proposal.procedure_id)
        if agency_tier and allowed and agency_tier not in allowed:
            findings.append(
                Finding(
                    "wrong_tier",
                    "warning",
                    _(
                        "Thủ tục không thực hiện ở cấp của cơ quan đề xuất: %(agency)s thuộc %(tier)s, còn theo danh mục "
                        "thủ tục này thực hiện ở %(tiers)s. Kiểm tra lại mã thủ tục, hoặc để cơ quan ở cấp thực hiện "
                        "thủ tục đề xuất."
                    )
                    % {
                        "agency": proposal.agency.name,
                        "tier": tier_names.get(agency_tier, "").lower() or "—",
                        "tiers": ", ".join(sorted(tier_names.get(t, "").lower() for t in allowed)),
                    },
                )
            )
        if (
            proposal.target_level.classification == "full"
            and current is not None
            and current.classification == "partial"
        ):
            row = shares.get(proposal.procedure_id)
            if not row or not row["total"]:
                findings.append(
                    Finding(
                        "upgrade_share",
                        "info",
                        _(
                            "Nâng từ một phần (mức 3) lên toàn trình (mức 4) cần ít nhất 30%% hồ sơ đã nộp trực tuyến; "
                            "chưa có hồ sơ nào trong %(days)s ngày qua để tính tỷ lệ."
                        )
                        % {"days": UPGRADE_WINDOW_DAYS},
                    )
                )
            else:
                share = (Decimal(100) * row["online"] / row["total"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if share < UPGRADE_MIN_ONLINE_SHARE:
                    findings.append(
                        Finding(
                            "upgrade_share",
                            "warning",
                            _(
                                "Nâng từ một phần lên toàn trình cần ít nhất 30%% hồ sơ trực tuyến; %(days)s ngày qua "
                                "mới có %(online)s/%(total)s hồ sơ (%(share)s%%)."
                            )
                            % {
                                "days": UPGRADE_WINDOW_DAYS,
                                "online": row["online"],
                                "total": row["total"],
                                "share": number_format(share, 1),
                            },
                        )
                    )
        result[proposal.pk] = findings
    return result


def proposal_checks(proposal: Proposal, *, today=None) -> list[Finding]:
    """The findings of one proposal (see ``checks_for``)."""
    return checks_for([proposal], today=today)[proposal.pk]
