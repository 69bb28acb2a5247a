"""Import and export of national lists (issue 7 item 1): Vietnamese headers, per-row errors,
nothing half-written, idempotent re-import, formula safety, XLSX round trip."""

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from services.rollout.models import NationalMandate
from services.rollout.resources import ImportFileError, mandates_export, mandates_import
from tests.rollout.builders import procedure

HEADER = 'Số quyết định,Ngày quyết định,Phụ lục,STT,Mã thủ tục,Tên dịch vụ công,Lĩnh vực,"Bộ, ngành quản lý",Mức độ,Cấp thực hiện\n'
SAMPLE = Path(__file__).resolve().parents[2] / "services" / "rollout" / "data" / "sample_national_list.csv"


def csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


@pytest.mark.django_db
def test_import_reads_vietnamese_headers_levels_tiers_and_dates(catalogue):
    page = procedure(catalogue, code="1.001612", title="Đăng ký thành lập hộ kinh doanh", slug="hkd")
    data = csv(
        "877/QĐ-TTg,18/07/2018,Phụ lục,1,1.001612,Đăng ký hộ kinh doanh,Đăng ký kinh doanh,Bộ KH&ĐT,4,Huyện; Xã",
        "877/QĐ-TTg,2018-07-18,Phụ lục,2,,Cấp giấy phép điện lực,Điện,Bộ Công Thương,Một phần,Cấp Tỉnh",
    )
    report = mandates_import(data=data, fmt="csv")
    assert (report.new, report.updated, report.unchanged, report.errors, report.written) == (2, 0, 0, [], True)
    first, second = NationalMandate.objects.order_by("item_number")
    assert (first.decision_date, first.target_level.label, first.managing_ministry) == (
        date(2018, 7, 18),
        "Mức độ 4",
        "Bộ KH&ĐT",
    )
    assert sorted(first.tiers.values_list("code", flat=True)) == ["huyen", "xa"]
    assert (first.matched_procedure, first.match_method) == (page, "code")
    assert (second.target_level.label, list(second.tiers.values_list("code", flat=True))) == ("Một phần", ["tinh"])


@pytest.mark.django_db
def test_headers_without_accents_and_in_another_order_are_accepted(catalogue):
    header = "ten dich vu cong,stt,so quyet dinh,muc do\n"
    report = mandates_import(data=csv("Đăng ký khai sinh,1,846/QĐ-TTg,3", header=header), fmt="csv")
    assert (report.new, report.errors) == (1, [])


@pytest.mark.django_db
def test_a_file_with_a_bad_row_writes_nothing_and_names_line_and_column(catalogue):
    data = csv(
        "846/QĐ-TTg,09/06/2017,PL I,1,,Đăng ký khai sinh,Hộ tịch,Bộ Tư pháp,3,Xã",
        "846/QĐ-TTg,31/02/2017,PL I,2,,Đăng ký kết hôn,Hộ tịch,Bộ Tư pháp,2,Thôn",
        "846/QĐ-TTg,09/06/2017,PL I,3,,,Hộ tịch,Bộ Tư pháp,3,Xã",
        '846/QĐ-TTg,09/06/2017,PL I,4,,=HYPERLINK("http://x"),Hộ tịch,Bộ Tư pháp,3,Xã',
    )
    report = mandates_import(data=data, fmt="csv")
    assert report.written is False and NationalMandate.objects.count() == 0
    errors = {(e.line, e.column) for e in report.errors}
    # Line 1 is the header: the 2nd data row is line 3 (bad date, level 2 is not online, unknown tier),
    # the 3rd is line 4 (no name), the 4th is line 5 (a formula).
    assert {
        (3, "Ngày quyết định"),
        (3, "Mức độ"),
        (3, "Cấp thực hiện"),
        (4, "Tên dịch vụ công"),
        (5, "Tên dịch vụ công"),
    } <= errors
    assert all(e.line != 2 for e in report.errors)
    messages = " ".join(e.message for e in report.errors)
    assert "không đúng dạng ngày/tháng/năm" in messages and "Cấp thực hiện không rõ: Thôn" in messages
    assert "công thức" in messages


@pytest.mark.django_db
def test_missing_required_column_is_a_file_error(catalogue):
    with pytest.raises(ImportFileError, match="Thiếu cột: Mức độ"):
        mandates_import(data=csv("846/QĐ-TTg,1,x", header="Số quyết định,STT,Tên dịch vụ công\n"), fmt="csv")


