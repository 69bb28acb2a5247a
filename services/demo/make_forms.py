"""Write the demo catalogue's form templates (services/demo/forms/*.docx).

Standard library only: each .docx is a minimal WordprocessingML package ([Content_Types].xml,
_rels/.rels, word/document.xml) with the national motto, the form title, the addressee and a few
labelled blank lines. The forms are illustrations written by the team for the demo portal; they
do not replace the official templates annexed to the legal texts.

Run from anywhere:  python services/demo/make_forms.py
The output is deterministic (fixed timestamps), so re-running does not change the files.
"""

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

FORMS_DIR = Path(__file__).resolve().parent / "forms"

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
FOOTNOTE = (
    "Mẫu minh họa của Cổng Dịch vụ công (bản trình diễn); khi nộp hồ sơ chính thức, sử dụng mẫu ban hành "
    "kèm theo văn bản quy phạm pháp luật hiện hành."
)

PERSON = [
    "Họ, chữ đệm, tên người yêu cầu",
    "Số định danh cá nhân",
    "Nơi cư trú",
    "Số điện thoại liên hệ",
]

#: file name -> title (upper case), addressee, labelled fields
FORMS = {
    "to-khai-dang-ky-khai-sinh.docx": {
        "title": "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        "to": "Ủy ban nhân dân xã/phường",
        "fields": PERSON
        + [
            "Quan hệ với người được khai sinh",
            "Họ, chữ đệm, tên người được khai sinh",
            "Ngày, tháng, năm sinh",
            "Giới tính",
            "Dân tộc",
            "Quốc tịch",
            "Nơi sinh",
            "Quê quán",
            "Họ, chữ đệm, tên người mẹ; năm sinh; số định danh cá nhân",
            "Họ, chữ đệm, tên người cha; năm sinh; số định danh cá nhân",
            "Đề nghị cấp bản sao Giấy khai sinh (số bản)",
            "Đề nghị cấp thẻ bảo hiểm y tế cho trẻ (có/không)",
        ],
    },
    "to-khai-dang-ky-ket-hon.docx": {
        "title": "TỜ KHAI ĐĂNG KÝ KẾT HÔN",
        "to": "Ủy ban nhân dân xã/phường",
        "fields": [
            "Họ, chữ đệm, tên bên nữ",
            "Ngày, tháng, năm sinh bên nữ",
            "Số định danh cá nhân bên nữ",
            "Nơi cư trú bên nữ",
            "Kết hôn lần thứ mấy (bên nữ)",
            "Họ, chữ đệm, tên bên nam",
            "Ngày, tháng, năm sinh bên nam",
            "Số định danh cá nhân bên nam",
            "Nơi cư trú bên nam",
            "Kết hôn lần thứ mấy (bên nam)",
            "Chúng tôi cam đoan tự nguyện kết hôn, đủ điều kiện kết hôn theo quy định của pháp luật",
        ],
    },
    "to-khai-dang-ky-khai-tu.docx": {
        "title": "TỜ KHAI ĐĂNG KÝ KHAI TỬ",
        "to": "Ủy ban nhân dân xã/phường",
        "fields": PERSON
        + [
            "Quan hệ với người đã chết",
            "Họ, chữ đệm, tên người đã chết",
            "Ngày, tháng, năm sinh",
            "Số định danh cá nhân của người đã chết",
            "Nơi cư trú cuối cùng",
            "Đã chết vào lúc (giờ, ngày, tháng, năm)",
            "Nơi chết",
            "Nguyên nhân chết",
            "Số Giấy báo tử hoặc giấy tờ thay thế",
        ],
    },
    "to-khai-cap-ban-sao-trich-luc-ho-tich.docx": {
        "title": "TỜ KHAI CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH",
        "to": "Cơ quan đăng ký, quản lý hộ tịch",
        "fields": PERSON
        + [
            "Quan hệ với người được cấp bản sao trích lục",
            "Họ, chữ đệm, tên người có sự kiện hộ tịch",
            "Loại sự kiện (khai sinh, kết hôn, khai tử, ...)",
            "Số, ngày đăng ký và cơ quan đã đăng ký (nếu biết)",
            "Số lượng bản sao đề nghị cấp",
            "Hình thức nhận kết quả (trực tiếp, bưu chính, bản điện tử)",
        ],
    },
    "to-khai-dang-ky-nhan-cha-me-con.docx": {
        "title": "TỜ KHAI ĐĂNG KÝ NHẬN CHA, MẸ, CON",
        "to": "Ủy ban nhân dân xã/phường",
        "fields": [
            "Họ, chữ đệm, tên người nhận",
            "Ngày, tháng, năm sinh; số định danh cá nhân người nhận",
            "Nơi cư trú người nhận",
            "Họ, chữ đệm, tên người được nhận",
            "Ngày, tháng, năm sinh; số định danh cá nhân người được nhận",
            "Nơi cư trú người được nhận",
            "Quan hệ (cha nhận con, mẹ nhận con, con nhận cha, con nhận mẹ)",
            "Tôi cam đoan việc nhận cha, mẹ, con là đúng sự thật, tự nguyện và không có tranh chấp",
        ],
    },
    "to-khai-yeu-cau-cap-phieu-ly-lich-tu-phap.docx": {
        "title": "TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP",
        "to": "Công an tỉnh Lâm Đồng",
        "fields": [
            "Họ, chữ đệm, tên",
            "Tên gọi khác (nếu có)",
            "Giới tính; ngày, tháng, năm sinh",
            "Nơi sinh",
            "Quốc tịch",
            "Số định danh cá nhân / số hộ chiếu",
            "Nơi thường trú; nơi tạm trú",
            "Họ tên cha; họ tên mẹ; họ tên vợ/chồng",
            "Quá trình cư trú của bản thân (từ đủ 14 tuổi)",
            "Loại Phiếu yêu cầu cấp (số 1 / số 2); số lượng",
            "Mục đích sử dụng Phiếu",
        ],
    },
    "to-khai-thay-doi-thong-tin-cu-tru.docx": {
        "title": "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ",
        "to": "Công an xã/phường",
        "fields": PERSON
        + [
            "Ngày, tháng, năm sinh; giới tính",
            "Nội dung đề nghị (đăng ký thường trú, tạm trú, gia hạn tạm trú, ...)",
            "Địa chỉ đề nghị đăng ký",
            "Họ, tên chủ hộ; quan hệ với chủ hộ",
            "Ý kiến đồng ý của chủ hộ / chủ sở hữu chỗ ở hợp pháp",
            "Những thành viên trong hộ gia đình cùng thay đổi",
        ],
    },
    "don-de-nghi-cap-giay-phep-xay-dung.docx": {
        "title": "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG",
        "to": "Ủy ban nhân dân xã/phường",
        "fields": [
            "Tên chủ đầu tư (chủ hộ)",
            "Người đại diện; chức vụ (nếu là tổ chức)",
            "Địa chỉ liên hệ; số điện thoại",
            "Địa điểm xây dựng: lô đất số, diện tích (m²), tại",
            "Loại công trình, cấp công trình",
            "Diện tích xây dựng tầng 1 (m²); tổng diện tích sàn (m²)",
            "Chiều cao công trình (m); số tầng",
            "Tổ chức, cá nhân lập thiết kế",
            "Dự kiến thời gian hoàn thành công trình",
            "Cam kết xây dựng đúng giấy phép được cấp",
        ],
    },
    "giay-de-nghi-dang-ky-ho-kinh-doanh.docx": {
        "title": "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH",
        "to": "Ủy ban nhân dân xã/phường",
        "fields": [
            "Họ, chữ đệm, tên chủ hộ kinh doanh",
            "Số định danh cá nhân",
            "Tên hộ kinh doanh",
            "Địa điểm kinh doanh; số điện thoại; thư điện tử",
            "Ngành, nghề kinh doanh",
            "Vốn kinh doanh (đồng)",
            "Số lượng lao động dự kiến",
            "Thông tin đăng ký thuế",
        ],
    },
    "giay-de-nghi-dang-ky-doanh-nghiep.docx": {
        "title": "GIẤY ĐỀ NGHỊ ĐĂNG KÝ DOANH NGHIỆP",
        "to": "Phòng Đăng ký kinh doanh - Sở Tài chính tỉnh Lâm Đồng",
        "fields": [
            "Loại hình doanh nghiệp",
            "Tên doanh nghiệp viết bằng tiếng Việt",
            "Tên doanh nghiệp viết bằng tiếng nước ngoài; tên viết tắt (nếu có)",
            "Địa chỉ trụ sở chính",
            "Ngành, nghề kinh doanh (mã ngành cấp 4)",
            "Vốn điều lệ (đồng)",
            "Người đại diện theo pháp luật",
            "Chủ sở hữu / thành viên / cổ đông sáng lập",
            "Thông tin đăng ký thuế",
        ],
    },
    "don-de-nghi-doi-cap-lai-giay-phep-lai-xe.docx": {
        "title": "ĐƠN ĐỀ NGHỊ ĐỔI, CẤP LẠI GIẤY PHÉP LÁI XE",
        "to": "Phòng Cảnh sát giao thông - Công an tỉnh Lâm Đồng",
        "fields": [
            "Họ, chữ đệm, tên; ngày, tháng, năm sinh",
            "Số định danh cá nhân",
            "Nơi cư trú",
            "Số giấy phép lái xe; hạng; ngày cấp; cơ quan cấp",
            "Lý do đề nghị (hết hạn, hỏng, mất, thay đổi thông tin, ...)",
            "Hình thức nhận kết quả",
        ],
    },
    "don-dang-ky-dat-dai-tai-san-gan-lien-voi-dat.docx": {
        "title": "ĐƠN ĐĂNG KÝ ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT",
        "to": "Văn phòng Đăng ký đất đai tỉnh Lâm Đồng",
        "fields": [
            "Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất",
            "Số định danh cá nhân; địa chỉ",
            "Thửa đất số; tờ bản đồ số; địa chỉ thửa đất",
            "Diện tích (m²); mục đích sử dụng; thời hạn sử dụng",
            "Nguồn gốc sử dụng đất; thời điểm bắt đầu sử dụng",
            "Tài sản gắn liền với đất (nếu có)",
            "Đề nghị cấp Giấy chứng nhận (có/không)",
        ],
    },
    "don-dang-ky-bien-dong-dat-dai.docx": {
        "title": "ĐƠN ĐĂNG KÝ BIẾN ĐỘNG ĐẤT ĐAI, TÀI SẢN GẮN LIỀN VỚI ĐẤT",
        "to": "Văn phòng Đăng ký đất đai tỉnh Lâm Đồng",
        "fields": [
            "Người sử dụng đất, chủ sở hữu tài sản (sau biến động)",
            "Số định danh cá nhân; địa chỉ",
            "Số phát hành, số vào sổ Giấy chứng nhận đã cấp",
            "Thửa đất số; tờ bản đồ số",
            "Nội dung biến động (chuyển nhượng, thừa kế, tặng cho, ...)",
            "Lý do biến động; giấy tờ kèm theo",
            "Đề nghị cấp Giấy chứng nhận mới (có/không)",
        ],
    },
    "don-de-nghi-cap-giay-phep-ban-le-ruou.docx": {
        "title": "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP BÁN LẺ RƯỢU",
        "to": "Ủy ban nhân dân xã/phường",
        "fields": [
            "Tên thương nhân",
            "Địa chỉ trụ sở; số điện thoại",
            "Mã số doanh nghiệp / số Giấy chứng nhận đăng ký hộ kinh doanh",
            "Địa điểm kinh doanh bán lẻ rượu",
            "Các loại rượu dự kiến kinh doanh",
            "Thương nhân cung cấp rượu",
            "Cam kết thực hiện đúng quy định về kinh doanh rượu",
        ],
    },
    "to-khai-de-nghi-tro-giup-xa-hoi.docx": {
        "title": "TỜ KHAI ĐỀ NGHỊ TRỢ GIÚP XÃ HỘI",
        "to": "Ủy ban nhân dân xã/phường",
        "fields": PERSON
        + [
            "Ngày, tháng, năm sinh; giới tính",
            "Thuộc đối tượng (người cao tuổi, người khuyết tật, trẻ em, ...)",
            "Tình trạng khuyết tật, dạng và mức độ (nếu có)",
            "Đang hưởng chế độ nào khác (lương hưu, trợ cấp, ...)",
            "Nội dung đề nghị (trợ cấp hằng tháng, hỗ trợ chi phí mai táng, ...)",
            "Số tài khoản nhận trợ cấp (nếu có)",
        ],
    },
}

