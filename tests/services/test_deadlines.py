"""Dossiers due within 2 working days and the daily reminder e-mail (issue 5 items 3 and 6).

Windows worked out by hand: from Friday 6/3/2026 the 2 working days ahead are Monday 9/3 (1)
and Tuesday 10/3 (2), so the window is 6/3–10/3 inclusive (Saturday 7 and Sunday 8 not
counted); from Saturday 7/3 it is 7/3–10/3. From Wednesday 29/4/2026: 30/4, 1/5 (holidays),
2–3/5 (weekend) are off, so Monday 4/5 (1) and Tuesday 5/5 (2): window 29/4–5/5.
"""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from services.dossiers.deadlines import dossiers_due_soon, notify_due_soon, notify_due_soon_task
from tests.services.workflow_builders import (
    DESK,
    LEADER,
    PROCESSOR,
    agency_a,
    agency_b,
    filed_dossier,
    officer,
    online_form,
    set_status,
    vn,
)


@pytest.fixture
def forms(catalogue):
    return online_form(catalogue, agency=agency_a()), online_form(catalogue, agency=agency_b(), code="1.000020")


def dossier(form, status, due, **fields):
    """A dossier of ``form`` put directly at ``status`` with due date ``due`` (set-up only)."""
    return set_status(filed_dossier(form, now=vn(2026, 3, 2)), status, due_date=due, **fields)


def codes(queryset):
    return [d.code for d in queryset]


@pytest.mark.django_db
def test_due_soon_spans_the_weekend_and_leaves_out_done_paused_and_overdue_dossiers(forms):
    form, _ = forms
    overdue = dossier(form, 4, date(2026, 3, 5))
    today_due = dossier(form, 2, date(2026, 3, 6))
    monday = dossier(form, 4, date(2026, 3, 9))
    tuesday = dossier(form, 6, date(2026, 3, 10))
    wednesday = dossier(form, 4, date(2026, 3, 11))
    not_yet_accepted = dossier(form, 1, date(2026, 3, 9))
    dossier(form, 5, date(2026, 3, 9), paused_at=vn(2026, 3, 4))  # time limit suspended
    dossier(form, 9, date(2026, 3, 9))  # result ready: done
    dossier(form, 8, date(2026, 3, 9))  # stopped
    dossier(form, 4, None)  # no computable time limit

    assert codes(dossiers_due_soon(date(2026, 3, 6))) == [
        today_due.code,
        monday.code,
        not_yet_accepted.code,
        tuesday.code,
    ]
    assert codes(dossiers_due_soon(date(2026, 3, 7))) == [monday.code, not_yet_accepted.code, tuesday.code]
    assert codes(dossiers_due_soon(date(2026, 3, 6), within_working_days=0)) == [today_due.code]
    assert overdue.code not in codes(dossiers_due_soon(date(2026, 3, 6)))
    assert wednesday.code not in codes(dossiers_due_soon(date(2026, 3, 6)))


@pytest.mark.django_db
def test_due_soon_spans_the_30_4_holidays(forms):
    form, _ = forms
    due_5_5 = dossier(form, 4, date(2026, 5, 5))
    dossier(form, 4, date(2026, 5, 6))
    assert codes(dossiers_due_soon(date(2026, 4, 29))) == [due_5_5.code]


