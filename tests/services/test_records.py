"""The native procedure record: codes, dates, canonical form and completeness (DOMAIN §2)."""

import datetime as dt
import json
import unicodedata

import pytest

from services.catalogue.records import (
    RecordError,
    base_code,
    canonical_record,
    missing_elements,
    parse_date,
    record_hash,
)
from tests.services.builders import native_record

# -- base_code -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("1.000948.000.00.00.H36", "1.000948"),  # provincial long form
        ("1.000948.H36", "1.000948"),  # provincial short form
        ("1.000948", "1.000948"),  # bare national code
        ("  2.002023.000.00.00.H37 ", "2.002023"),
        ("3.000182", "3.000182"),
    ],
)
def test_base_code_is_the_national_part_of_any_code_form(code, expected):
    assert base_code(code) == expected


def test_base_code_keeps_leading_and_trailing_zeros_as_text():
    # As a float 1.000100 would be 1.0001: the code must stay text.
    assert base_code("1.000100") == "1.000100"


@pytest.mark.parametrize("code", ["", "1234", "001234", "H36", "1.00094", "1.00123", "11.000948", "abc.000948"])
def test_base_code_rejects_text_without_a_national_code(code):
    with pytest.raises(RecordError) as info:
        base_code(code)
    assert "d.dddddd" in str(info.value)


@pytest.mark.parametrize("code", ["1.0009481", "1.0012300", "1.000948H36"])
def test_base_code_rejects_a_longer_number_that_starts_like_a_code(code):
    """C11 kind: "1.0012300" must not silently become "1.001230"; a code ends at a dot or the end."""
    with pytest.raises(RecordError):
        base_code(code)


# -- parse_date ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "24/3/2021",
        "24/03/2021",
        "24-03-2021",
        "24.03.2021",
        "ngày 24 tháng 3 năm 2021",
        "Ngày 24 tháng 03 năm 2021",
        "2021-03-24",
        dt.date(2021, 3, 24),
        dt.datetime(2021, 3, 24, 15, 30),
    ],
)
def test_parse_date_reads_day_first_vietnamese_and_iso_dates(value):
    assert parse_date(value) == "2021-03-24"


@pytest.mark.parametrize("serial", [44279, 44279.0, "44279"])
def test_parse_date_reads_excel_serial_numbers(serial):
    # Excel's day 0 is 1899-12-30; serial 44197 is 2021-01-01, then 31 days of January and
    # 28 of February reach 44256 = 1 March, and 23 more days give 44279 = 24 March 2021.
    assert parse_date(serial) == "2021-03-24"


def test_parse_date_of_empty_is_empty():
    assert parse_date("") == ""
    assert parse_date(None) == ""


@pytest.mark.parametrize("value", ["31/02/2021", "hôm qua", "2021/24/03", "24 3 2021"])
def test_parse_date_rejects_what_is_not_a_date(value):
    with pytest.raises(RecordError):
        parse_date(value)


# -- canonical_record ----------------------------------------------------------------------------


def test_canonical_record_keeps_codes_as_text():
    record = canonical_record(
        {"code": "2.000100.000.00.00.H36", "name": "Thủ tục A", "related_codes": "1.000100.H36; 1.000100"}
    )
    assert record["code"] == "2.000100"
    assert isinstance(record["code"], str)
    assert record["related_codes"] == ["1.000100"]


def test_canonical_record_composes_nfd_text_to_nfc():
    """C03: names and nested texts are NFC after import."""
    name = "Cấp thẻ bảo hiểm y tế"
    record = canonical_record(
        {
            "code": "1.000001",
            "name": unicodedata.normalize("NFD", name),
            "subjects": [unicodedata.normalize("NFD", "Công dân Việt Nam")],
            "cases": [{"steps": [unicodedata.normalize("NFD", "Bước 1: Nộp hồ sơ")]}],
        }
    )
    assert record["name"] == name
    assert record["subjects"] == ["Công dân Việt Nam"]
    assert record["cases"][0]["steps"] == ["Bước 1: Nộp hồ sơ"]


def test_canonical_record_sorts_and_dedupes_lists():
    record = canonical_record(
        {
            "code": "1.000001",
            "name": "Thủ tục A",
            "tiers": ["xa", "Tinh", "xa"],
            "subjects": "Doanh nghiệp; Công dân Việt Nam\nDoanh nghiệp",
            "fields_of_work": ["Hộ tịch", {"code": "", "name": "Hộ tịch"}, "Chứng thực"],
        }
    )
    assert record["tiers"] == ["tinh", "xa"]
    assert record["subjects"] == ["Công dân Việt Nam", "Doanh nghiệp"]
    assert record["fields_of_work"] == [{"code": "", "name": "Chứng thực"}, {"code": "", "name": "Hộ tịch"}]


def test_canonical_record_reads_list_columns_given_as_json_text():
    record = canonical_record(
        {
            "code": "1.000001",
            "name": "Thủ tục A",
            "agencies": '[{"name": "UBND xã", "role": "implementing"}, {"name": "UBND xã", "role": "implementing"}]',
            "cases": json.dumps([{"channels": [{"channel": "post", "time_limit": "06"}]}]),
        }
    )
    assert record["agencies"] == [{"name": "UBND xã", "identifier": "", "role": "implementing"}]
    channel = record["cases"][0]["channels"][0]
    # "06" is the number 6; a number without a unit is in working days.
    assert channel["time_limit"] == 6
    assert channel["time_unit"] == "working_days"


