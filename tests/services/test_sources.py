"""Source adapters: one raw row of a real catalogue's format -> a loose native record.

Rows here are written by hand in each source's layout (../shared/data/README.md), not copied.
"""

import unicodedata
from decimal import Decimal

import pytest

from services.catalogue.records import canonical_record
from services.catalogue.sources import (
    detect_source,
    from_bqp,
    from_dvcqg,
    from_lamdong,
    from_native,
    parse_fee,
    parse_steps,
    parse_time_limit,
    split_outside_parens,
)

# -- time limits and fees --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "unit"),
    [
        ("06 Ngày làm việc", 6, "working_days"),
        ("30 Ngày", 30, "days"),
        ("30 ngày", 30, "days"),
        ("24 Giờ", 24, "hours"),
        ("3 Tháng", 3, "months"),
        ("0.5 Ngày làm việc", Decimal("0.5"), "working_days"),
        ("0,5 Ngày làm việc", Decimal("0.5"), "working_days"),
    ],
)
def test_parse_time_limit_reads_number_and_unit(text, limit, unit):
    """Working days and calendar days are different units (DOMAIN §2)."""
    result = parse_time_limit(text)
    assert Decimal(result["time_limit"]) == limit
    assert result["time_unit"] == unit
    assert result["time_text"] == ""


def test_parse_time_limit_keeps_free_text():
    text = "Trong ngày làm việc (nếu nộp trước 15 giờ)"
    assert parse_time_limit(text) == {"time_limit": None, "time_unit": "other", "time_text": text}


def test_parse_time_limit_of_empty_or_placeholder_is_empty():
    assert parse_time_limit("") == {"time_limit": None, "time_unit": "", "time_text": ""}
    assert parse_time_limit("NOINFO") == {"time_limit": None, "time_unit": "", "time_text": ""}


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("8.000 đồng/bản sao", 8000),
        ("500000 Đồng ()", 500000),
        ("Phí : 0 Đồng", 0),
        ("Lệ phí : 50.000 đồng", 50000),
        ("Phí : 1.500.000 đồng (Một triệu năm trăm nghìn đồng)", 1500000),
        ("Phí : Lệ phí : 100.000 VNĐ", 100000),
    ],
)
def test_parse_fee_reads_whole_vnd_amounts(text, amount):
    """Dots are thousands separators in Vietnamese amounts: 8.000 đồng is eight thousand."""
    assert parse_fee(text)["amount_vnd"] == amount


def test_parse_fee_keeps_what_follows_the_amount_as_description():
    assert "bản sao" in parse_fee("8.000 đồng/bản sao")["description"]
    assert parse_fee("500000 Đồng ()")["description"] == ""
    assert parse_fee("20.000 đồng (Hai mươi nghìn đồng)")["description"] == "Hai mươi nghìn đồng"


@pytest.mark.parametrize("text", ["Phí : ", "Phí :", "Lệ phí : ", "", "   "])
def test_parse_fee_of_an_empty_label_is_no_fee(text):
    assert parse_fee(text) is None


def test_parse_fee_keeps_fee_text_without_an_amount():
    assert parse_fee("Phí : Miễn phí") == {"amount_vnd": None, "description": "Miễn phí"}


# -- text splitting ------------------------------------------------------------------------------


def test_split_outside_parens_keeps_commas_inside_parentheses():
    text = "Công dân Việt Nam, Tổ chức (không bao gồm doanh nghiệp, HTX), Hợp tác xã"
    assert split_outside_parens(text) == [
        "Công dân Việt Nam",
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
        "Hợp tác xã",
    ]


def test_split_outside_parens_with_another_separator_and_empty_parts():
    assert split_outside_parens("Sở Tư pháp; ; UBND tỉnh (Văn phòng; Bộ phận một cửa)", ";") == [
        "Sở Tư pháp",
        "UBND tỉnh (Văn phòng; Bộ phận một cửa)",
    ]


def test_parse_steps_splits_at_each_step_marker():
    text = "Bước 1: Nộp đơn. Bước 2: Thẩm định.\nBước 3. Trả kết quả."
    assert parse_steps(text) == ["Bước 1: Nộp đơn.", "Bước 2: Thẩm định.", "Bước 3. Trả kết quả."]
    assert parse_steps("Nộp hồ sơ và nhận kết quả tại xã.") == ["Nộp hồ sơ và nhận kết quả tại xã."]


