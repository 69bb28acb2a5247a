"""A small catalogue whose every searchable word is chosen by hand, indexed on the backend under test.

The records go through the real importer (``catalogue_import`` of a native JSON file) and the
real sync (``search.indexing.sync_pages``), so that the suite checks what a citizen gets from an
imported catalogue. Each record's steps, components, results, agencies and fields are neutral
words, so that the expected results below can be worked out from this file alone:

========  ========================================================  ===================  ============================
code      name                                                      field (slug)         agency
========  ========================================================  ===================  ============================
1.000948  Cấp giấy phép xây dựng                                    xay-dung             Sở Xây dựng
1.000949  Cấp giấy phép di dời công trình (level "Toàn trình")      xay-dung             Sở Xây dựng
2.000100  Thủ tục đất đai                                           dat-dai              Sở Nông nghiệp và Môi trường
2.000200  Đăng ký kinh doanh                                        kinh-doanh           Sở Tài chính
1.000300  Cấp thẻ bảo hiểm y tế (imported in NFD)                   bao-hiem-y-te        Bảo hiểm xã hội tỉnh
1.000301  Thẻ căn cước công dân tích hợp thông tin bảo hiểm xã hội  bao-hiem-xa-hoi      Công an tỉnh
2.000635  Xác nhận thông tin hộ tịch                                ho-tich              Sở Tư pháp
1.000400  Đổi giấy phép lái xe                                      duong-bo             Sở Giao thông vận tải
1.000500  Cấp giấy chứng nhận quyền sử dụng đất lần đầu             dat-dai              Văn phòng đăng ký đất đai
1.000600  ÐẮK LẮK - Cấp phép (first letter U+00D0)                  khoang-san           Sở Công Thương
1.000700  Tuyển dụng viên chức (keywords "ĐỖ THỊ LẬP")              cong-chuc-vien-chuc  Sở Nội vụ
1.000800  Đăng ký khai sinh                                         ho-tich              Sở Tư pháp
1.000801  Cấp bản sao trích lục hộ tịch (a step says "khai sinh")   ho-tich              Sở Tư pháp
1.000900  Cấp lại chứng chỉ hành nghề                               duoc                 Sở Y tế
1.000901  Cấp chứng chỉ lái phương tiện                             duong-thuy           Sở Giao thông vận tải
========  ========================================================  ===================  ============================

Every record has the level "Một phần" (but 1.000949), the tier "tinh", the subject "Công dân
Việt Nam", the steps "Nộp đơn tại Bộ phận một cửa." and "Nhận kết quả." (but 1.000801), the
component "Đơn đề nghị" and the result "Quyết định giải quyết.".
"""

import unicodedata

from tests.services.builders import native_record

NFD = unicodedata.normalize("NFD", "Cấp thẻ bảo hiểm y tế")
LOOKALIKE_DAK_LAK = "\u00d0ẮK LẮK - Cấp phép"

GIAY_PHEP_XAY_DUNG = "Cấp giấy phép xây dựng"
DI_DOI = "Cấp giấy phép di dời công trình"
DAT_DAI = "Thủ tục đất đai"
KINH_DOANH = "Đăng ký kinh doanh"
THE_BHYT = "Cấp thẻ bảo hiểm y tế"
CAN_CUOC = "Thẻ căn cước công dân tích hợp thông tin bảo hiểm xã hội"
HO_TICH = "Xác nhận thông tin hộ tịch"
LAI_XE = "Đổi giấy phép lái xe"
SO_DO = "Cấp giấy chứng nhận quyền sử dụng đất lần đầu"
DAK_LAK = "ĐẮK LẮK - Cấp phép"  # as stored: the look-alike letter mapped to Đ (U+0110)
VIEN_CHUC = "Tuyển dụng viên chức"
KHAI_SINH = "Đăng ký khai sinh"
TRICH_LUC = "Cấp bản sao trích lục hộ tịch"
CAP_LAI = "Cấp lại chứng chỉ hành nghề"
LAI_TAU = "Cấp chứng chỉ lái phương tiện"

ALL_NAMES = {
    GIAY_PHEP_XAY_DUNG,
    DI_DOI,
    DAT_DAI,
    KINH_DOANH,
    THE_BHYT,
    CAN_CUOC,
    HO_TICH,
    LAI_XE,
    SO_DO,
    DAK_LAK,
    VIEN_CHUC,
    KHAI_SINH,
    TRICH_LUC,
    CAP_LAI,
    LAI_TAU,
}


