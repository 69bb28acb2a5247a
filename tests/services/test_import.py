"""The catalogue importer (``catalogue_import`` and ``manage.py import_catalogue``) and export.

Input files are written by hand into ``tmp_path``; expected values come from DOMAIN.md and the
cases (C09–C12), not from the importer's output.
"""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import PageLogEntry, Revision

from services.catalogue.readers import read_rows
from services.catalogue.records import record_from_page
from services.catalogue.services import catalogue_export, catalogue_import
from services.models import ProcedurePage
from services.selectors import live_procedures
from tests.factories import ProcedurePageFactory
from tests.services.builders import (
    native_record,
    write_csv,
    write_json,
    write_jsonl,
    write_native_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db


def pages(catalogue):
    return ProcedurePage.objects.child_of(catalogue)


def page_by_code(catalogue, code):
    return pages(catalogue).get(code=code)


def statuses(report):
    return {row.line: row.status for row in report.rows}


# -- native import ---------------------------------------------------------------------------------


def test_native_csv_import_creates_live_pages_with_their_fields(catalogue, tmp_path):
    path = write_native_csv(
        tmp_path / "danh-muc.csv",
        [
            native_record("1.000948", "Cấp giấy phép xây dựng"),
            native_record(
                "2.000100",
                "Đăng ký kinh doanh",
                online_level="Còn lại",
                tiers=["xa", "huyen"],
                fields_of_work=[{"code": "", "name": "Thành lập và hoạt động của doanh nghiệp"}],
            ),
        ],
    )

    report = catalogue_import(source_file=path, catalogue=catalogue)

    assert report.written
    assert report.source == "native"
    assert statuses(report) == {2: "new", 3: "new"}
    assert pages(catalogue).live().count() == 2

    page = page_by_code(catalogue, "1.000948")
    assert page.live and not page.has_unpublished_changes
    assert page.title == "Cấp giấy phép xây dựng"
    assert page.slug == "cap-giay-phep-xay-dung"
    assert page.url_path == f"{catalogue.url_path}cap-giay-phep-xay-dung/"
    assert page.provincial_code == "1.000948.000.00.00.H36"
    assert page.online_level.label == "Một phần"
    assert page.online_level.allows_online_filing is True
    assert page.tier_codes == ["tinh"]
    assert page.fields_of_work_info == [{"code": "G03-XD", "name": "Xây dựng"}]
    assert page.agencies_info == [{"name": "Sở Xây dựng", "identifier": "000.00.07.H36", "role": "implementing"}]
    assert sorted(page.subject_names) == ["Công dân Việt Nam", "Doanh nghiệp"]
    assert page.is_complete is True
    assert page.live_revision_id is not None and page.live_revision_id == page.latest_revision_id

    other = page_by_code(catalogue, "2.000100")
    assert other.slug == "dang-ky-kinh-doanh"
    assert other.online_level.classification == "information"
    assert sorted(other.tier_codes) == ["huyen", "xa"]


def test_native_import_stores_cases_channels_fees_components_and_dates(catalogue, tmp_path):
    path = write_native_csv(tmp_path / "danh-muc.csv", [native_record("1.000948", "Cấp giấy phép xây dựng")])
    catalogue_import(source_file=path, catalogue=catalogue)
    page = page_by_code(catalogue, "1.000948")

    (case,) = page.cases
    value = case.value
    assert list(value["steps"]) == ["Bước 1: Nộp hồ sơ tại Bộ phận một cửa.", "Bước 2: Nhận kết quả."]
    in_person, online = value["channels"]
    assert (in_person["channel"], in_person["time_limit"], in_person["time_unit"]) == (
        "in_person",
        Decimal(20),
        "working_days",
    )
    assert [(f["amount_vnd"], f["description"]) for f in in_person["fees"]] == [(75000, "Lệ phí cấp giấy phép")]
    assert (online["channel"], online["time_limit"]) == ("online", Decimal(15))
    assert list(online["fees"]) == []
    components = value["components"]
    assert [(c["name"], c["originals"], c["copies"]) for c in components] == [
        ("Đơn đề nghị cấp giấy phép", 1, 0),
        ("Bản vẽ thiết kế", 0, 2),
    ]
    assert components[0]["form_name"] == "Mẫu số 01"
    (basis,) = page.legal_bases
    assert basis.value["date_issued"] == dt.date(2014, 6, 18)
    (decision,) = page.decisions
    assert decision.value["number"] == "1234/QĐ-UBND"
    assert decision.value["date_issued"] == dt.date(2024, 5, 31)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Cấp giấy phép xây dựng", "cap-giay-phep-xay-dung"),
        ("Đăng ký kinh doanh", "dang-ky-kinh-doanh"),
        ("Thủ tục đất đai", "thu-tuc-dat-dai"),
        ("\u00d0ẮK LẮK - Cấp phép", "dak-lak-cap-phep"),
    ],
)
def test_importer_gives_transliterated_slugs(catalogue, tmp_path, title, slug):
    """C09 (and C05 for the look-alike Đ): the importer's slug for each title."""
    path = write_json(tmp_path / "mot.json", [native_record("1.000001", title)])
    catalogue_import(source_file=path, catalogue=catalogue)
    assert page_by_code(catalogue, "1.000001").slug == slug


