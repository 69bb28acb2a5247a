"""Issue 5 "done when", end to end through the Wagtail admin, the API and the public page.

A counter dossier and an online dossier each go through reception, a supplement request, an
extension (apology, form 04) and return, with correct due dates, forms and audit trail, visible
only to their agency; the public statistics page then shows the province's on-time rates.

Every action is a POST to the admin's action URL by the officer who would take it, on a clock
frozen at the moment given (time-machine), so the due dates can be worked out by hand here.

Calendar (DOMAIN.md §4, 2026): Sunday 26/4 Hùng Kings' day with Monday 27/4 off in its place,
Thursday 30/4 and Friday 1/5 off, weekends off. Both procedures have a time limit of 5 working
days, counted from the reception date R: the n-th working day after R (the day of R is not
counted); a dossier received after 15:00 counts as received on the next working day.

Online dossier D1, Sở Xây dựng (agency A), filed Thursday 23/4 09:30:

1. 23/4 10:00 desk A asks for a supplement at reception (1 → 5), two items (form 02).
2. 29/4 16:00 desk A receives the complete dossier (5 → 2): after 15:00, so R is the next
   working day: 30/4, 1/5 off, 2–3/5 weekend → Monday 4/5. Due: 5/5 (1), 6/5 (2), 7/5 (3),
   8/5 (4), 11/5 (5) → Monday 11/5/2026 (form 01 printed again with it).
3. 5/5 09:00 leader A assigns processor A, step due 8/5 (2 → 4, form 05 hand-over).
4. 8/5 09:00 leader A apologises (form 04): working days after 8/5 up to 11/5: just 11/5 = 1,
   at least 1, allowed; new appointment Wednesday 13/5.
5. 11/5 10:00 leader A signs the result (4 → 9) after all: on the time limit's due date 11/5
   → on time. (Timeliness is judged against the time limit, which the apology does not move:
   finishing on 12/5 or 13/5 would be late.)
6. 11/5 15:00 desk A returns it (9 → 10), the same day.

Counter dossier D2, Sở Tư pháp (agency B), entered at B's desk Monday 4/5 14:00:

1. 4/5 14:00 intake in person (→ 2): R = 4/5 (before 15:00), due 5/5, 6/5, 7/5, 8/5, 11/5 →
   Monday 11/5.
2. 4/5 14:30 leader B assigns processor B (2 → 4).
3. 7/5 09:00 processor B asks for a supplement during appraisal (4 → 5): working days after
   R = 4/5 up to 7/5 are 5/5, 6/5, 7/5 = 3, within the 3 allowed.
4. 12/5 09:00 desk B receives the complete dossier (5 → 4): the time limit restarts in full
   from R = 12/5: 13/5, 14/5, 15/5, 18/5, 19/5 → Tuesday 19/5.
5. 15/5 09:00 leader B apologises: working days after 15/5 up to 19/5 are 18/5, 19/5 = 2 ≥ 1;
   new due date Thursday 21/5.
6. 20/5 10:00 leader B signs the result (4 → 9): before the new appointment 21/5, but after
   the time limit's due date 19/5 → late. 20/5 14:00 desk B returns it (9 → 10).

Second quarter 2026 (both submitted in it: 23/4 and 4/5): A processed 1, on time 1 → 100.0 %;
B processed 1, late 1 → 0.0 %; province 1 on time of 2 → 50.0 %; online share 1 of 2 = 50.0 %.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from services.models import Dossier
from tests.services.test_statistics import Tables
from tests.services.workflow_builders import (
    DESK,
    LEADER,
    PROCESSOR,
    agency_a,
    agency_b,
    filed_dossier,
    officer,
    online_form,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(month, day, hour, minute=0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(catalogue):
    a, b = agency_a(), agency_b()
    return {
        "a": a,
        "b": b,
        "form_a": online_form(catalogue, agency=a, time_limit=5),
        "form_b": online_form(catalogue, agency=b, time_limit=5, code="2.000001"),
        "desk_a": officer(a, DESK, "desk-a", first_name="Nguyễn Thị Lan"),
        "processor_a": officer(a, PROCESSOR, "processor-a", first_name="Trần Văn Hùng"),
        "leader_a": officer(a, LEADER, "leader-a", first_name="Lê Quang Minh"),
        "desk_b": officer(b, DESK, "desk-b", first_name="Đỗ Thị Hoa"),
        "processor_b": officer(b, PROCESSOR, "processor-b", first_name="Vũ Văn Nam"),
        "leader_b": officer(b, LEADER, "leader-b", first_name="Phan Thị Thu"),
    }


class Officer:
    """An officer's own browser (a test client: own cookies, own messages) on a frozen clock."""

    def __init__(self, user):
        self.client, self.user = Client(), user

    def act(self, dossier: Dossier, name: str, at: datetime, **fields) -> Dossier:
        """POSTs the action ``name`` with ``fields`` (without the ``name-`` prefix) at ``at``."""
        with time_machine.travel(at, tick=False):
            self.client.force_login(self.user)
            response = self.client.post(
                f"/admin/ho-so/{dossier.code}/thao-tac/{name}/", {f"{name}-{k}": v for k, v in fields.items()}
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == f"/admin/ho-so/{dossier.code}/"
        return Dossier.objects.select_related("status").get(pk=dossier.pk)

    def get(self, path: str, **query):
        self.client.force_login(self.user)
        return self.client.get(path, query)


def trail(dossier: Dossier) -> list[tuple]:
    """(action, from status, to status, actor's first name, local time) of every event, in order."""
    return [
        (
            e.action,
            e.from_status.code if e.from_status else None,
            e.to_status.code,
            e.actor.first_name if e.actor else None,
            e.at.astimezone(VN).strftime("%d/%m %H:%M"),
        )
        for e in dossier.events.select_related("from_status", "to_status", "actor").order_by("at", "id")
    ]


def test_counter_and_online_dossiers_from_reception_to_return(client, world):
    desk_a, leader_a = Officer(world["desk_a"]), Officer(world["leader_a"])
    desk_b, leader_b = Officer(world["desk_b"]), Officer(world["leader_b"])
    processor_b = Officer(world["processor_b"])

    # -- D1, online, agency A ----------------------------------------------------------------
    d1 = filed_dossier(world["form_a"], now=vn(4, 23, 9, 30))
    d1 = desk_a.act(
        d1,
        "request_supplement",
        vn(4, 23, 10),
        missing="Bản sao giấy chứng nhận quyền sử dụng đất\nBản vẽ mặt bằng có chữ ký",
    )
    # The date given at filing (23/4 09:30: 24/4, 28/4, 29/4, 4/5, 5/5) is suspended from now on.
    assert (d1.status.code, d1.due_date, d1.paused_at) == (5, date(2026, 5, 5), vn(4, 23, 10))
    d1 = desk_a.act(d1, "supplement_received", vn(4, 29, 16), note="Đã đủ giấy tờ")
    assert (d1.status.code, d1.received_on, d1.due_date) == (2, date(2026, 5, 4), date(2026, 5, 11))
    d1 = leader_a.act(
        d1, "assign", vn(5, 5, 9), assignee=world["processor_a"].pk, step_due_date="2026-05-08", note="Thẩm định"
    )
    assert (d1.status.code, d1.assigned_to) == (4, world["processor_a"])
    d1 = leader_a.act(d1, "apologise", vn(5, 8, 9), reason="Chờ ý kiến Sở Tài nguyên", new_due_date="2026-05-13")
    assert (d1.due_date, d1.original_due_date, d1.due_date_extended) == (date(2026, 5, 13), date(2026, 5, 11), True)
    d1 = leader_a.act(d1, "result_ready", vn(5, 11, 10))
    d1 = desk_a.act(d1, "return", vn(5, 11, 15))
    assert d1.status.code == 10

    # -- D2, at the counter, agency B --------------------------------------------------------
    procedure_b = world["form_b"].procedure
    with time_machine.travel(vn(5, 4, 14), tick=False):
        desk_b.client.force_login(world["desk_b"])
        response = desk_b.client.post(
            f"/admin/ho-so/tiep-nhan/{procedure_b.pk}/0/",
            {
                "channel": "in_person",
                "agency": world["b"].pk,
                "applicant_name": "Hoàng Văn Dũng",
                "applicant_id_type": "cccd",
                "applicant_id_number": "068090005678",
                "applicant_phone": "0912345678",
                "components": ["Giấy tờ số 1"],
                "submission_key": "0b0c3f0e-1f4e-4a55-8d2b-6f2a9c1d7e11",
            },
        )
    d2 = Dossier.objects.select_related("status").get(applicant_id_number="068090005678")
    assert response.status_code == 302 and response["Location"] == f"/admin/ho-so/{d2.code}/"
    assert (d2.channel, d2.status.code, d2.received_on, d2.due_date) == (
        "in_person",
        2,
        date(2026, 5, 4),
        date(2026, 5, 11),
    )
    assert d2.code.startswith(f"{world['b'].identifier}-260504-")
    d2 = leader_b.act(d2, "assign", vn(5, 4, 14, 30), assignee=world["processor_b"].pk)
    d2 = processor_b.act(d2, "request_supplement", vn(5, 7, 9), missing="Bản chính giấy khai sinh để đối chiếu")
    assert (d2.status.code, d2.paused_at) == (5, vn(5, 7, 9))
    d2 = desk_b.act(d2, "supplement_received", vn(5, 12, 9))
    assert (d2.status.code, d2.due_date, d2.paused_at) == (4, date(2026, 5, 19), None)
    d2 = leader_b.act(d2, "apologise", vn(5, 15, 9), reason="Cần xác minh tại địa phương", new_due_date="2026-05-21")
    assert (d2.due_date, d2.due_date_extended) == (date(2026, 5, 21), True)
    d2 = leader_b.act(d2, "result_ready", vn(5, 20, 10))
    d2 = desk_b.act(d2, "return", vn(5, 20, 14))
    assert d2.status.code == 10

    # -- audit trails --------------------------------------------------------------------------
    assert trail(d1) == [
        ("submit", None, 1, None, "23/04 09:30"),
        ("request_supplement", 1, 5, "Nguyễn Thị Lan", "23/04 10:00"),
        ("supplement_received", 5, 2, "Nguyễn Thị Lan", "29/04 16:00"),
        ("assign", 2, 4, "Lê Quang Minh", "05/05 09:00"),
        ("apologise", 4, 4, "Lê Quang Minh", "08/05 09:00"),
        ("result_ready", 4, 9, "Lê Quang Minh", "11/05 10:00"),
        ("return", 9, 10, "Nguyễn Thị Lan", "11/05 15:00"),
    ]
    assert trail(d2) == [
        ("accept", None, 2, "Đỗ Thị Hoa", "04/05 14:00"),
        ("assign", 2, 4, "Phan Thị Thu", "04/05 14:30"),
        ("request_supplement", 4, 5, "Vũ Văn Nam", "07/05 09:00"),
        ("supplement_received", 5, 4, "Đỗ Thị Hoa", "12/05 09:00"),
        ("apologise", 4, 4, "Phan Thị Thu", "15/05 09:00"),
        ("result_ready", 4, 9, "Phan Thị Thu", "20/05 10:00"),
        ("return", 9, 10, "Đỗ Thị Hoa", "20/05 14:00"),
    ]
    restart = d2.events.get(action="supplement_received").data
    assert (restart["old_due_date"], restart["new_due_date"], restart["restarted_on"]) == (
        "2026-05-11",
        "2026-05-19",
        "2026-05-12",
    )

    # -- the printed forms ---------------------------------------------------------------------
    form = lambda officer, dossier, n: officer.get(f"/admin/ho-so/{dossier.code}/mau/{n}/").content.decode()  # noqa: E731
    page = form(desk_a, d1, "01")
    # The receipt as issued on 29/4 16:00 (counted from 4/5, due 11/5), with the apology's new date.
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert "29/04/2026 16:00 (tính hạn từ ngày 04/05/2026)" in page
    assert "Thứ Hai, 11/05/2026" in page
    assert re.search(r"<p data-rescheduled>.*Thứ Tư, 13/05/2026</p>", page)
    page = form(desk_a, d1, "02")
    assert "<li>Bản sao giấy chứng nhận quyền sử dụng đất</li>" in page and "<li>Bản vẽ mặt bằng có chữ ký</li>" in page
    page = form(leader_a, d1, "04")
    assert "<dd data-old-due>11/05/2026</dd>" in page and "<strong data-new-due>13/05/2026</strong>" in page
    assert "Chờ ý kiến Sở Tài nguyên" in page
    # D2's receipt: received at intake; the appointment is the one in force after the restart
    # (19/5: a restart is no extension), and the apology's 21/5 is added to it.
    page = form(desk_b, d2, "01")
    assert "04/05/2026 14:00" in page and "Giấy tờ số 1" in page and "Thứ Ba, 19/05/2026" in page
    assert re.search(r"<p data-rescheduled>.*Thứ Năm, 21/05/2026</p>", page)
    page = form(desk_b, d2, "02")
    assert "<li>Bản chính giấy khai sinh để đối chiếu</li>" in page
    page = form(leader_b, d2, "04")
    assert "<dd data-old-due>19/05/2026</dd>" in page and "<strong data-new-due>21/05/2026</strong>" in page
    # Form 05: each hand-over against its step's due date; the result against the time limit's
    # due date. A step ends at the next hand-over: D2's result, ready and returned 20/5, against
    # 19/5 is late (the apology's 21/5 does not count); D1's, ready and returned 11/5, on time.
    rows = desk_b.get(f"/admin/ho-so/{d2.code}/mau/05/").context["rows"]
    assert [(r.label, r.step_due_date, r.timeliness) for r in rows if r.label == "Có kết quả, chuyển trả"] == [
        ("Có kết quả, chuyển trả", date(2026, 5, 19), "late")
    ]
    rows = desk_a.get(f"/admin/ho-so/{d1.code}/mau/05/").context["rows"]
    assert [(r.label, r.step_due_date, r.timeliness) for r in rows if r.label == "Có kết quả, chuyển trả"] == [
        ("Có kết quả, chuyển trả", date(2026, 5, 11), "on_time")
    ]

    # -- each agency sees only its own dossier -------------------------------------------------
    listing = desk_a.get("/admin/ho-so/").content.decode()
    assert f"/admin/ho-so/{d1.code}/" in listing and f"/admin/ho-so/{d2.code}/" not in listing
    listing = desk_b.get("/admin/ho-so/").content.decode()
    assert f"/admin/ho-so/{d2.code}/" in listing and f"/admin/ho-so/{d1.code}/" not in listing
    assert desk_a.get(f"/admin/ho-so/{d2.code}/").status_code == 404
    assert leader_b.get(f"/admin/ho-so/{d1.code}/mau/04/").status_code == 404
    export = desk_a.get("/admin/ho-so/", export="csv").content.decode("utf-8-sig")
    assert d1.code in export and d2.code not in export
    # The list's timeliness filter and the export judge by the time limit too: D2 is late.
    with time_machine.travel(vn(5, 25, 9), tick=False):
        late = desk_b.get("/admin/ho-so/", tien_do="late").content.decode()
        assert f"/admin/ho-so/{d2.code}/" in late
        export = desk_b.get("/admin/ho-so/", export="csv").content.decode("utf-8-sig")
    assert "Quá hạn" in next(line for line in export.splitlines() if d2.code in line)

    # -- the public statistics page: on-time rates of the second quarter ----------------------
    with time_machine.travel(vn(5, 25, 9), tick=False):
        html = client.get("/thong-ke/", {"nam": "2026", "ky": "q2"}).content.decode()
    page = Tables(html)
    assert (page.figures["on_time_rate"], page.figures["online_share"]) == ("50,0%", "50,0%")
    table = page.tables["stats-agencies"]
    # Last two cells of a row: online share (%), on-time rate (%).
    assert table[world["a"].name][-2:] == ["100,0", "100,0"]  # D1 online, on time
    assert table[world["b"].name][-2:] == ["0,0", "0,0"]  # D2 at the counter, late
    assert table["Tổng cộng toàn tỉnh"][-2:] == ["50,0", "50,0"]
