"""The importer on the real catalogues in ../shared/data (read at run time, never copied).

The files are imported once for the module inside one transaction that is rolled back at the
end, so the ~25 s of imports are paid once and other modules see an empty catalogue. Expected
counts are computed here from the files with the csv/json modules, independently of the
importer.
"""

import csv
import json
import re
import sys
import unicodedata
from types import SimpleNamespace

import pytest
from django.db import transaction

from services.catalogue.services import catalogue_get_or_create, catalogue_import
from services.models import ProcedurePage

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]

LAMDONG_DETAIL = "lamdong-dvc/lamdong_tthc_detail_2025-03-19.csv"
LAMDONG_LIST = "lamdong-dvc/lamdong_tthc_list_2025-03-27.csv"
BQP = "bqp-structured/bqp_tthc_207.jsonl"
DVCQG_SAMPLE = "dvcqg-ministries/dvcqg_tthc_sample.jsonl"

NATIONAL_CODE = re.compile(r"^\s*(\d\.\d{6})(?:\.|\s*$)")


def csv_rows(path):
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def first_code(text):
    """The base code: the first ``d.dddddd`` of a national or provincial code (DOMAIN §2)."""
    match = NATIONAL_CODE.match(text)
    assert match, f"not a procedure code: {text!r}"
    return match.group(1)


def jsonl_rows(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def bqp_code(row):
    metadata = {unicodedata.normalize("NFC", k): v for k, v in row["metadata"].items()}
    return first_code(metadata.get("mã_thủ_tục") or row["thu_tuc_id"])


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker, shared_data_dir):
    with django_db_blocker.unblock(), transaction.atomic():
        provincial = catalogue_get_or_create(scope="provincial")
        detail = catalogue_import(source_file=shared_data_dir / LAMDONG_DETAIL, catalogue=provincial)
        detail_again = catalogue_import(source_file=shared_data_dir / LAMDONG_DETAIL, catalogue=provincial)
        listing = catalogue_import(source_file=shared_data_dir / LAMDONG_LIST, catalogue=provincial)
        national = catalogue_get_or_create(scope="national")
        bqp = catalogue_import(source_file=shared_data_dir / BQP, catalogue=national)
        dvcqg = catalogue_import(source_file=shared_data_dir / DVCQG_SAMPLE, catalogue=national)
        yield SimpleNamespace(
            provincial=provincial,
            national=national,
            detail=detail,
            detail_again=detail_again,
            listing=listing,
            bqp=bqp,
            dvcqg=dvcqg,
        )
        transaction.set_rollback(True)


# -- Lâm Đồng ------------------------------------------------------------------------------------


def test_lamdong_detail_import_has_no_errors_and_writes(imported, shared_data):
    rows = csv_rows(shared_data / LAMDONG_DETAIL)
    distinct = {first_code(r["Mã chuẩn"]) for r in rows}
    report = imported.detail
    assert report.written
    assert report.source == "lamdong"
    assert report.counts["error"] == 0
    assert report.counts["new"] == len(distinct)
    # Codes listed twice (same procedure, another agency group) are merged into the first row.
    assert report.counts["skipped"] == len(rows) - len(distinct)


def test_lamdong_detail_reimport_reports_every_procedure_unchanged(imported, shared_data):
    rows = csv_rows(shared_data / LAMDONG_DETAIL)
    distinct = {first_code(r["Mã chuẩn"]) for r in rows}
    counts = imported.detail_again.counts
    assert counts["unchanged"] == len(distinct)
    assert counts["new"] == counts["updated"] == counts["error"] == 0
    assert counts["skipped"] == len(rows) - len(distinct)


def test_lamdong_detail_then_list_gives_one_live_page_per_distinct_base_code(imported, shared_data):
    detail_codes = {first_code(r["Mã chuẩn"]) for r in csv_rows(shared_data / LAMDONG_DETAIL)}
    list_codes = {first_code(r["code"]) for r in csv_rows(shared_data / LAMDONG_LIST)}
    assert imported.listing.counts["error"] == 0
    live = ProcedurePage.objects.child_of(imported.provincial).live()
    assert live.count() == len(detail_codes | list_codes)
    assert set(live.values_list("code", flat=True)) == detail_codes | list_codes