def test_importer_gives_distinct_slugs_to_procedures_with_the_same_name(catalogue, tmp_path):
    path = write_json(
        tmp_path / "hai.json",
        [native_record("1.000001", "Đăng ký kinh doanh"), native_record("1.000002", "Đăng ký kinh doanh")],
    )
    catalogue_import(source_file=path, catalogue=catalogue)
    first, second = page_by_code(catalogue, "1.000001").slug, page_by_code(catalogue, "1.000002").slug
    assert first == "dang-ky-kinh-doanh"
    assert second != first and second.startswith("dang-ky-kinh-doanh")


def test_importing_the_same_file_twice_reports_unchanged_and_writes_no_revision(catalogue, tmp_path):
    path = write_native_csv(
        tmp_path / "danh-muc.csv",
        [native_record("1.000948", "Cấp giấy phép xây dựng"), native_record("2.000100", "Đăng ký kinh doanh")],
    )
    catalogue_import(source_file=path, catalogue=catalogue)
    revisions, log_entries = Revision.objects.count(), PageLogEntry.objects.count()

    again = catalogue_import(source_file=path, catalogue=catalogue)

    assert statuses(again) == {2: "unchanged", 3: "unchanged"}
    assert Revision.objects.count() == revisions
    assert PageLogEntry.objects.count() == log_entries


def test_a_changed_row_is_updated_with_one_new_revision(catalogue, tmp_path):
    first = native_record("1.000948", "Cấp giấy phép xây dựng")
    second = native_record("2.000100", "Đăng ký kinh doanh")
    catalogue_import(source_file=write_native_csv(tmp_path / "v1.csv", [first, second]), catalogue=catalogue)
    revisions = Revision.objects.count()

    changed = native_record("1.000948", "Cấp giấy phép xây dựng", online_level="Toàn trình")
    report = catalogue_import(source_file=write_native_csv(tmp_path / "v2.csv", [changed, second]), catalogue=catalogue)

    assert statuses(report) == {2: "updated", 3: "unchanged"}
    assert Revision.objects.count() == revisions + 1
    page = page_by_code(catalogue, "1.000948")
    assert page.online_level.label == "Toàn trình"
    assert page.live_revision_id == page.latest_revision_id
    assert pages(catalogue).count() == 2


# -- C10: CSV with a byte-order mark -----------------------------------------------------------------


