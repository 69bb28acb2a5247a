"""Public results pages, exports and JSON API (issue 6 item 5): only published periods, hand-computed figures.

Figures from ``results_builders`` (Q1 2026): agency A 12.8 Tốt rank 1, agency B 10.0 Khá rank 2.
"""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from evaluation.publication import results_publish, results_recompute
from tests.evaluation.results_builders import first_quarter

pytestmark = pytest.mark.django_db
RESULTS = "/danh-gia/ket-qua/"


@pytest.fixture
def published():
    data = first_quarter()
    admin = get_user_model().objects.create_superuser(username="admin", email="a@example.vn", password="x")
    data["period"] = results_publish(year=2026, quarter=1, user=admin, today=date(2026, 4, 5))
    return data


def test_nothing_is_public_before_publication(client):
    first_quarter()
    results_recompute(year=2026, quarter=1, today=date(2026, 4, 5))
    response = client.get(RESULTS)
    assert response.status_code == 200
    assert "Chưa có kết quả đánh giá nào được công bố" in response.content.decode()
    assert "Sở Xây dựng" not in response.content.decode()
    assert client.get(RESULTS, {"nam": 2026, "ky": "q1"}).status_code == 400  # 2026 is not among published years
    assert client.get("/api/evaluation/results", {"year": 2026, "quarter": 1}).status_code == 404


def test_overall_page_shows_totals_classes_and_ranks(client, published):
    response = client.get(RESULTS)  # default: the latest published period, Q1 2026
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quý I năm 2026" in html
    rows = response.context["rows"]
    # 12.8 Tốt first, 10.0 Khá second (results_builders, worked out by hand)
    assert [(r["rank"], r["name"], r["total_text"], r["classification"]) for r in rows] == [
        (1, "Sở Xây dựng", "12,8", "Tốt"),
        (2, "UBND xã Lạc Dương", "10,0", "Khá"),
    ]
    assert "12,8" in html and "results-chart-data" in html
    # The filter shows the period on display; the site's search box is left empty.
    assert (response.context["form"]["nam"].value(), response.context["form"]["ky"].value()) == (2026, "q1")
    assert 'name="q" value=""' in html


def test_overall_page_filters_by_tier_and_ranks_within_it(client, published):
    response = client.get(RESULTS, {"nam": 2026, "ky": "q1", "cap": "commune"})
    assert [(r["rank"], r["name"]) for r in response.context["rows"]] == [(1, "UBND xã Lạc Dương")]


def test_unpublished_quarter_of_a_published_year_is_404(client, published):
    response = client.get(RESULTS, {"nam": 2026, "ky": "q2"})
    assert response.status_code == 404
    assert "Kỳ này chưa được công bố" in response.content.decode()


def test_agency_page_lists_indices_groups_and_procedures(client, published):
    response = client.get(f"{RESULTS}co-quan/so-xay-dung/", {"nam": 2026, "ky": "q1"})
    assert response.status_code == 200
    indices = {i["number"]: i["score"] for i in response.context["indices"]}
    assert (str(indices[1]), str(indices[7]), indices.get(5) is not None) == ("1.3", "1.0", True)
    assert [p["code"] for p in response.context["procedures"]] == ["1.001", "1.002"]
    html = response.content.decode()
    assert "Quyết định 766/QĐ-TTg" in html and "Chưa có dữ liệu" in html


def test_procedures_page_filters_by_agency(client, published):
    response = client.get(f"{RESULTS}thu-tuc/", {"nam": 2026, "ky": "q1", "co_quan": "ubnd-xa-lac-duong"})
    assert [(r["code"], r["total"]) for r in response.context["rows"]] == [("2.001", "10,0")]


