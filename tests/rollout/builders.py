"""Builders for roll-out planning tests: agencies at two tiers, procedures, users per role, mandates.

Hand-built values: a province department (Sở Tư pháp, tier "tinh") and a commune People's
Committee (tier "xa"); groups from migrations services/0010 and rollout/0002.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from services.models import AdministrativeTier, Agency, OfficerProfile
from services.rollout.models import NationalMandate
from services.rollout.services import Criteria
from tests.factories import ProcedurePageFactory, level

LEADER = "Lãnh đạo cơ quan"
AGGREGATOR = "Cơ quan tổng hợp kế hoạch DVC trực tuyến"
CHAIRMAN = "Chủ tịch UBND tỉnh"


def province_agency() -> Agency:
    agency, _ = Agency.objects.get_or_create(
        identifier="000.00.12.H36",
        defaults={"name": "Sở Tư pháp tỉnh Lâm Đồng", "tier": AdministrativeTier.objects.get(code="tinh")},
    )
    return agency


def commune_agency() -> Agency:
    agency, _ = Agency.objects.get_or_create(
        identifier="000.00.90.H36",
        defaults={"name": "Ủy ban nhân dân cấp xã", "tier": AdministrativeTier.objects.get(code="xa")},
    )
    return agency


def procedure(catalogue, *, code="1.004884", title="Thủ tục đăng ký lại khai sinh", level_label="Mức độ 3", **kwargs):
    return ProcedurePageFactory(parent=catalogue, code=code, title=title, online_level=level(level_label), **kwargs)


def user_in(group: str, agency: Agency | None = None, username: str | None = None, name: str = ""):
    """A user of ``group`` (tied to ``agency`` when given) named ``name`` Vietnamese-style: the last
    word is the given name (``first_name``), the words before it the family and middle names
    (``last_name``), so ``person_name`` reads "Nguyễn Văn An" back."""
    User = get_user_model()
    username = username or f"u{User.objects.count() + 1}"
    family, _sep, given = name.strip().rpartition(" ")
    user = User.objects.create_user(
        username=username, email=f"{username}@example.vn", password="x", first_name=given, last_name=family
    )
    user.groups.add(Group.objects.get(name=group))
    if agency is not None:
        OfficerProfile.objects.create(user=user, agency=agency)
    return user


def leader(agency: Agency, username: str | None = None, name: str = ""):
    return user_in(LEADER, agency, username, name)


def aggregator(username: str | None = None, name: str = ""):
    return user_in(AGGREGATOR, None, username, name)


def chairman(username: str | None = None, name: str = ""):
    return user_in(CHAIRMAN, None, username, name)


def criteria(**overrides) -> Criteria:
    values = {
        "yearly_volume": 1200,
        "readiness": "ready",
        "whole_process_online": True,
        "rationale": "Số hồ sơ lớn, dữ liệu đã số hóa.",
    }
    values.update(overrides)
    return Criteria(**values)


def mandate(procedure=None, *, item="1", name="Đăng ký lại khai sinh", method="code", automatic=True, **kwargs):
    """A national list item (Decision 846/QĐ-TTg of 9/6/2017), matched to ``procedure`` by ``method``."""
    return NationalMandate.objects.create(
        decision_number="846/QĐ-TTg",
        decision_date=date(2017, 6, 9),
        appendix="Phụ lục I",
        item_number=item,
        service_name=name,
        managing_ministry="Bộ Tư pháp",
        target_level=level("Mức độ 3"),
        matched_procedure=procedure,
        match_method=method if procedure else "none",
        match_automatic=automatic and procedure is not None,
        **kwargs,
    )