def _bom_csv(tmp_path):
    path = write_csv(
        tmp_path / "excel-csv-utf8.csv",
        [{"ma_thu_tuc": "1.000001", "ten_thu_tuc": "Thủ tục lưu bằng Excel"}],
        ["ma_thu_tuc", "ten_thu_tuc"],
        bom=True,
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbfma_thu_tuc")  # the file really has a BOM
    return path


def test_csv_reader_reads_the_first_header_of_a_bom_file_without_the_bom(tmp_path):
    """C10: header read as ``ma_thu_tuc``, not ``\\ufeffma_thu_tuc``."""
    ((line, row),) = list(read_rows(_bom_csv(tmp_path)))
    assert line == 2
    assert list(row) == ["ma_thu_tuc", "ten_thu_tuc"]
    assert row["ma_thu_tuc"] == "1.000001"


def test_command_imports_a_bom_csv_with_the_source_detected_from_the_header(catalogue, tmp_path):
    """C10 via the management command: no --source, the header is recognised."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_catalogue", str(_bom_csv(tmp_path)), stdout=out, stderr=err)

    assert "dvcqg" in out.getvalue()
    page = page_by_code(catalogue, "1.000001")
    assert page.title == "Thủ tục lưu bằng Excel"
    assert page.live


def test_admin_import_view_reads_a_bom_csv_header(catalogue, tmp_path, admin_client):
    """C10 via the admin: upload (dry-run preview), then confirm."""
    path = _bom_csv(tmp_path)
    with open(path, "rb") as upload:
        preview = admin_client.post("/admin/danh-muc/nhap/", {"file": upload, "source": "", "catalogue": catalogue.pk})
    assert preview.status_code == 200
    report = preview.context["report"]
    assert report.source == "dvcqg"
    assert report.counts["new"] == 1 and report.counts["error"] == 0
    assert not pages(catalogue).exists()  # the preview writes nothing

    confirm = preview.context["confirm_form"].initial
    done = admin_client.post("/admin/danh-muc/nhap/", {**confirm, "catalogue": catalogue.pk})
    assert done.status_code == 200
    assert page_by_code(catalogue, "1.000001").title == "Thủ tục lưu bằng Excel"


# -- C11: code-like numbers in XLSX --------------------------------------------------------------------


def _code_xlsx(tmp_path):
    rows = [
        [1.00123, "Thủ tục mã số định dạng 0.000000"],  # line 2: numeric, rebuilt from its format
        [1234, "Thủ tục mã số định dạng 000000"],  # line 3: numeric, shows 001234: not a national code
        [1.00125, "Thủ tục mã số định dạng General"],  # line 4: numeric General: Excel shows 1.00125
        ["1.001240", "Thủ tục mã văn bản"],  # line 5: text cell, kept exactly
        ["001234", "Thủ tục mã văn bản sai dạng"],  # line 6: text cell, not a national code
    ]
    formats = {(0, 0): "0.000000", (1, 0): "000000"}
    return write_xlsx(tmp_path / "ma-so.xlsx", ["code", "name"], rows, formats)


def test_xlsx_numeric_code_cells_are_rebuilt_from_their_format_or_flagged(catalogue, tmp_path):
    """C11: never "1.00123" or "1234"; each bad row is reported on its own line."""
    report = catalogue_import(source_file=_code_xlsx(tmp_path), catalogue=catalogue, accept_valid_rows=True)

    assert statuses(report) == {2: "new", 3: "error", 4: "error", 5: "new", 6: "error"}
    codes = set(pages(catalogue).values_list("code", flat=True))
    assert codes == {"1.001230", "1.001240"}
    assert page_by_code(catalogue, "1.001230").title == "Thủ tục mã số định dạng 0.000000"
    assert page_by_code(catalogue, "1.001240").title == "Thủ tục mã văn bản"
    # The row formatted 000000 names the code as Excel shows it, with its leading zeros.
    messages = {row.line: row.message for row in report.rows}
    assert "001234" in messages[3]
    # The General cell is flagged as a number in the code column.
    assert "1.00125" in messages[4] and "số" in messages[4]


def test_xlsx_with_a_numeric_code_cell_writes_nothing_without_accepting_valid_rows(catalogue, tmp_path):
    report = catalogue_import(source_file=_code_xlsx(tmp_path), catalogue=catalogue)
    assert not report.written
    assert report.aborted_reason
    assert not pages(catalogue).exists()


# -- C12: duplicate codes in one file ---------------------------------------------------------------


def test_duplicate_code_with_another_name_is_reported_with_both_lines_in_a_dry_run(catalogue, tmp_path):
    """C12: line 3 repeats line 2's code under another name; nothing is written."""
    path = write_native_csv(
        tmp_path / "trung-ma.csv",
        [native_record("1.000001", "Cấp giấy phép xây dựng"), native_record("1.000001", "Cấp phép khai thác nước")],
    )
    revisions = Revision.objects.count()

    report = catalogue_import(source_file=path, catalogue=catalogue, dry_run=True)

    (error,) = report.errors
    assert error.line == 3
    assert error.code == "1.000001"
    assert "dòng 2" in error.message
    assert not report.written
    assert not pages(catalogue).exists()
    assert Revision.objects.count() == revisions


def test_duplicate_code_with_another_name_blocks_the_real_import(catalogue, tmp_path):
    path = write_native_csv(
        tmp_path / "trung-ma.csv",
        [native_record("1.000001", "Cấp giấy phép xây dựng"), native_record("1.000001", "Cấp phép khai thác nước")],
    )
    report = catalogue_import(source_file=path, catalogue=catalogue)
    assert [r.line for r in report.errors] == [3]
    assert not report.written
    assert not pages(catalogue).exists()


def test_duplicate_code_with_the_same_name_is_merged_and_tiers_are_united(catalogue, tmp_path):
    """Lâm Đồng lists some procedures twice (same name, another agency group): one page."""
    path = write_native_csv(
        tmp_path / "trung-ten.csv",
        [
            native_record("1.000001", "Cấp giấy phép xây dựng", tiers=["tinh"]),
            native_record("1.000001", "Cấp giấy phép xây dựng", tiers=["huyen"]),
        ],
    )
    report = catalogue_import(source_file=path, catalogue=catalogue)

    assert statuses(report) == {2: "new", 3: "skipped"}
    assert "2" in {row.line: row.message for row in report.rows}[3]
    assert pages(catalogue).count() == 1
    assert sorted(page_by_code(catalogue, "1.000001").tier_codes) == ["huyen", "tinh"]


# -- bad rows, accept_valid_rows, dry run ------------------------------------------------------------


def _file_with_one_bad_row(tmp_path):
    return write_native_csv(
        tmp_path / "mot-dong-loi.csv",
        [
            native_record("1.000001", "Cấp giấy phép xây dựng"),
            native_record("1.00002", "Mã sai dạng"),  # line 3: not d.dddddd
            native_record("1.000003", "Đăng ký kinh doanh"),
        ],
    )


def test_a_file_with_one_bad_row_writes_nothing(catalogue, tmp_path):
    revisions = Revision.objects.count()
    report = catalogue_import(source_file=_file_with_one_bad_row(tmp_path), catalogue=catalogue)
    assert [r.line for r in report.errors] == [3]
    assert not report.written
    assert report.aborted_reason
    assert not pages(catalogue).exists()
    assert Revision.objects.count() == revisions


def test_accept_valid_rows_writes_only_the_valid_rows(catalogue, tmp_path):
    report = catalogue_import(source_file=_file_with_one_bad_row(tmp_path), catalogue=catalogue, accept_valid_rows=True)
    assert statuses(report) == {2: "new", 3: "error", 4: "new"}
    assert report.written
    assert set(pages(catalogue).values_list("code", flat=True)) == {"1.000001", "1.000003"}


def test_a_bad_level_label_is_reported_on_its_row(catalogue, tmp_path):
    """Levels are data: an unknown label is an error on its line, never a new level."""
    path = write_json(tmp_path / "muc-do.json", [native_record("1.000001", "Thủ tục A", online_level="Mức độ 9")])
    report = catalogue_import(source_file=path, catalogue=catalogue)
    (error,) = report.errors
    assert error.line == 1
    assert "Mức độ 9" in error.message


def test_dry_run_reports_what_would_happen_and_writes_nothing(catalogue, tmp_path):
    path = write_native_csv(
        tmp_path / "danh-muc.csv",
        [native_record("1.000948", "Cấp giấy phép xây dựng"), native_record("2.000100", "Đăng ký kinh doanh")],
    )
    revisions, log_entries = Revision.objects.count(), PageLogEntry.objects.count()

    report = catalogue_import(source_file=path, catalogue=catalogue, dry_run=True)

    assert statuses(report) == {2: "new", 3: "new"}
    assert not report.written
    assert not pages(catalogue).exists()
    assert Revision.objects.count() == revisions
    assert PageLogEntry.objects.count() == log_entries


def test_command_dry_run_writes_nothing(catalogue, tmp_path):
    path = write_native_csv(tmp_path / "danh-muc.csv", [native_record("1.000948", "Cấp giấy phép xây dựng")])
    out = io.StringIO()
    call_command("import_catalogue", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "mới: 1" in out.getvalue()
    assert not pages(catalogue).exists()


def test_command_fails_and_names_the_bad_line_when_the_file_has_errors(catalogue, tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(_file_with_one_bad_row(tmp_path)), stdout=io.StringIO(), stderr=err)
    assert "dòng 3" in err.getvalue()
    assert not pages(catalogue).exists()


# -- partial (list-only) rows ----------------------------------------------------------------------


LIST_HEADER = ["code", "name", "field", "org", "level"]


def test_list_only_rows_create_incomplete_pages(catalogue, tmp_path):
    path = write_csv(
        tmp_path / "danh-sach.csv",
        [
            {
                "code": "1.012275.H36",
                "name": "Đăng ký hành nghề",
                "field": "Khám bệnh, chữa bệnh",
                "org": "Sở, ban ngành",
                "level": "Một phần",
            }
        ],
        LIST_HEADER,
    )
    report = catalogue_import(source_file=path, catalogue=catalogue)

    assert statuses(report) == {2: "new"}
    page = page_by_code(catalogue, "1.012275")
    assert page.live
    assert page.is_complete is False
    assert page.title == "Đăng ký hành nghề"
    assert page.online_level.label == "Một phần"
    assert page.tier_codes == ["tinh"]
    assert len(page.cases) == 0


def test_a_later_list_row_updates_the_level_without_wiping_details(catalogue, tmp_path):
    detail = native_record(
        "1.000948",
        "Cấp giấy phép xây dựng",
        fields_of_work=[{"code": "", "name": "Xây dựng"}],
        agencies=[{"name": "Sở Xây dựng", "identifier": "", "role": "implementing"}],
    )
    catalogue_import(source_file=write_json(tmp_path / "chi-tiet.json", [detail]), catalogue=catalogue)
    listing = write_csv(
        tmp_path / "danh-sach.csv",
        [
            {
                "code": "1.000948.000.00.00.H36",
                "name": "Cấp giấy phép xây dựng",
                "field": "Xây dựng",
                "org": "Sở, ban ngành",
                "level": "Toàn trình",
            }
        ],
        LIST_HEADER,
    )

    report = catalogue_import(source_file=listing, catalogue=catalogue)

    assert statuses(report) == {2: "updated"}
    page = page_by_code(catalogue, "1.000948")
    assert page.online_level.label == "Toàn trình"
    (case,) = page.cases
    assert len(case.value["steps"]) == 2
    assert [c["name"] for c in case.value["components"]] == ["Đơn đề nghị cấp giấy phép", "Bản vẽ thiết kế"]
    assert [c["channel"] for c in case.value["channels"]] == ["in_person", "online"]
    assert sorted(page.subject_names) == ["Công dân Việt Nam", "Doanh nghiệp"]
    assert [a["name"] for a in page.agencies_info] == ["Sở Xây dựng"]
    assert page.is_complete is True


def test_a_noinfo_detail_row_does_not_wipe_an_imported_procedure(catalogue, tmp_path):
    """A failed crawl ("NOINFO") of a procedure imported earlier keeps its details."""
    catalogue_import(
        source_file=write_json(tmp_path / "chi-tiet.json", [native_record("1.010832", "Thăm viếng mộ liệt sĩ")]),
        catalogue=catalogue,
    )
    header = [
        "STT",
        "Mã chuẩn",
        "Tên thủ tục",
        "Lĩnh vực",
        "Cơ quan thực hiện",
        "Mức độ",
        "thutuc_Trình tự thực hiện",
        "thutuc_Thành phần hồ sơ",
    ]
    row = dict.fromkeys(header, "NOINFO")
    row.update(
        {
            "STT": "1",
            "Mã chuẩn": "1.010832.000.00.00.H36",
            "Tên thủ tục": "Thăm viếng mộ liệt sĩ",
            "Lĩnh vực": "Xây dựng",
            "Cơ quan thực hiện": "Sở, ban ngành",
            "Mức độ": "Một phần",
        }
    )
    catalogue_import(source_file=write_csv(tmp_path / "noinfo.csv", [row], header), catalogue=catalogue)

    page = page_by_code(catalogue, "1.010832")
    assert len(page.cases) == 1
    assert len(page.cases[0].value["components"]) == 2
    assert page.is_complete is True


# -- editors' drafts ------------------------------------------------------------------------------


def test_an_unpublished_page_stays_unpublished_and_gets_a_draft_revision(catalogue, tmp_path):
    draft = ProcedurePageFactory(parent=catalogue, code="1.000948", title="Bản nháp của biên tập viên", live=False)
    draft.save_revision()
    revisions = Revision.objects.filter(object_id=str(draft.pk)).count()

    report = catalogue_import(
        source_file=write_json(tmp_path / "mot.json", [native_record("1.000948", "Cấp giấy phép xây dựng")]),
        catalogue=catalogue,
    )

    assert statuses(report) == {1: "updated"}
    draft.refresh_from_db()
    assert draft.live is False
    assert draft.live_revision_id is None
    assert draft.has_unpublished_changes is True
    assert draft.title == "Bản nháp của biên tập viên"  # the published row is untouched
    assert Revision.objects.filter(object_id=str(draft.pk)).count() == revisions + 1
    assert draft.latest_revision.as_object().title == "Cấp giấy phép xây dựng"
    assert pages(catalogue).count() == 1
    assert not live_procedures(catalogue).filter(pk=draft.pk).exists()


def test_reimporting_the_same_file_onto_a_draft_page_writes_no_new_revision(catalogue, tmp_path):
    """The importer's contract: the same file twice -> unchanged, nothing written; drafts included."""
    draft = ProcedurePageFactory(parent=catalogue, code="1.000948", title="Bản nháp của biên tập viên", live=False)
    draft.save_revision()
    path = write_json(tmp_path / "mot.json", [native_record("1.000948", "Cấp giấy phép xây dựng")])
    catalogue_import(source_file=path, catalogue=catalogue)
    revisions = Revision.objects.filter(object_id=str(draft.pk)).count()

    again = catalogue_import(source_file=path, catalogue=catalogue)

    assert statuses(again) == {1: "unchanged"}
    assert Revision.objects.filter(object_id=str(draft.pk)).count() == revisions


# -- export and round trip ------------------------------------------------------------------------


def _rich_catalogue(tmp_path, catalogue):
    """Three procedures covering several cases, channels, fees, dates, roles and empty values."""
    several_cases = native_record(
        "2.000100",
        "Đăng ký kinh doanh hộ gia đình",
        online_level="Toàn trình",
        tiers=["huyen", "xa"],
        agencies=[
            {"name": "UBND cấp huyện", "identifier": "", "role": "implementing"},
            {"name": "Sở Kế hoạch và Đầu tư", "identifier": "000.00.10.H36", "role": "competent"},
        ],
        cases=[
            {
                "title": "Trường hợp đăng ký mới",
                "steps": ["Bước 1: Nộp hồ sơ.", "Bước 2: Nhận giấy chứng nhận."],
                "channels": [
                    {
                        "channel": "online",
                        "time_limit": 3,
                        "time_unit": "working_days",
                        "fees": [{"amount_vnd": 100000, "description": "Lệ phí"}],
                    },
                    {"channel": "post", "time_limit": 30, "time_unit": "days", "fees": []},
                ],
                "components": [{"name": "Giấy đề nghị đăng ký", "originals": 1, "copies": None}],
            },
            {
                "title": "Trường hợp thay đổi",
                "steps": ["Bước 1: Nộp thông báo thay đổi."],
                "channels": [
                    {"channel": "in_person", "time_text": "Trong ngày làm việc", "fees": [{"description": "Miễn phí"}]}
                ],
                "components": [
                    {
                        "name": "Thông báo thay đổi",
                        "form_name": "Phụ lục III-2",
                        "originals": 1,
                        "copies": 0,
                        "note": "Bản gốc",
                    }
                ],
            },
        ],
        related_codes=["1.000948"],
        conditions="- Có địa điểm kinh doanh hợp pháp",
        keywords="hộ kinh doanh; đăng ký",
        description="Áp dụng cho hộ gia đình.",
        source_url="https://dichvucong.example.invalid/2.000100",
    )
    no_level = native_record(
        "3.000182", "Tuyển sinh trung học cơ sở", online_level="", decisions=[], legal_bases=[], subjects=["Học sinh"]
    )
    records = [native_record("1.000948", "Cấp giấy phép xây dựng"), several_cases, no_level]
    report = catalogue_import(source_file=write_json(tmp_path / "nguon.json", records), catalogue=catalogue)
    assert report.counts["new"] == 3
    return records


def _records_by_code(catalogue):
    return {page.code: record_from_page(page) for page in pages(catalogue)}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "jsonl"])
