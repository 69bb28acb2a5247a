"""Duplication and overlap checks (issue 7 item 3) on hand-built cases, each explaining itself."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from services.models import Channel, Dossier, DossierStatus
from services.rollout import services as rollout
from services.rollout.checks import checks_for, proposal_checks
from tests.rollout.builders import commune_agency, criteria, leader, mandate, procedure, province_agency

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def codes(findings):
    return [f.code for f in findings]


@pytest.fixture
def people(db):
    return {"xa": leader(commune_agency(), "xa"), "tp": leader(province_agency(), "tp")}


@pytest.mark.django_db
def test_a_clean_proposal_has_no_finding(catalogue, people):
    page = procedure(catalogue, level_label="Mức độ 2")
    p = rollout.proposal_create(user=people["xa"], procedure=page, target_level="3", criteria=criteria())
    assert proposal_checks(p) == []


@pytest.mark.django_db
def test_national_mandate_names_the_decision_and_says_to_deploy_the_national_service(catalogue, people):
    page = procedure(catalogue, level_label="Mức độ 2")
    mandate(page, item="12")
    p = rollout.proposal_create(user=people["xa"], procedure=page, target_level="3", criteria=criteria())
    [finding] = proposal_checks(p)
    assert finding.code == "national"
    assert "846/QĐ-TTg ngày 09/06/2017, Phụ lục I, mục 12 “Đăng ký lại khai sinh”" in finding.message
    assert "Bộ Tư pháp quản lý" in finding.message
    assert "triển khai dịch vụ quốc gia này thay vì tự xây dựng" in finding.message


@pytest.mark.django_db
def test_an_unconfirmed_name_suggestion_does_not_count_as_mandated(catalogue, people):
    page = procedure(catalogue, level_label="Mức độ 2")
    mandate(page, method="name", automatic=False, match_score=80)
    p = rollout.proposal_create(user=people["xa"], procedure=page, target_level="3", criteria=criteria())
    assert codes(proposal_checks(p)) == []


@pytest.mark.django_db
def test_another_agency_and_another_tier_are_both_flagged_for_each_side(catalogue, people):
    page = procedure(catalogue, level_label="Mức độ 2")
    mine = rollout.proposal_create(user=people["xa"], procedure=page, target_level="3", criteria=criteria())
    theirs = rollout.proposal_create(user=people["tp"], procedure=page, target_level="3", criteria=criteria())
    # Drafts are not yet proposals: nobody is flagged while the other side is still a draft.
    assert codes(proposal_checks(mine)) == []
    rollout.proposal_submit(proposal=theirs, user=people["tp"])
    findings = proposal_checks(mine)
    assert codes(findings) == ["other_agency", "several_tiers"]
    assert findings[0].message.startswith(
        "Sở Tư pháp tỉnh Lâm Đồng cũng đề xuất thủ tục này (mức Mức độ 3, trạng thái “Đã gửi”)"
    )
    assert "nhiều cấp (Cấp Tỉnh, Cấp Xã)" in findings[1].message
    rollout.proposal_submit(proposal=mine, user=people["xa"])
    found = checks_for([mine, theirs])
    assert codes(found[theirs.pk]) == ["other_agency", "several_tiers"]
    assert found[theirs.pk][0].message.startswith("Ủy ban nhân dân cấp xã cũng đề xuất")


@pytest.mark.django_db
def test_two_agencies_of_one_tier_overlap_without_a_tier_finding(catalogue, people):
    from services.models import AdministrativeTier, Agency

    other = Agency.objects.create(
        name="Sở Y tế tỉnh Lâm Đồng", identifier="000.00.15.H36", tier=AdministrativeTier.objects.get(code="tinh")
    )
    page = procedure(catalogue, level_label="Mức độ 2")
    mine = rollout.proposal_create(user=people["tp"], procedure=page, target_level="3", criteria=criteria())
    theirs = rollout.proposal_create(user=leader(other, "yt"), procedure=page, target_level="3", criteria=criteria())
    rollout.proposal_submit(proposal=theirs, user=theirs.created_by)
    assert codes(proposal_checks(mine)) == ["other_agency"]


@pytest.mark.django_db
def test_already_online_compares_classifications_not_labels(catalogue, people):
    # "Mức độ 4" is toàn trình: it reaches a "Một phần" target; "Mức độ 3" does not reach "Toàn trình".
    full = procedure(catalogue, code="1.001029", title="Karaoke", level_label="Mức độ 4", slug="k")
    partial = procedure(catalogue, code="1.000703", title="Vận tải", level_label="Mức độ 3", slug="v")
    a = rollout.proposal_create(user=people["tp"], procedure=full, target_level="Một phần", criteria=criteria())
    b = rollout.proposal_create(user=people["tp"], procedure=partial, target_level="Một phần", criteria=criteria())
    c = rollout.proposal_create(user=people["xa"], procedure=partial, target_level="Toàn trình", criteria=criteria())
    found = checks_for([a, b, c])
    assert codes(found[a.pk]) == ["already_online"]
    assert "ở mức “Mức độ 4”, bằng hoặc cao hơn mức đề xuất “Một phần”" in found[a.pk][0].message
    assert codes(found[b.pk]) == ["already_online"]
    assert "already_online" not in codes(found[c.pk])


def dossiers(page, agency, *, online, offline, day=date(2026, 3, 2)):
    status = DossierStatus.objects.get(code=1)
    n = Dossier.objects.count()
    for i in range(online + offline):
        Dossier.objects.create(
            code=f"{agency.identifier}-260302-{n + i + 1:04d}",
            procedure=page,
            procedure_code=page.code,
            procedure_name=page.title,
            receiving_agency=agency,
            channel=Channel.ONLINE if i < online else Channel.IN_PERSON,
            applicant_name="A",
            applicant_id_type="cccd",
            applicant_id_number="068190004321",
            status=status,
            submitted_at=datetime(day.year, day.month, day.day, 9, tzinfo=VN),
        )


@pytest.mark.django_db
def test_upgrade_from_three_to_four_needs_thirty_percent_online(catalogue, people):
    page = procedure(catalogue, level_label="Mức độ 3")
    agency = commune_agency()
    p = rollout.proposal_create(user=people["xa"], procedure=page, target_level="4", criteria=criteria())
    [info] = proposal_checks(p, today=date(2026, 3, 31))
    assert (info.code, info.severity) == ("upgrade_share", "info")
    # 2 online of 7 = 28.57… -> 28,6% (Vietnamese decimal comma) < 30%: a warning with the figures.
    dossiers(page, agency, online=2, offline=5)
    [warning] = proposal_checks(p, today=date(2026, 3, 31))
    assert (warning.code, warning.severity) == ("upgrade_share", "warning")
    assert "mới có 2/7 hồ sơ (28,6%)" in warning.message
    # One more online: 3 of 8 = 37.5% >= 30%: no finding.
    dossiers(page, agency, online=1, offline=0)
    assert proposal_checks(p, today=date(2026, 3, 31)) == []
    # Dossiers older than 365 days are not counted: from 3/3/2027 the window starts on 3/3/2026.
    assert codes(proposal_checks(p, today=date(2027, 3, 3))) == ["upgrade_share"]


@pytest.mark.django_db
def test_a_procedure_not_carried_out_at_the_agencys_tier_is_flagged(catalogue, people):
    from services.models import AdministrativeTier

    xa_tier = AdministrativeTier.objects.get(code="xa")
    commune_only = procedure(catalogue, level_label="Mức độ 2", tiers=[xa_tier])
    # The Department of Justice (Cấp Tỉnh) proposes a commune-tier procedure: flagged, explained.
    p = rollout.proposal_create(user=people["tp"], procedure=commune_only, target_level="3", criteria=criteria())
    [finding] = proposal_checks(p)
    assert (finding.code, finding.severity) == ("wrong_tier", "warning")
    assert finding.message == (
        "Thủ tục không thực hiện ở cấp của cơ quan đề xuất: Sở Tư pháp tỉnh Lâm Đồng thuộc cấp tỉnh, còn theo "
        "danh mục thủ tục này thực hiện ở cấp xã. Kiểm tra lại mã thủ tục, hoặc để cơ quan ở cấp thực hiện thủ "
        "tục đề xuất."
    )
    # The commune proposing it is at the right tier: nothing.
    mine = rollout.proposal_create(user=people["xa"], procedure=commune_only, target_level="3", criteria=criteria())
    assert "wrong_tier" not in codes(proposal_checks(mine))


@pytest.mark.django_db
def test_no_tier_finding_when_the_procedure_or_the_agency_has_no_tier(catalogue, people):
    from services.models import AdministrativeTier, Agency

    untiered = procedure(catalogue, level_label="Mức độ 2")  # the catalogue lists no tier
    p = rollout.proposal_create(user=people["tp"], procedure=untiered, target_level="3", criteria=criteria())
    assert codes(proposal_checks(p)) == []
    commune_only = procedure(
        catalogue,
        code="1.000001",
        title="Thủ tục cấp xã",
        slug="cap-xa",
        level_label="Mức độ 2",
        tiers=[AdministrativeTier.objects.get(code="xa")],
    )
    tierless = Agency.objects.create(name="Ban quản lý dự án", identifier="000.00.99.H36", tier=None)
    q = rollout.proposal_create(
        user=leader(tierless, "bql"), procedure=commune_only, target_level="3", criteria=criteria()
    )
    assert codes(proposal_checks(q)) == []
