"""Headless API (Wagtail API v2): procedures by code, with catalogue filters."""

import pytest

from services.models import Agency, FieldOfWork
from tests.factories import ProcedurePageFactory, agency_role, case, level

pytestmark = pytest.mark.django_db

API = "/api/v2/pages/"


@pytest.fixture
def procedures(catalogue, national_catalogue):
    from services.models import AdministrativeTier

    tiers = {t.code: t for t in AdministrativeTier.objects.all()}
    ho_tich = FieldOfWork.objects.create(name="Hộ tịch", code="G03-GD10")
    xay_dung = FieldOfWork.objects.create(name="Xây dựng")
    ubnd_xa = Agency.objects.create(name="Ủy ban nhân dân xã Tân Hà")
    so_xd = Agency.objects.create(name="Sở Xây dựng", identifier="000.00.07.H36")
    pages = {
        "khai_sinh": ProcedurePageFactory(
            parent=catalogue,
            title="Đăng ký khai sinh",
            code="1.001193",
            provincial_code="1.001193.000.00.00.H36",
            online_level=level("Một phần"),
            tiers=[tiers["xa"]],
            fields_of_work=[ho_tich],
            agency_roles=[agency_role(ubnd_xa)],
            cases=[case(steps=2, channels=("in_person", "online"), components=2)],
        ),
        "ket_hon": ProcedurePageFactory(
            parent=catalogue,
            title="Đăng ký kết hôn",
            code="1.000894",
            online_level=level("Toàn trình"),
            tiers=[tiers["xa"]],
            fields_of_work=[ho_tich],
            agency_roles=[agency_role(ubnd_xa)],
            cases=[case()],
        ),
        "giay_phep": ProcedurePageFactory(
            parent=catalogue,
            title="Cấp giấy phép xây dựng",
            code="1.000948",
            online_level=level("Mức độ 4"),
            tiers=[tiers["tinh"]],
            fields_of_work=[xay_dung],
            agency_roles=[agency_role(so_xd)],
            cases=[case()],
        ),
        "thong_tin": ProcedurePageFactory(
            parent=catalogue,
            title="Công nhận làng nghề",
            code="1.003695",
            online_level=level("Còn lại"),
            tiers=[tiers["tinh"]],
            fields_of_work=[xay_dung],
            agency_roles=[agency_role(so_xd, "competent")],
            cases=[case()],
        ),
        # A draft never published, with the same code as a live procedure (C14 kind).
        "draft": ProcedurePageFactory(
            parent=national_catalogue,
            title="Bản nháp khai sinh",
            code="1.001193",
            live=False,
            online_level=level("Một phần"),
            fields_of_work=[ho_tich],
            cases=[case()],
        ),
    }
    return pages


def codes(response):
    assert response.status_code == 200, response.content
    return sorted(item["code"] for item in response.json()["items"])


def test_api_returns_the_procedure_with_its_code_and_structured_fields(client, procedures):
    response = client.get(API, {"type": "services.ProcedurePage", "code": "1.001193", "fields": "*"})
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 1
    (item,) = data["items"]
    assert item["id"] == procedures["khai_sinh"].pk
    assert item["title"] == "Đăng ký khai sinh"
    assert item["code"] == "1.001193"
    assert item["provincial_code"] == "1.001193.000.00.00.H36"
    assert item["online_level_info"] == {"label": "Một phần", "classification": "partial", "allows_online_filing": True}
    assert item["tier_codes"] == ["xa"]
    assert item["fields_of_work_info"] == [{"code": "G03-GD10", "name": "Hộ tịch"}]
    assert item["agencies_info"] == [{"name": "Ủy ban nhân dân xã Tân Hà", "identifier": "", "role": "implementing"}]
    (case_block,) = item["cases"]
    assert case_block["type"] == "case"
    value = case_block["value"]
    assert value["steps"] == ["Bước 1: việc thứ 1.", "Bước 2: việc thứ 2."]
    assert [c["channel"] for c in value["channels"]] == ["in_person", "online"]
    assert float(value["channels"][0]["time_limit"]) == 10
    assert value["channels"][0]["time_unit"] == "working_days"
    assert value["channels"][0]["fees"][0]["amount_vnd"] == 50000
    assert [c["name"] for c in value["components"]] == ["Giấy tờ số 1", "Giấy tờ số 2"]


def test_api_never_shows_an_unpublished_procedure(client, procedures):
    response = client.get(API, {"type": "services.ProcedurePage", "code": "1.001193"})
    assert [item["id"] for item in response.json()["items"]] == [procedures["khai_sinh"].pk]
    assert client.get(f"{API}{procedures['draft'].pk}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"field": "ho-tich"}, ["1.000894", "1.001193"]),  # slug of "Hộ tịch"
        ({"field": "G03-GD10"}, ["1.000894", "1.001193"]),  # field code
        ({"field": "g03-gd10"}, ["1.000894", "1.001193"]),
        ({"field": "xay-dung"}, ["1.000948", "1.003695"]),
        ({"field": "khong-co-linh-vuc-nay"}, []),
        ({"agency": "uy-ban-nhan-dan-xa-tan-ha"}, ["1.000894", "1.001193"]),  # slug of the agency name
        ({"agency": "000.00.07.H36"}, ["1.000948", "1.003695"]),  # QCVN 102:2016 identifier
        ({"agency": "so-xay-dung"}, ["1.000948", "1.003695"]),
        ({"level": "partial"}, ["1.001193"]),
        ({"level": "full"}, ["1.000894", "1.000948"]),  # "Toàn trình" and legacy "Mức độ 4"
        ({"level": "information"}, ["1.003695"]),
        ({"level": "Toàn trình"}, ["1.000894"]),  # a label selects that label only
        ({"level": "toan trinh"}, ["1.000894"]),
        ({"level": "Mức độ 4"}, ["1.000948"]),
        ({"tier": "xa"}, ["1.000894", "1.001193"]),
        ({"field": "ho-tich", "level": "full"}, ["1.000894"]),
    ],
)
def test_api_catalogue_filters(client, procedures, params, expected):
    response = client.get(API, {"type": "services.ProcedurePage", "fields": "code", **params})
    assert codes(response) == expected


def test_api_filter_on_two_agency_roles_lists_a_procedure_once(client, catalogue, procedures):
    so_xd = Agency.objects.get(identifier="000.00.07.H36")
    ProcedurePageFactory(
        parent=catalogue,
        title="Thủ tục hai vai trò",
        code="1.000999",
        agency_roles=[agency_role(so_xd, "implementing", 0), agency_role(so_xd, "competent", 1)],
        cases=[case()],
    )
    response = client.get(API, {"type": "services.ProcedurePage", "fields": "code", "agency": "000.00.07.H36"})
    assert codes(response) == ["1.000948", "1.000999", "1.003695"]