_DATE = (2025, 1, 1, 0, 0, 0)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    "</Relationships>"
)


def _para(text="", *, bold=False, italic=False, center=False, size=None, after=120):
    ppr = f'<w:spacing w:after="{after}"/>' + ('<w:jc w:val="center"/>' if center else "")
    rpr = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>'
    if bold:
        rpr += "<w:b/>"
    if italic:
        rpr += "<w:i/>"
    rpr += f'<w:sz w:val="{size or 26}"/>'
    run = f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f"<w:p><w:pPr>{ppr}</w:pPr>{run}</w:p>"


def document_xml(form: dict) -> str:
    body = [
        _para(MOTTO, bold=True, center=True, after=0),
        _para(MOTTO_2, bold=True, center=True, after=60),
        _para("---------------", center=True, after=240),
        _para(form["title"], bold=True, center=True, size=30, after=240),
        _para(f"Kính gửi: {form['to']}", center=True, after=240),
    ]
    body += [_para(f"{label}: " + "." * max(20, 90 - len(label))) for label in form["fields"]]
    body += [
        _para(after=240),
        _para("…………, ngày …… tháng …… năm ……", italic=True, after=60),
        _para("NGƯỜI YÊU CẦU", bold=True, after=0),
        _para("(Ký, ghi rõ họ, chữ đệm, tên)", italic=True, after=480),
        _para(FOOTNOTE, italic=True, size=20),
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(body)
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="709" w:footer="709" '
        'w:gutter="0"/></w:sectPr></w:body></w:document>'
    )


def write_docx(path: Path, form: dict) -> None:
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("word/document.xml", document_xml(form))]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"))


def main(argv=None) -> int:
    FORMS_DIR.mkdir(exist_ok=True)
    for name, form in FORMS.items():
        write_docx(FORMS_DIR / name, form)
    print(f"{len(FORMS)} form(s) written to {FORMS_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