def test_canonical_record_turns_placeholders_into_empty_values():
    record = canonical_record(
        {"code": "1.000001", "name": "Thủ tục A", "conditions": "NOINFO", "results": "Không có thông tin kết quả."}
    )
    assert record["conditions"] == ""
    assert record["results"] == ""


def test_canonical_record_reads_dates_of_decisions_and_legal_bases():
    record = canonical_record(
        {
            "code": "1.000001",
            "name": "Thủ tục A",
            "decisions": [{"number": "6225/QĐ-BQP", "date_issued": "24/3/2021"}],
            "legal_bases": [{"number": "12/2021/QĐ-TTg", "date_issued": 44279}],
        }
    )
    assert record["decisions"] == [{"number": "6225/QĐ-BQP", "date_issued": "2021-03-24"}]
    assert record["legal_bases"][0]["date_issued"] == "2021-03-24"


def test_canonical_record_rejects_malformed_json_with_a_vietnamese_message():
    with pytest.raises(RecordError) as info:
        canonical_record({"code": "1.000001", "name": "Thủ tục A", "cases": '[{"title": "Trường hợp 1"'})
    message = str(info.value)
    assert "JSON" in message
    assert "không đọc được" in message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"code": "1.000001", "name": "NOINFO"}, "Thiếu tên"),
        ({"code": "1234", "name": "Thủ tục A"}, "Mã thủ tục không hợp lệ"),
        ({"code": "1.000001", "name": "A", "cases": [{"channels": [{"channel": "fax"}]}]}, "Hình thức nộp"),
        ({"code": "1.000001", "name": "A", "cases": [{"components": [{"name": "Đơn", "copies": -1}]}]}, "Số âm"),
        (
            {"code": "1.000001", "name": "A", "cases": [{"components": [{"name": "Đơn", "copies": "hai"}]}]},
            "Không phải số",
        ),
        ({"code": "1.000001", "name": "A", "agencies": [{"name": "Sở", "role": "boss"}]}, "Vai trò"),
        ({"code": "1.000001", "name": "A", "legal_bases": [{"number": "1/2020/TT", "date_issued": "hôm qua"}]}, "ngày"),
    ],
)
def test_canonical_record_rejects_bad_values_with_a_vietnamese_message(data, fragment):
    with pytest.raises(RecordError) as info:
        canonical_record(data)
    assert fragment.lower() in str(info.value).lower()


def test_record_hash_is_equal_for_equal_records_and_differs_otherwise():
    a = canonical_record(native_record("1.000001", "Thủ tục A"))
    b = canonical_record(native_record("1.000001", "Thủ tục A"))
    c = canonical_record(native_record("1.000001", "Thủ tục B"))
    assert record_hash(a) == record_hash(b)
    assert record_hash(a) != record_hash(c)


# -- missing_elements (DOMAIN §2, Decree 63/2010) -------------------------------------------------


def test_missing_elements_of_a_complete_record_is_empty():
    assert missing_elements(canonical_record(native_record("1.000001", "Thủ tục A"))) == []


def test_missing_elements_of_a_name_only_record_lists_every_required_element():
    record = canonical_record({"code": "1.000001", "name": "Thủ tục A"})
    assert missing_elements(record) == [
        "Trình tự thực hiện",
        "Cách thức thực hiện",
        "Thành phần hồ sơ",
        "Thời hạn giải quyết",
        "Đối tượng thực hiện",
        "Cơ quan thực hiện",
    ]


def test_missing_elements_counts_a_channel_without_any_time_as_missing_time_limit():
    record = native_record("1.000001", "Thủ tục A")
    for channel in record["cases"][0]["channels"]:
        channel["time_limit"] = None
    assert missing_elements(canonical_record(record)) == ["Thời hạn giải quyết"]


def test_missing_elements_accepts_a_time_limit_given_as_text():
    record = native_record("1.000001", "Thủ tục A")
    record["cases"][0]["channels"] = [{"channel": "in_person", "time_text": "Trong ngày làm việc"}]
    assert missing_elements(canonical_record(record)) == []


def test_missing_elements_finds_steps_and_components_in_any_case():
    """Steps and components are grouped per case; one case with them is enough."""
    record = native_record("1.000001", "Thủ tục A")
    full_case = record["cases"][0]
    record["cases"] = [
        {"title": "Trường hợp 1", "steps": full_case["steps"], "channels": full_case["channels"], "components": []},
        {"title": "Trường hợp 2", "steps": [], "channels": [], "components": full_case["components"]},
    ]
    assert missing_elements(canonical_record(record)) == []


def test_missing_elements_without_subjects_and_agencies():
    record = native_record("1.000001", "Thủ tục A", subjects=[], agencies=[])
    assert missing_elements(canonical_record(record)) == ["Đối tượng thực hiện", "Cơ quan thực hiện"]


def test_an_agency_name_longer_than_its_column_is_a_row_error_not_a_database_error():
    """PostgreSQL refuses a value longer than the column; the importer reports it on its row first."""
    name = "Cơ quan " + "x" * 493  # 501 characters, one over the 500 the column holds
    assert len(name) == 501
    with pytest.raises(RecordError, match="Tên cơ quan dài 501 ký tự, quá giới hạn 500"):
        canonical_record({"code": "1.000001", "name": "Thủ tục", "agencies": [{"name": name}]})
    record = canonical_record({"code": "1.000001", "name": "Thủ tục", "agencies": [{"name": name[:500]}]})
    assert len(record["agencies"][0]["name"]) == 500