# -- Lâm Đồng ------------------------------------------------------------------------------------

LAMDONG_DETAIL = {
    "STT": "1",
    "Mã chuẩn": "1.010832.000.00.00.H36",
    "Tên thủ tục": "Thăm viếng mộ liệt sĩ",
    "Lĩnh vực": "Người có công",
    "Cơ quan thực hiện": "UBND Huyện/Thành phố; UBND Xã/Phường/Thị Trấn",
    "Mức độ": "Toàn trình",
    "thutuc_Link": "https://dichvucong.lamdong.gov.vn/vi/procedure/detail/abc123",
    "thutuc_Trình tự thực hiện": "Bước 1: Nộp đơn đề nghị. Bước 2: Nhận giấy giới thiệu.",
    "thutuc_Cách thức thực hiện": "Trực tiếp, Dịch vụ bưu chính",
    "thutuc_Thành phần hồ sơ": "- Đơn đề nghị thăm viếng mộ liệt sĩ\n- Bản sao giấy chứng nhận thân nhân liệt sĩ",
    # Lâm Đồng repeats the per-channel block: the repeat must not create a second value.
    "thutuc_Thời gian giải quyết": "Trực tiếp: 06 Ngày làm việc\nDịch vụ bưu chính: 06 Ngày làm việc\n"
    "Trực tiếp: 06 Ngày làm việc",
    "thutuc_Đối tượng thực hiện": "Công dân Việt Nam, Tổ chức (không bao gồm doanh nghiệp, HTX)",
    "thutuc_Cơ quan thực hiện": "UBND cấp huyện - Tỉnh Lâm Đồng UBND cấp xã - Tỉnh Lâm Đồng",
    "thutuc_Kết quả": "Giấy giới thiệu thăm viếng mộ liệt sĩ.",
    "thutuc_Phí, lệ phí": "Trực tiếp: Phí : 8.000 đồng/bản sao\nDịch vụ bưu chính: Phí : \n \n"
    "Trực tiếp: Phí : 8.000 đồng/bản sao",
    "thutuc_Tên mẫu đơn, tờ khai": "Đơn đề nghị thăm viếng mộ liệt sĩ",
    "thutuc_Yêu cầu, điều kiện": "Không có thông tin yêu cầu, điều kiện.",
    "thutuc_Căn cứ pháp lý": "Nghị định 131/2021/NĐ-CP quy định chi tiết Pháp lệnh\n"
    "- Pháp lệnh 02/2020/UBTVQH14 ưu đãi người có công",
}


def test_from_lamdong_detail_row_gives_a_full_record():
    loose, partial = from_lamdong(dict(LAMDONG_DETAIL))
    assert partial is None
    record = canonical_record(loose)
    assert record["code"] == "1.010832"
    assert record["provincial_code"] == "1.010832.000.00.00.H36"
    assert record["name"] == "Thăm viếng mộ liệt sĩ"
    assert record["online_level"] == "Toàn trình"
    # "UBND Huyện/Thành phố" is the district tier, "UBND Xã/Phường/Thị Trấn" the commune tier.
    assert record["tiers"] == ["huyen", "xa"]
    assert record["fields_of_work"] == [{"code": "", "name": "Người có công"}]
    assert [a["name"] for a in record["agencies"]] == ["UBND cấp huyện", "UBND cấp xã"]
    assert record["subjects"] == ["Công dân Việt Nam", "Tổ chức (không bao gồm doanh nghiệp, HTX)"]
    assert record["conditions"] == ""
    assert record["results"] == "Giấy giới thiệu thăm viếng mộ liệt sĩ."
    assert record["source_url"] == "https://dichvucong.lamdong.gov.vn/vi/procedure/detail/abc123"
    assert [b["number"] for b in record["legal_bases"]] == ["131/2021/NĐ-CP", "02/2020/UBTVQH14"]