def test_lamdong_list_only_procedures_are_incomplete(imported, shared_data):
    detail_codes = {first_code(r["Mã chuẩn"]) for r in csv_rows(shared_data / LAMDONG_DETAIL)}
    list_codes = {first_code(r["code"]) for r in csv_rows(shared_data / LAMDONG_LIST)}
    only_listed = list_codes - detail_codes
    assert only_listed  # the list file is newer and adds procedures
    pages = ProcedurePage.objects.child_of(imported.provincial).filter(code__in=only_listed)
    assert pages.count() == len(only_listed)
    assert not pages.filter(is_complete=True).exists()


def test_lamdong_known_procedure_has_parsed_channels_and_time_limits(imported):
    """1.010832 Thăm viếng mộ liệt sĩ: "Trực tiếp: 06 Ngày làm việc / Dịch vụ bưu chính: 06 Ngày làm việc"."""
    page = ProcedurePage.objects.child_of(imported.provincial).get(code="1.010832")
    assert page.title == "Thăm viếng mộ liệt sĩ"
    assert page.provincial_code == "1.010832.000.00.00.H36"
    assert page.online_level.label == "Toàn trình"
    assert page.tier_codes == ["huyen"]  # "UBND Huyện/Thành phố", pre-July-2025 data
    (case,) = page.cases
    channels = [(c["channel"], c["time_limit"], c["time_unit"]) for c in case.value["channels"]]
    assert channels == [("in_person", 6, "working_days"), ("post", 6, "working_days")]
    # "Phí : " with no amount on both channels: no fee invented.
    assert all(len(c["fees"]) == 0 for c in case.value["channels"])
    assert len(case.value["steps"]) == 5  # "Bước 1:" … "Bước 5:"
    # "Không có thông tin đối tượng thực hiện." is a placeholder: subjects are missing.
    assert page.subject_names == []
    assert page.missing == ["Đối tượng thực hiện"]
    assert page.is_complete is False


def test_lamdong_titles_are_nfc_and_without_lookalike_d(imported):
    """C03/C05 on real data: about 1% of Lâm Đồng cells are NFD."""
    titles = list(ProcedurePage.objects.child_of(imported.provincial).values_list("title", flat=True))
    assert all(unicodedata.is_normalized("NFC", t) for t in titles)
    assert not any("\u00d0" in t or "\u0189" in t for t in titles)


# -- national catalogue: Ministry of Defence and national portal sample ----------------------------


def test_bqp_and_dvcqg_sample_give_one_page_per_distinct_code(imported, shared_data):
    bqp_codes = {bqp_code(r) for r in jsonl_rows(shared_data / BQP)}
    dvcqg_codes = {first_code(r["ma_thu_tuc"]) for r in jsonl_rows(shared_data / DVCQG_SAMPLE)}
    assert imported.bqp.counts["error"] == 0 and imported.dvcqg.counts["error"] == 0
    assert imported.bqp.counts["new"] == len(bqp_codes)
    assert imported.dvcqg.counts["new"] == len(dvcqg_codes - bqp_codes)
    pages = ProcedurePage.objects.child_of(imported.national).live()
    assert pages.count() == len(bqp_codes | dvcqg_codes)
    # The national sources never land in the provincial catalogue.
    assert not ProcedurePage.objects.child_of(imported.provincial).filter(source__in=["bqp", "dvcqg"]).exists()


def test_bqp_component_counts_come_from_the_note_column(imported):
    """1.013124: "Bản chính: 1\\nBản sao: 0" for its first component."""
    page = ProcedurePage.objects.child_of(imported.national).get(code="1.013124")
    first = page.cases[0].value["components"][0]
    assert first["name"].startswith("Văn bản đề nghị thẩm định và phê duyệt kế hoạch ứng phó sự cố tràn dầu")
    assert (first["originals"], first["copies"]) == (1, 0)
    channels = [(c["channel"], c["time_limit"], c["time_unit"]) for c in page.cases[0].value["channels"]]
    assert channels == [("in_person", 30, "working_days"), ("online", 30, "working_days"), ("post", 30, "working_days")]
    assert page.tier_codes == ["bo"]


def test_national_titles_are_nfc(imported):
    """About half the bqp records are NFD: every saved title is NFC."""
    titles = list(ProcedurePage.objects.child_of(imported.national).values_list("title", flat=True))
    assert all(unicodedata.is_normalized("NFC", t) for t in titles)