def test_csv_export_has_a_bom_and_neutralises_formulas(client, published):
    published["a"].name = "=HYPERLINK(1)"
    published["a"].save()
    # The published row kept the name of publication time; a formula-like name would be prefixed anyway.
    from evaluation.models import AgencyResult

    AgencyResult.objects.filter(agency=published["a"]).update(agency_name="=HYPERLINK(1)")
    response = client.get(f"{RESULTS}tai-ve/co-quan.csv", {"nam": 2026, "ky": "q1"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Xếp hạng", "Cơ quan"]
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][-2:] == ["12,8", "Tốt"]


def test_xlsx_export_of_procedures(client, published):
    response = client.get(f"{RESULTS}tai-ve/thu-tuc.xlsx", {"nam": 2026, "ky": "q1"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Mã thủ tục"
    # 2.001 (10.0) first, then 1.001 (6.3), then 1.002 (4.0)
    assert [row[0] for row in values[1:]] == ["2.001", "1.001", "1.002"]


def test_api_returns_the_same_figures(client, published):
    body = client.get("/api/evaluation/results", {"year": 2026, "quarter": 1}).json()
    assert [(r["slug"], r["total"], r["classification"], r["rank"]) for r in body["rows"]] == [
        ("so-xay-dung", 12.8, "good", 1),
        ("ubnd-xa-lac-duong", 10.0, "fair", 2),
    ]
    assert body["rows"][1]["indices"]["index_5"] is None
    detail = client.get("/api/evaluation/results/agencies/so-xay-dung", {"year": 2026, "quarter": 1}).json()
    estimates = {g["key"]: g["estimated_points"] for g in detail["agency"]["decision_766_estimates"]}
    assert (estimates["progress"], estimates["online_payment"]) == (15.0, None)
    periods = client.get("/api/evaluation/periods").json()
    assert [(p["year"], p["quarter"]) for p in periods] == [(2026, 1)]
    procedures = client.get("/api/evaluation/results/procedures", {"year": 2026, "quarter": 1, "limit": 1}).json()
    assert (procedures["rows"][0]["procedure_code"], procedures["has_more"]) == ("2.001", True)


# -- bad parameters: a page or answer with a Vietnamese message, never a bare 404 or a 500 -------


def test_procedures_page_with_an_unknown_agency_is_400_with_a_message(client, published):
    response = client.get(f"{RESULTS}thu-tuc/", {"co_quan": "abc"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Không có cơ quan này" in html and "Chưa xem được kết quả" in html
    malformed = client.get(f"{RESULTS}thu-tuc/", {"co_quan": "a b/c"})
    assert malformed.status_code == 400
    assert "Mã cơ quan chỉ gồm chữ không dấu" in malformed.content.decode()
    ok = client.get(f"{RESULTS}thu-tuc/", {"co_quan": "so-xay-dung", "nam": 2026, "ky": "q1"})
    assert ok.status_code == 200 and {r["agency"] for r in ok.context["rows"]} == {"Sở Xây dựng"}


def test_download_of_an_unpublished_period_is_404_with_a_message(client, published):
    response = client.get(f"{RESULTS}tai-ve/co-quan.csv", {"nam": 2026, "ky": "q4"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "Kỳ này chưa được công bố" in html
    assert "Quý I năm 2026" in html  # the published period is offered instead


@pytest.mark.parametrize(
    "query, message",
    [
        ({"nam": "99999999999"}, "Năm này chưa có kết quả"),
        ({"nam": "2026", "ky": "q9"}, "Hãy chọn cả năm hoặc một quý"),
        ({"nam": "2026", "ky": "q1", "cap": "zzz"}, "Không có cấp này"),
        ({"nam": "2026", "ky": "q1", "co_quan": "abc"}, "Không có cơ quan này"),
    ],
)
def test_download_with_malformed_parameters_is_400_with_a_message(client, published, query, message):
    response = client.get(f"{RESULTS}tai-ve/thu-tuc.xlsx", query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_results_pages_with_an_overflowing_year_answer_400(client, published):
    for url in (RESULTS, f"{RESULTS}thu-tuc/", f"{RESULTS}co-quan/so-xay-dung/"):
        assert client.get(url, {"nam": "99999999999", "ky": "q1"}).status_code == 400


def test_api_unknown_tier_is_400_like_the_page(client, published):
    page = client.get(RESULTS, {"nam": 2026, "ky": "q1", "cap": "zzz"})
    assert page.status_code == 400 and "Không có cấp này" in page.content.decode()
    api = client.get("/api/evaluation/results", {"year": 2026, "quarter": 1, "tier": "zzz"})
    assert api.status_code == 400
    assert "Không có cấp này" in api.json()["detail"]
    commune = client.get("/api/evaluation/results", {"year": 2026, "quarter": 1, "tier": "commune"})
    assert [row["agency"] for row in commune.json()["rows"]] == ["UBND xã Lạc Dương"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/evaluation/results?year=99999999999&quarter=1",
        "/api/evaluation/results?year=-5&quarter=1",
        "/api/evaluation/results/agencies/so-xay-dung?year=99999999999999999999999&quarter=1",
        "/api/evaluation/results/procedures?year=99999999999&quarter=1",
        "/api/evaluation/results/procedures?year=2026&quarter=1&offset=99999999999999999999",
    ],
)
def test_api_overflowing_numbers_are_400_not_500(client, published, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_xlsx_export_writes_numbers_as_numbers_on_a_named_sheet(client, published):
    response = client.get(f"{RESULTS}tai-ve/co-quan.xlsx", {"nam": 2026, "ky": "q1"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Cơ quan - Quý I năm 2026"]
    values = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    header, first, second = values[0], values[1], values[2]
    total = header.index("Tổng điểm (tối đa 18)")
    # results_builders: Sở Xây dựng 12.8 rank 1, UBND xã Lạc Dương 10.0 rank 2 — numbers, not "12,8".
    assert (first[0], first[1], first[total]) == (1, "Sở Xây dựng", 12.8)
    assert (second[0], second[total]) == (2, 10.0)
    assert isinstance(first[header.index("Số hồ sơ đã giải quyết")], int)
    # CSV keeps the published text with a decimal comma.
    csv_text = client.get(f"{RESULTS}tai-ve/co-quan.csv", {"nam": 2026, "ky": "q1"}).content.decode("utf-8-sig")
    assert "12,8" in csv_text


def test_sheet_title_follows_excel_rules():
    from evaluation.resources import sheet_title

    assert sheet_title("Thủ tục", "Năm 2026") == "Thủ tục - Năm 2026"
    # 31 characters at most, no [ ] : * ? / \
    assert sheet_title("Cơ quan", "Quý IV/2026 [a]:*?\\ rất dài dài dài") == "Cơ quan - Quý IV-2026 -a----- r"