def test_export_then_import_into_an_empty_catalogue_reproduces_the_records(catalogue, fresh_catalogue, tmp_path, fmt):
    _rich_catalogue(tmp_path, catalogue)
    exported = tmp_path / f"xuat.{fmt}"
    exported.write_bytes(catalogue_export(catalogue=catalogue, fmt=fmt))

    report = catalogue_import(source_file=exported, catalogue=fresh_catalogue)

    assert report.counts == {"new": 3, "updated": 0, "unchanged": 0, "skipped": 0, "error": 0}
    original, copy = _records_by_code(catalogue), _records_by_code(fresh_catalogue)
    assert set(copy) == {"1.000948", "2.000100", "3.000182"}
    assert copy == original


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "jsonl"])
def test_reimporting_an_export_into_its_own_catalogue_changes_nothing(catalogue, tmp_path, fmt):
    _rich_catalogue(tmp_path, catalogue)
    exported = tmp_path / f"xuat.{fmt}"
    exported.write_bytes(catalogue_export(catalogue=catalogue, fmt=fmt))
    revisions = Revision.objects.count()

    report = catalogue_import(source_file=exported, catalogue=catalogue)

    assert report.counts["unchanged"] == 3
    assert Revision.objects.count() == revisions


def test_csv_export_starts_with_a_utf8_bom(catalogue, tmp_path):
    _rich_catalogue(tmp_path, catalogue)
    data = catalogue_export(catalogue=catalogue, fmt="csv")
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].decode("utf-8").splitlines()[0]
    assert header.startswith("code,provincial_code,name,")