def test_from_lamdong_detail_row_parses_channels_with_their_time_limits_and_fees():
    record = canonical_record(from_lamdong(dict(LAMDONG_DETAIL))[0])
    (case,) = record["cases"]
    assert case["steps"] == ["Bước 1: Nộp đơn đề nghị.", "Bước 2: Nhận giấy giới thiệu."]
    channels = {c["channel"]: c for c in case["channels"]}
    assert list(channels) == ["in_person", "post"]
    assert (channels["in_person"]["time_limit"], channels["in_person"]["time_unit"]) == (6, "working_days")
    assert (channels["post"]["time_limit"], channels["post"]["time_unit"]) == (6, "working_days")
    assert [f["amount_vnd"] for f in channels["in_person"]["fees"]] == [8000]
    assert channels["post"]["fees"] == []


def test_from_lamdong_detail_row_matches_form_names_to_components():
    record = canonical_record(from_lamdong(dict(LAMDONG_DETAIL))[0])
    components = record["cases"][0]["components"]
    assert [c["name"] for c in components] == [
        "Đơn đề nghị thăm viếng mộ liệt sĩ",
        "Bản sao giấy chứng nhận thân nhân liệt sĩ",
    ]
    assert components[0]["form_name"] == "Đơn đề nghị thăm viếng mộ liệt sĩ"
    assert components[1]["form_name"] == ""


def test_from_lamdong_noinfo_row_is_partial_and_keeps_the_list_columns():
    """A failed crawl ("NOINFO" in every detail column) keeps code, name, field, group, level."""
    row = {key: "NOINFO" for key in LAMDONG_DETAIL}
    row.update(
        {
            key: LAMDONG_DETAIL[key]
            for key in ("STT", "Mã chuẩn", "Tên thủ tục", "Lĩnh vực", "Cơ quan thực hiện", "Mức độ")
        }
    )
    loose, partial = from_lamdong(row)
    assert partial is not None
    assert {"code", "name", "fields_of_work", "tiers", "online_level"} <= set(partial)
    assert not {"cases", "subjects", "agencies", "legal_bases"} & set(partial)
    record = canonical_record(loose)
    assert (record["code"], record["name"], record["online_level"]) == (
        "1.010832",
        "Thăm viếng mộ liệt sĩ",
        "Toàn trình",
    )
    assert record["tiers"] == ["huyen", "xa"]


def test_from_lamdong_list_row_is_partial():
    row = {
        "code": "1.012275.H36",
        "name": "Đăng ký hành nghề",
        "field": "Khám bệnh, chữa bệnh",
        "org": "Sở, ban ngành",
        "level": "Một phần",
    }
    loose, partial = from_lamdong(row)
    assert partial is not None and "online_level" in partial and "cases" not in partial
    record = canonical_record(loose)
    assert record["code"] == "1.012275"
    assert record["provincial_code"] == "1.012275.H36"
    # A field name with a comma is one field; "Sở, ban ngành" is the provincial tier.
    assert record["fields_of_work"] == [{"code": "", "name": "Khám bệnh, chữa bệnh"}]
    assert record["tiers"] == ["tinh"]
    assert record["online_level"] == "Một phần"


# -- Ministry of Defence (bqp) -------------------------------------------------------------------


def _bqp_row(*, nfd_keys=False):
    key = (lambda k: unicodedata.normalize("NFD", k)) if nfd_keys else (lambda k: k)
    return {
        "thu_tuc_id": "1.013124",
        "metadata": {
            key("mã_thủ_tục"): "1.013124",
            key("tên_thủ_tục"): "Thẩm định kế hoạch ứng phó sự cố tràn dầu",
            key("cấp_thực_hiện"): "Cấp Bộ",
            key("loại_thủ_tục"): "TTHC được luật giao quy định chi tiết",
            key("lĩnh_vực"): "Ứng phó sự cố tràn dầu",
            key("số_quyết_định"): "Quyết định số 6225/QĐ-BQP",
        },
        "content": {
            key("trình_tự_thực_hiện"): "Bước 1: Gửi hồ sơ. Bước 2: Phê duyệt.",
            key("đối_tượng_thực_hiện"): "Doanh nghiệp, Tổ chức (không bao gồm doanh nghiệp, HTX)",
            key("cơ_quan_thực_hiện"): "Văn phòng Ủy ban Quốc gia",
            key("cơ_quan_có_thẩm_quyền"): "Ủy ban Quốc gia",
            key("cơ_quan_phối_hợp"): "Không có thông tin",
            key("kết_quả_thực_hiện"): "Quyết định phê duyệt.",
        },
        "tables": {
            "hinh_thuc_nop": [
                {
                    "hinh_thuc": "Trực tiếp",
                    "thoi_han_giai_quyet": "30 Ngày làm việc",
                    "phi_le_phi": "Phí : 0 Đồng",
                    "mo_ta": "",
                },
                {
                    "hinh_thuc": "Trực tuyến",
                    "thoi_han_giai_quyet": "30 Ngày làm việc",
                    "phi_le_phi": "Phí : ",
                    "mo_ta": "",
                },
            ],
            "thanh_phan_ho_so": [
                {"ten_giay_to": "Văn bản đề nghị thẩm định.", "so_luong": "", "ghi_chu": "Bản chính: 1\nBản sao: 0"},
                {"ten_giay_to": "Kế hoạch ứng phó.", "so_luong": "5-PHLCII.doc", "ghi_chu": "Bản chính: 2\nBản sao: 3"},
            ],
            "can_cu_phap_ly": [
                {
                    "so_ky_hieu": "12/2021/QĐ-TTg",
                    "trich_yeu": "Quy chế ứng phó sự cố tràn dầu",
                    "ngay_ban_hanh": "24-03-2021",
                    "co_quan_ban_hanh": "Thủ tướng Chính phủ",
                }
            ],
        },
    }


