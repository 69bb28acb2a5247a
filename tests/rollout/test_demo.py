"""The roll-out demo (issue 7 "done when"): who proposed what, which proposals duplicate the
national lists or each other, the approved plan and its progress on the public site."""

import pytest

from services.demo.loader import load_demo
from services.models import ProcedurePage
from services.rollout.checks import checks_for
from services.rollout.demo import load_rollout_demo
from services.rollout.models import NationalMandate, Plan, Proposal


@pytest.mark.django_db
def test_demo_story_is_complete_and_idempotent(client):
    load_demo()
    first = load_rollout_demo()
    assert first["proposals"] == 8
    assert load_rollout_demo()["plan"] == "unchanged"
    assert NationalMandate.objects.count() == 10 and Proposal.objects.count() == 8

    proposals = list(Proposal.objects.select_related("agency", "procedure"))
    found = checks_for(proposals)
    flags = {(p.agency.identifier, p.procedure.code): sorted(f.code for f in found[p.pk]) for p in proposals}
    # The commune (tier xã) and the Department of Justice (tier tỉnh) both propose 1.004884.
    assert {"other_agency", "several_tiers"} <= set(flags[("000.00.90.H36", "1.004884")])
    assert {"other_agency", "several_tiers"} <= set(flags[("000.00.12.H36", "1.004884")])
    # 1.004884 is a commune-tier procedure: the provincial department is at the wrong tier, the commune is not.
    assert "wrong_tier" in flags[("000.00.12.H36", "1.004884")]
    assert "wrong_tier" not in flags[("000.00.90.H36", "1.004884")]
    # On the sample national list: 1.001193 (846, item 1) and 1.000703 (846, item 4).
    assert "national" in flags[("000.00.90.H36", "1.001193")]
    assert "national" in flags[("000.00.07.H36", "1.000703")]
    # Karaoke is already "Mức độ 4"; the proposal asks for "Một phần".
    assert flags[("000.00.16.H36", "1.001029")] == ["already_online"]

    # Demo users are named by their role, read whole family name first (person_name).
    from django.contrib.auth import get_user_model

    from services.dossiers.selectors import person_name

    justice = get_user_model().objects.get(username="sotuphap-demo")
    assert person_name(justice) == "Lãnh đạo Sở Tư pháp"
    assert justice.check_password("dichvucong-demo")

    plan = Plan.objects.get()
    assert (plan.status, plan.approval_number, str(plan.approval_date)) == ("approved", "2468/QĐ-UBND", "2019-09-27")
    statuses = sorted(plan.proposals.values_list("procedure__code", "status"))
    assert statuses == [
        ("1.000703", "approved"),
        ("1.004884", "approved"),
        ("9.900002", "approved"),
        ("9.900003", "deployed"),
    ]
    # Deployed: 9.900003 went from "Mức độ 2" to "Một phần" and can be filed online.
    coffee = ProcedurePage.objects.get(code="9.900003")
    assert coffee.online_level.label == "Một phần" and coffee.allows_online_filing
    page = client.get("/ke-hoach-dich-vu-cong/").content.decode()
    # 4 planned, 1 deployed: 25%.
    assert (
        'data-figure="planned">4<' in page
        and 'data-figure="deployed">1<' in page
        and 'data-figure="rate">25,0<' in page
    )
    assert 'data-deployed="9.900003"' in page
    assert client.get(f"{coffee.url}nop-ho-so/").status_code == 200


@pytest.mark.django_db
def test_demo_officers_take_demo_officer_password_and_old_split_names_are_mended(monkeypatch):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from services.dossiers.selectors import person_name
    from services.rollout.demo import demo_users

    load_demo()
    User = get_user_model()
    # A user made by the earlier demo: "Lãnh đạo Sở Tư" + "pháp", read "pháp Lãnh đạo Sở Tư".
    old = User.objects.create_user(username="sotuphap-demo", first_name="Lãnh đạo Sở Tư", last_name="pháp")
    old.groups.add(Group.objects.get(name="Lãnh đạo cơ quan"))
    assert person_name(old) == "pháp Lãnh đạo Sở Tư"
    monkeypatch.setenv("DEMO_OFFICER_PASSWORD", "mat-khau-rieng")
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "khong-dung")
    users = demo_users()
    assert person_name(users["sotuphap-demo"]) == "Lãnh đạo Sở Tư pháp"
    assert person_name(users["chutich-demo"]) == "Chủ tịch UBND tỉnh"
    assert users["tonghop-demo"].check_password("mat-khau-rieng")
    assert not users["tonghop-demo"].check_password("khong-dung")