def test_export_keeps_codes_as_text_in_xlsx(catalogue, tmp_path):
    """C11 on the way out: a code cell is text, so Excel keeps "1.000948" (not 1.000948 as a number)."""
    from openpyxl import load_workbook

    _rich_catalogue(tmp_path, catalogue)
    path = tmp_path / "xuat.xlsx"
    path.write_bytes(catalogue_export(catalogue=catalogue, fmt="xlsx"))
    sheet = load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    codes = [row[header.index("code")].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(codes) == ["1.000948", "2.000100", "3.000182"]
    assert all(isinstance(code, str) for code in codes)


def test_export_escapes_formula_cells_and_reimport_restores_them(catalogue, fresh_catalogue, tmp_path):
    """OWASP CSV injection: "=…" is written "'=…" and read back as "=…"."""
    name = "=1+2 Thủ tục thử công thức"
    catalogue_import(
        source_file=write_json(
            tmp_path / "cong-thuc.json", [native_record("1.000777", name, conditions="+ Điều kiện A")]
        ),
        catalogue=catalogue,
    )
    data = catalogue_export(catalogue=catalogue, fmt="csv")
    (row,) = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert row["name"] == "'" + name
    assert row["conditions"] == "'+ Điều kiện A"

    exported = tmp_path / "xuat.csv"
    exported.write_bytes(data)
    catalogue_import(source_file=exported, catalogue=fresh_catalogue)
    copy = page_by_code(fresh_catalogue, "1.000777")
    assert copy.title == name
    assert copy.conditions == "+ Điều kiện A"


def test_json_export_holds_lists_as_lists(catalogue, tmp_path):
    _rich_catalogue(tmp_path, catalogue)
    records = {r["code"]: r for r in json.loads(catalogue_export(catalogue=catalogue, fmt="json"))}
    assert records["2.000100"]["tiers"] == ["huyen", "xa"]
    assert [c["title"] for c in records["2.000100"]["cases"]] == ["Trường hợp đăng ký mới", "Trường hợp thay đổi"]
    lines = catalogue_export(catalogue=catalogue, fmt="jsonl").decode("utf-8").splitlines()
    assert len(lines) == 3


def test_jsonl_import_reports_a_broken_line_on_its_own(catalogue, tmp_path):
    path = write_jsonl(tmp_path / "hong.jsonl", [native_record("1.000001", "Thủ tục A")])
    with open(path, "a", encoding="utf-8") as out:
        out.write('{"code": "1.000002", "name": \n')
    report = catalogue_import(source_file=path, catalogue=catalogue, accept_valid_rows=True)
    assert statuses(report) == {1: "new", 2: "error"}
    assert set(pages(catalogue).values_list("code", flat=True)) == {"1.000001"}


def test_a_database_error_during_writing_reports_its_chunk_and_keeps_the_other_chunks(catalogue, tmp_path, monkeypatch):
    """import-export rolls back a whole chunk when one of its rows fails in the database: the
    report must not call the chunk's other rows new, and no log entry may point at a page that
    was rolled back. With accept_valid_rows, the other chunks are still written."""
    from services.catalogue import services as import_services
    from services.catalogue.writer import PageWriter

    monkeypatch.setattr(import_services, "CHUNK_SIZE", 2)
    records = [native_record(f"1.00000{i}", f"Thủ tục số {i}") for i in range(1, 7)]
    # Row 4 (rolled back with row 3) creates an agency; row 5 names it again in a later chunk.
    records[3]["agencies"] = records[4]["agencies"] = [{"name": "Cơ quan mới tạo", "role": "implementing"}]
    path = write_json(tmp_path / "sau.json", records)  # lines 1..6 -> chunks (1,2) (3,4) (5,6)
    original_save = PageWriter.save

    def failing_save(self, page, *, is_create):
        if page.code == "1.000003":
            raise RuntimeError("database refused the row")
        return original_save(self, page, is_create=is_create)

    monkeypatch.setattr(PageWriter, "save", failing_save)
    report = catalogue_import(source_file=path, catalogue=catalogue, accept_valid_rows=True)

    assert statuses(report) == {1: "new", 2: "new", 3: "error", 4: "error", 5: "new", 6: "new"}
    assert "dòng lỗi 3" in next(r.message for r in report.rows if r.line == 4)
    assert sorted(pages(catalogue).values_list("code", flat=True)) == ["1.000001", "1.000002", "1.000005", "1.000006"]
    logged = PageLogEntry.objects.filter(action="wagtail.create").exclude(page_id=catalogue.pk)
    assert set(logged.values_list("page_id", flat=True)) == set(pages(catalogue).values_list("pk", flat=True))
    catalogue.refresh_from_db()
    assert catalogue.numchild == 4
    assert page_by_code(catalogue, "1.000005").agency_roles.get().agency.name == "Cơ quan mới tạo"


def test_a_field_named_without_its_code_reimports_unchanged(catalogue, tmp_path):
    """A list row names "Hộ tịch" without a code; the catalogue's field has code H36-TP01. The
    stored field wins, so importing the same row again changes nothing (found by a newcomer)."""
    from services.models import FieldOfWork

    FieldOfWork.objects.create(code="H36-TP01", name="Hộ tịch")
    path = tmp_path / "list.csv"
    path.write_text(
        "code,name,field,org,level\n9.800072.000.00.00.H36,Thủ tục X,Hộ tịch,UBND Xã/Phường/Thị Trấn,Một phần\n",
        encoding="utf-8",
    )
    first = catalogue_import(source_file=path, catalogue=catalogue)
    revisions = Revision.objects.count()
    again = catalogue_import(source_file=path, catalogue=catalogue)

    assert statuses(first) == {2: "new"} and statuses(again) == {2: "unchanged"}
    assert Revision.objects.count() == revisions
    assert record_from_page(page_by_code(catalogue, "9.800072"))["fields_of_work"] == [
        {"code": "H36-TP01", "name": "Hộ tịch"}
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.csv.gz", b"code,name\n1.000001,X\n", "không phải tệp gzip"),
        ("header.csv", b"code,name\n", "không có dòng dữ liệu"),
        ("empty.json", b"[]", "không có dòng dữ liệu"),
    ],
)
def test_unreadable_or_empty_files_are_refused_with_a_clear_message(catalogue, tmp_path, name, content, message):
    """A file that is not gzip, or has no data row, is a Vietnamese error, never a traceback."""
    from services.catalogue.readers import ReaderError

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=message):
        catalogue_import(source_file=path, catalogue=catalogue)
    assert pages(catalogue).count() == 0