@pytest.mark.parametrize("nfd_keys", [False, True], ids=["nfc-keys", "nfd-keys"])
def test_from_bqp_reads_metadata_content_and_tables(nfd_keys):
    """About half the bqp records are NFD, keys included: both read the same."""
    loose, partial = from_bqp(_bqp_row(nfd_keys=nfd_keys))
    assert partial is None
    record = canonical_record(loose)
    assert record["code"] == "1.013124"
    assert record["name"] == "Thẩm định kế hoạch ứng phó sự cố tràn dầu"
    assert record["tiers"] == ["bo"]
    assert record["decisions"] == [{"number": "6225/QĐ-BQP", "date_issued": ""}]
    assert record["agencies"] == [
        {"name": "Văn phòng Ủy ban Quốc gia", "identifier": "", "role": "implementing"},
        {"name": "Ủy ban Quốc gia", "identifier": "", "role": "competent"},
    ]
    assert record["legal_bases"] == [
        {
            "number": "12/2021/QĐ-TTg",
            "title": "Quy chế ứng phó sự cố tràn dầu",
            "date_issued": "2021-03-24",
            "issuer": "Thủ tướng Chính phủ",
        }
    ]


def test_from_bqp_reads_component_counts_from_the_note_column():
    """The counts sit in ghi_chu as "Bản chính: N\\nBản sao: M"; so_luong holds the form file name."""
    record = canonical_record(from_bqp(_bqp_row())[0])
    components = record["cases"][0]["components"]
    assert [(c["originals"], c["copies"]) for c in components] == [(1, 0), (2, 3)]
    assert components[1]["form_name"] == "5-PHLCII.doc"


def test_from_bqp_reads_channels_with_time_limits_and_fees():
    record = canonical_record(from_bqp(_bqp_row())[0])
    channels = record["cases"][0]["channels"]
    assert [(c["channel"], c["time_limit"], c["time_unit"]) for c in channels] == [
        ("in_person", 30, "working_days"),
        ("online", 30, "working_days"),
    ]
    assert [f["amount_vnd"] for f in channels[0]["fees"]] == [0]
    assert channels[1]["fees"] == []


# -- national portal (dvcqg) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        {
            "ma_so": "1.001194",
            "ten": "Cấp thị thực",
            "co_quan_thuc_hien": "Phòng xuất nhập cảnh",
            "linh_vuc": "Quản lý xuất nhập cảnh",
        },
        {
            "Mã số": "1.001194",
            "Tên": "Cấp thị thực",
            "Cơ quan thực hiện": "Phòng xuất nhập cảnh",
            "Lĩnh vực": "Quản lý xuất nhập cảnh",
        },
    ],
    ids=["csv-list", "xlsx-list"],
)
def test_from_dvcqg_list_export_row_is_partial(row):
    loose, partial = from_dvcqg(row)
    assert partial == {"code", "name", "fields_of_work", "agencies", "source"}
    record = canonical_record(loose)
    assert (record["code"], record["name"]) == ("1.001194", "Cấp thị thực")
    assert record["fields_of_work"] == [{"code": "", "name": "Quản lý xuất nhập cảnh"}]
    assert [a["name"] for a in record["agencies"]] == ["Phòng xuất nhập cảnh"]