@pytest.mark.django_db
def test_sample_list_reimports_unchanged_and_export_round_trips_through_xlsx(catalogue):
    data = SAMPLE.read_bytes()
    assert mandates_import(data=data, fmt="csv").new == 10
    again = mandates_import(data=data, fmt="csv")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 10)
    # Every row of the sample says it is a sample.
    assert set(NationalMandate.objects.values_list("appendix", flat=True)) == {"Phụ lục I (MẪU)", "Phụ lục (MẪU)"}
    xlsx = mandates_export(NationalMandate.objects.all(), fmt="xlsx")
    report = mandates_import(data=xlsx, fmt="xlsx")
    assert (report.new, report.updated, report.unchanged, report.errors) == (0, 0, 10, [])


@pytest.mark.django_db
def test_export_escapes_formula_cells_and_import_restores_them(catalogue):
    mandates_import(data=csv("846/QĐ-TTg,09/06/2017,PL I,1,,Đăng ký khai sinh,+Hộ tịch,@Bộ,3,Xã"), fmt="csv")
    xlsx = mandates_export(NationalMandate.objects.all(), fmt="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx)).active
    row = [cell.value for cell in sheet[2]]
    assert "'+Hộ tịch" in row and "'@Bộ" in row
    report = mandates_import(data=xlsx, fmt="xlsx")
    assert (report.unchanged, report.errors) == (1, [])
    assert NationalMandate.objects.get().field_of_work_name == "+Hộ tịch"


@pytest.mark.django_db
def test_xlsx_date_cells_and_numeric_stt(catalogue):
    book = Workbook()
    sheet = book.active
    sheet.append(["Số quyết định", "Ngày quyết định", "STT", "Tên dịch vụ công", "Mức độ"])
    sheet.append(["846/QĐ-TTg", date(2017, 6, 9), 7, "Đăng ký khai sinh", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    report = mandates_import(data=buffer.getvalue(), fmt="xlsx")
    assert report.errors == []
    item = NationalMandate.objects.get()
    assert (item.decision_date, item.item_number, item.target_level.label) == (date(2017, 6, 9), "7", "Mức độ 3")


@pytest.mark.django_db
def test_two_rows_with_the_same_key_in_one_file_name_both_lines_and_write_nothing(catalogue):
    data = csv(
        "846/QĐ-TTg,09/06/2017,PL I,1,,Đăng ký khai sinh,Hộ tịch,Bộ Tư pháp,3,Xã",
        "846/QĐ-TTg,09/06/2017,PL I,2,,Đăng ký kết hôn,Hộ tịch,Bộ Tư pháp,3,Xã",
        "846/QĐ-TTg,09/06/2017,PL I,1,,Đăng ký khai tử,Hộ tịch,Bộ Tư pháp,3,Xã",
        # Same STT in another appendix: a different item, no error.
        "846/QĐ-TTg,09/06/2017,PL II,1,,Cấp phiếu lý lịch tư pháp,Lý lịch tư pháp,Bộ Tư pháp,3,Tỉnh",
    )
    report = mandates_import(data=data, fmt="csv")
    assert report.written is False and NationalMandate.objects.count() == 0
    # Header = line 1, so the data rows are lines 2–5; lines 2 and 4 share (846/QĐ-TTg, PL I, 1).
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (
            4,
            "STT",
            "Dòng 2 và dòng 4 trùng số quyết định, phụ lục và STT (846/QĐ-TTg, PL I, STT 1); "
            "mỗi mục chỉ được có một dòng.",
        )
    ]


@pytest.mark.django_db
def test_item_number_must_be_a_number_optionally_dotted(catalogue):
    data = csv(
        "846/QĐ-TTg,09/06/2017,PL I,x,,Đăng ký khai sinh,Hộ tịch,Bộ Tư pháp,3,Xã",
        "846/QĐ-TTg,09/06/2017,PL I,1.2,,Đăng ký kết hôn,Hộ tịch,Bộ Tư pháp,3,Xã",
        "846/QĐ-TTg,09/06/2017,PL I,3a,,Đăng ký khai tử,Hộ tịch,Bộ Tư pháp,3,Xã",
    )
    report = mandates_import(data=data, fmt="csv")
    assert report.written is False and NationalMandate.objects.count() == 0
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (2, "STT", "STT “x” phải là số, ví dụ 12 hoặc 1.2."),
        (4, "STT", "STT “3a” phải là số, ví dụ 12 hoặc 1.2."),
    ]
    # "1.2" alone is fine.
    ok = mandates_import(data=csv("846/QĐ-TTg,09/06/2017,PL I,1.2,,Đăng ký kết hôn,Hộ tịch,Bộ Tư pháp,3,Xã"), fmt="csv")
    assert (ok.errors, ok.written, NationalMandate.objects.get().item_number) == ([], True, "1.2")