@pytest.fixture
def office(forms):
    """Officers of agencies A and B and the dossiers of a Friday 6/3/2026 morning."""
    form_a, form_b = forms
    a, b = agency_a(), agency_b()
    people = {
        "p1": officer(a, PROCESSOR, "p1"),
        "p2": officer(a, PROCESSOR, "p2"),
        "p3": officer(a, PROCESSOR, "p3", is_active=False),
        "desk1": officer(a, DESK, "desk1"),
        "desk2": officer(a, DESK, "desk2"),
        "desk3": officer(a, DESK, "desk3", email=""),  # no address: cannot be told
        "leader": officer(a, LEADER, "leader"),  # no receive_dossier: not a desk officer
        "desk_b": officer(b, DESK, "desk-b"),
    }
    dossiers = {
        "d1": dossier(form_a, 4, date(2026, 3, 9), assigned_to=people["p1"]),
        "d2": dossier(form_a, 4, date(2026, 3, 10), assigned_to=people["p1"]),
        "d3": dossier(form_a, 4, date(2026, 3, 6), assigned_to=people["p2"]),
        "d4": dossier(form_a, 2, date(2026, 3, 9)),  # unassigned: the desk
        "d5": dossier(form_a, 4, date(2026, 3, 9), assigned_to=people["p3"]),  # inactive officer: the desk
        "d6": dossier(form_b, 1, date(2026, 3, 10)),  # agency B, not yet accepted: B's desk
        "d7": dossier(form_a, 4, date(2026, 3, 11), assigned_to=people["p2"]),  # beyond the window
        "d8": dossier(form_a, 5, date(2026, 3, 9), assigned_to=people["p2"], paused_at=vn(2026, 3, 4)),
    }
    return people, dossiers


@pytest.mark.django_db
def test_one_email_per_officer_listing_their_dossiers(office):
    """p1 (d1, d2), p2 (d3), desk1 and desk2 (d4, d5), desk-b (d6): 5 e-mails."""
    people, d = office
    mail.outbox.clear()

    assert notify_due_soon(date(2026, 3, 6)) == 5

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == [
        "desk-b@example.vn",
        "desk1@example.vn",
        "desk2@example.vn",
        "p1@example.vn",
        "p2@example.vn",
    ]
    p1 = by_recipient["p1@example.vn"]
    assert p1.subject == "[Một cửa] 2 hồ sơ sắp đến hạn trả kết quả"
    assert "Kính gửi p1," in p1.body
    assert "trong 2 ngày làm việc tới (tính từ ngày 06/03/2026)" in p1.body
    assert f"- {d['d1'].code} · Cấp giấy phép xây dựng nhà ở riêng lẻ · hạn trả 09/03/2026 · Đang xử lý" in p1.body
    assert f"{d['d2'].code} · Cấp giấy phép xây dựng nhà ở riêng lẻ · hạn trả 10/03/2026" in p1.body
    assert p1.body.index(d["d1"].code) < p1.body.index(d["d2"].code)  # by due date
    p2 = by_recipient["p2@example.vn"].body
    assert d["d3"].code in p2 and d["d7"].code not in p2 and d["d8"].code not in p2
    desk1 = by_recipient["desk1@example.vn"].body
    assert (
        f"{d['d4'].code} · Cấp giấy phép xây dựng nhà ở riêng lẻ · hạn trả 09/03/2026 · Đã tiếp nhận · chưa phân công"
        in desk1
    )
    assert d["d5"].code in desk1 and d["d6"].code not in desk1
    assert by_recipient["desk2@example.vn"].body == desk1.replace("desk1", "desk2")
    assert d["d6"].code in by_recipient["desk-b@example.vn"].body


@pytest.mark.django_db
def test_nothing_due_sends_nothing(office):
    mail.outbox.clear()
    # From Thursday 12/3: window 12/3–16/3, no dossier is due then.
    assert notify_due_soon(date(2026, 3, 12)) == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_daily_task_and_cron_command(office):
    people, d = office
    mail.outbox.clear()
    result = notify_due_soon_task.enqueue("2026-03-06")
    assert result.return_value == 5
    assert len(mail.outbox) == 5

    mail.outbox.clear()
    out = io.StringIO()
    call_command("dossier_deadlines", "--date", "2026-03-06", "--dry-run", stdout=out)
    listed = out.getvalue().splitlines()
    assert [line.split("\t")[0] for line in listed] == [
        d["d3"].code,
        d["d1"].code,
        d["d4"].code,
        d["d5"].code,
        d["d2"].code,
        d["d6"].code,
    ]
    assert mail.outbox == []
    out = io.StringIO()
    call_command("dossier_deadlines", "--date", "2026-03-06", stdout=out)
    assert out.getvalue().strip() == "Đã gửi 5 thư nhắc hạn."
    assert len(mail.outbox) == 5