def test_from_dvcqg_crawl_row_keeps_flattened_tables_as_text():
    flat = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việc25 USDDịch vụ bưu chính5 Ngày làm việc25 USD"
    row = {
        "ma_thu_tuc": "1.001194",
        "ten_thu_tuc": "Cấp thị thực",
        "cap_thuc_hien": "Cấp tỉnh, Cấp xã",
        "linh_vuc": "Quản lý xuất nhập cảnh",
        "trinh_tu_thuc_hien": "Bước 1: Chuẩn bị hồ sơ.\nBước 2: Nộp hồ sơ.",
        "cach_thuc_thuc_hien": flat,
        "doi_tuong_thuc_hien": "Người nước ngoài, Tổ chức nước ngoài",
        "co_quan_thuc_hien": "Phòng xuất nhập cảnh",
        "co_quan_co_tham_quyen": "Cục Quản lý xuất nhập cảnh",
        "co_quan_duoc_uy_quyen": "",
        "co_quan_phoi_hop": "Không có thông tin",
        "so_quyet_dinh": "5568/QĐ-BCA",
        "thu_tuc_lien_quan": "Không có thông tin",
        "ket_qua_xu_ly": "Thị thực loại dánMã: KQ.G01.000076Từ khóaKhông có thông tin",
    }
    loose, partial = from_dvcqg(row)
    assert partial is None
    record = canonical_record(loose)
    assert record["tiers"] == ["tinh", "xa"]
    channels = record["cases"][0]["channels"]
    assert [c["channel"] for c in channels] == ["online", "post"]
    # The flattened table cannot be parsed reliably: no number invented, the text kept.
    assert all(c["time_limit"] is None and c["time_text"] == flat for c in channels)
    assert record["results"] == "Thị thực loại dán"
    assert record["related_codes"] == []
    assert [a["role"] for a in record["agencies"]] == ["implementing", "competent"]


# -- native and detection -------------------------------------------------------------------------


def test_from_native_row_with_only_some_columns_updates_only_those():
    loose, partial = from_native({"code": "1.000001", "online_level": "Toàn trình"})
    assert partial == {"code", "online_level"}
    assert loose["online_level"] == "Toàn trình"


@pytest.mark.parametrize(
    ("header", "source"),
    [
        (["STT", "Mã chuẩn", "Tên thủ tục", "Lĩnh vực"], "lamdong"),
        (["code", "name", "field", "org", "level"], "lamdong"),
        (["ma_thu_tuc", "ten_thu_tuc"], "dvcqg"),
        (["Mã số", "Tên", "Lĩnh vực"], "dvcqg"),
        (["thu_tuc_id", "metadata", "content", "tables"], "bqp"),
        (["code", "name", "cases"], "native"),
        (["foo", "bar"], None),
    ],
)
def test_detect_source_from_header(header, source):
    assert detect_source(header) == source


def test_crawled_agency_text_too_long_for_a_name_moves_to_the_description():
    """The national crawl holds whole notes in agency cells (633 and 1,072 characters): such a
    piece is not an agency, but its text is kept in the description and the row imports."""
    from services.catalogue.sources import AGENCY_NAME_MAX, agencies_by_role, from_dvcqg

    note = "Hồ sơ gửi qua bưu chính " * 30  # 720 characters before normalisation
    agencies, leftover = agencies_by_role([("Sở Tư pháp; " + note, "implementing"), ("Bộ Tư pháp", "competent")])
    assert agencies == [{"name": "Sở Tư pháp", "role": "implementing"}, {"name": "Bộ Tư pháp", "role": "competent"}]
    assert leftover.startswith("Cơ quan (nguyên văn nguồn): Hồ sơ gửi qua bưu chính")
    assert len(note.strip()) > AGENCY_NAME_MAX
    record, partial = from_dvcqg(
        {
            "ma_thu_tuc": "1.000001",
            "ten_thu_tuc": "Thủ tục",
            "trinh_tu_thuc_hien": "Bước 1: Nộp.",
            "co_quan_thuc_hien": note,
        }
    )
    assert partial is None and record["agencies"] == []
    assert "Hồ sơ gửi qua bưu chính" in record["description"]
