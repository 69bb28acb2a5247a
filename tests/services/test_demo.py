"""The demo catalogue (`make demo`): procedures, published online forms, a filing end to end."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from services.demo.loader import load_demo, load_online_forms
from services.dossiers.services import Applicant, dossier_submit
from services.models import Dossier, OnlineServiceForm, ProcedurePage
from tests.services.dossier_builders import pdf_bytes

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db
def test_demo_publishes_one_form_per_online_case_and_files_a_birth_registration(client):
    report = load_demo()
    assert report.counts["new"] == 33
    # 33 demo procedures, 4 of them information only (2.000884 and 9.900003 "Mức độ 2",
    # 2.002409 and 9.900002 "Còn lại"): 29 online, of which 4 have two cases -> 33 forms.
    assert OnlineServiceForm.objects.live().count() == 33
    assert not OnlineServiceForm.objects.filter(procedure__code__in=["2.000884", "2.002409"]).exists()
    catalogue = ProcedurePage.objects.get(code="1.001193").get_parent()
    assert load_online_forms(catalogue) == 0  # idempotent

    birth = ProcedurePage.objects.get(code="1.001193")
    form = OnlineServiceForm.objects.get(procedure=birth)
    page = client.get(f"{birth.url}nop-ho-so/")
    assert page.status_code == 200
    filing = page.context["form"]
    data = {name: "" for name in filing.fields}
    data.update(
        applicant_name="Lê Thị Hoa",
        applicant_id_type="cccd",
        applicant_id_number="068195001111",
        applicant_phone="0912000111",
        applicant_province="Lâm Đồng",
        applicant_commune="Phường Xuân Hương - Đà Lạt",
        applicant_street="5 Hùng Vương",
        submission_key=str(filing.fields["submission_key"].initial),
    )
    labels = {}
    for child, key, names in filing.questions:
        labels[child.value["label"]] = (key, names)
    data[labels["Họ, chữ đệm và tên của trẻ"][0]] = "NGUYỄN MINH KHÔI"
    data[labels["Ngày, tháng, năm sinh của trẻ"][0]] = "2026-11-20"
    data[labels["Giới tính của trẻ"][0]] = "Nam"
    data[labels["Nơi sinh"][0]] = "Bệnh viện Đa khoa tỉnh Lâm Đồng"
    data[labels["Họ và tên người mẹ"][0]] = "Lê Thị Hoa"
    mother_key = labels["Số định danh cá nhân của người mẹ"][0]
    data[mother_key] = "068195001111"
    data[f"{mother_key}-type"] = "cccd"
    data[labels["Quan hệ của người đi đăng ký với trẻ"][0]] = "Mẹ"
    data[labels["Nhận kết quả"][0]] = "Tại Bộ phận Một cửa"
    declaration = next(k for label, (k, _n) in labels.items() if label.startswith("Tôi xin cam đoan"))
    data[declaration] = "on"
    for child, key, _names in filing.questions:
        if child.block.answer_type == "file" and child.value["required"]:
            data[key] = SimpleUploadedFile("Tờ khai đăng ký khai sinh.pdf", pdf_bytes(4000), "application/pdf")

    response = client.post(f"{birth.url}nop-ho-so/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    dossier = Dossier.objects.get()
    # The birth registration is received by the commune People's Committee 000.00.90.H36.
    assert dossier.code.startswith("000.00.90.H36-")
    assert dossier.time_limit == 1 and dossier.time_unit == "working_days"
    assert dossier.online_form == form
    assert dossier.attachments.count() >= 1


@pytest.mark.django_db
def test_demo_birth_registration_due_date_after_the_cutoff():
    """Fri 30/1/2026 16:00 is after 15:00: received Mon 2/2; 1 working day -> Tue 3/2/2026."""
    load_demo()
    form = OnlineServiceForm.objects.get(procedure__code="1.001193")
    dossier = dossier_submit(
        form=form,
        applicant=Applicant(name="Lê Thị Hoa", id_type="cccd", id_number="068195001111"),
        answers=[],
        uploads=[],
        now=datetime(2026, 1, 30, 16, 0, tzinfo=VN),
    ).dossier
    assert dossier.code == "000.00.90.H36-260130-0001"
    assert dossier.received_on.isoformat() == "2026-02-02"
    assert dossier.due_date.isoformat() == "2026-02-03"