def _record(code, name, field, agency, *, level="Một phần", steps=None, keywords=""):
    return native_record(
        code,
        name,
        online_level=level,
        tiers=["tinh"],
        fields_of_work=[{"code": "", "name": field}],
        agencies=[{"name": agency, "identifier": "", "role": "implementing"}],
        subjects=["Công dân Việt Nam"],
        cases=[
            {
                "title": "",
                "steps": steps or ["Nộp đơn tại Bộ phận một cửa.", "Nhận kết quả."],
                "channels": [
                    {
                        "channel": "in_person",
                        "time_limit": 10,
                        "time_unit": "working_days",
                        "time_text": "",
                        "fees": [],
                        "note": "",
                    }
                ],
                "components": [
                    {
                        "name": "Đơn đề nghị",
                        "form_name": "",
                        "form_file": "",
                        "originals": 1,
                        "copies": 0,
                        "note": "",
                    }
                ],
            }
        ],
        results="Quyết định giải quyết.",
        legal_bases=[],
        keywords=keywords,
    )


RECORDS = [
    _record("1.000948", GIAY_PHEP_XAY_DUNG, "Xây dựng", "Sở Xây dựng"),
    _record("1.000949", DI_DOI, "Xây dựng", "Sở Xây dựng", level="Toàn trình"),
    _record("2.000100", DAT_DAI, "Đất đai", "Sở Nông nghiệp và Môi trường"),
    _record("2.000200", KINH_DOANH, "Kinh doanh", "Sở Tài chính"),
    _record("1.000300", NFD, "Bảo hiểm y tế", "Bảo hiểm xã hội tỉnh"),
    _record("1.000301", CAN_CUOC, "Bảo hiểm xã hội", "Công an tỉnh"),
    _record("2.000635", HO_TICH, "Hộ tịch", "Sở Tư pháp"),
    _record("1.000400", LAI_XE, "Đường bộ", "Sở Giao thông vận tải"),
    _record("1.000500", SO_DO, "Đất đai", "Văn phòng đăng ký đất đai"),
    _record("1.000600", LOOKALIKE_DAK_LAK, "Khoáng sản", "Sở Công Thương"),
    _record("1.000700", VIEN_CHUC, "Công chức, viên chức", "Sở Nội vụ", keywords="ĐỖ THỊ LẬP"),
    _record("1.000800", KHAI_SINH, "Hộ tịch", "Sở Tư pháp"),
    _record(
        "1.000801",
        TRICH_LUC,
        "Hộ tịch",
        "Sở Tư pháp",
        steps=["Nộp bản sao khai sinh của người yêu cầu.", "Nhận kết quả."],
    ),
    _record("1.000900", CAP_LAI, "Dược", "Sở Y tế"),
    _record("1.000901", LAI_TAU, "Đường thủy", "Sở Giao thông vận tải"),
]


def index_pages(pages) -> None:
    """Index ``pages`` on the configured backend(s), as the sync task does."""
    from search.backends.database import reset_vocabulary
    from search.indexing import sync_pages

    sync_pages([p.pk for p in pages])
    reset_vocabulary()


def build_catalogue(catalogue, tmp_path) -> dict:
    """Import ``RECORDS`` into ``catalogue`` through the native JSON importer and index them on
    the configured backend(s); returns the pages by national code."""
    from services.catalogue.services import catalogue_import
    from services.models import ProcedurePage
    from tests.services.builders import write_json

    report = catalogue_import(source_file=write_json(tmp_path / "danh-muc.json", RECORDS), catalogue=catalogue)
    assert report.written, [(r.line, r.message) for r in report.errors]
    pages = {p.code: p for p in ProcedurePage.objects.child_of(catalogue).specific()}
    assert len(pages) == len(RECORDS)
    index_pages(pages.values())
    return pages


def search(q: str = "", **params):
    """The backend's answer to the query string a citizen would send (``q``, filters, page…).

    Fails when the answer does not come from the configured backend: an Elasticsearch error
    must not pass unnoticed as a silent fallback to the database.
    """
    from django.conf import settings

    from search.queries import SearchParams, search_procedures

    result = search_procedures(SearchParams.from_querydict({"q": q, **params}))
    expected = "elasticsearch" if settings.ELASTICSEARCH_URL else "database"
    assert (result.backend, result.degraded) == (expected, False), "the configured backend did not answer"
    return result


def names(q: str, **params) -> list[str]:
    """Names of every result of ``q`` in rank order (one page of up to 50)."""
    return [hit["name"] for hit in search(q, per_page="50", **params).results]
