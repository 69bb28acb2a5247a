"""Vietnamese text normalisation: NFC, look-alike Đ, placeholders, folding and slugs."""

import unicodedata

import pytest

from services.text import clean_value, fold, normalize_text, slugify_vi

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


# -- fold ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Đất đai", "dat dai"),
        ("ĐỖ THỊ LẬP", "do thi lap"),
        ("Tuyển dụng viên chức", "tuyen dung vien chuc"),
    ],
)
def test_fold_removes_every_mark_and_maps_d_stroke(value, expected):
    """C04: đ/Đ become d, letters with two marks (ỗ, ậ, ể) lose both."""
    assert fold(value) == expected


def test_fold_gives_the_same_text_for_nfd_input():
    """C03: a decomposed title folds to the same key as the composed one."""
    decomposed = NFD("Cấp thẻ bảo hiểm y tế")
    assert decomposed != "Cấp thẻ bảo hiểm y tế"  # the input really is NFD
    assert fold(decomposed) == "cap the bao hiem y te"


@pytest.mark.parametrize("lookalike", ["\u00d0", "\u0189"])
def test_fold_treats_lookalike_capital_d_as_d(lookalike):
    """C05: ETH (U+00D0) and AFRICAN D (U+0189) in "ÐẮK LẮK" fold like Đ."""
    assert fold(f"{lookalike}ẮK LẮK") == "dak lak"


def test_fold_keeps_letters_without_marks_and_lowercases():
    assert fold("Mức độ 4 - THỦ TỤC") == "muc do 4 - thu tuc"


# -- normalize_text ------------------------------------------------------------------------------


def test_normalize_text_composes_nfd_to_nfc():
    """C03: a title stored NFD is saved NFC."""
    expected = "Cấp thẻ bảo hiểm y tế"
    result = normalize_text(NFD(expected))
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)
    # "ấ" is one code point in NFC, three in NFD.
    assert len(result) == len(expected)


@pytest.mark.parametrize("lookalike", ["\u00d0", "\u0189"])
def test_normalize_text_maps_lookalike_capital_d_to_vietnamese_d(lookalike):
    """C05: U+00D0 / U+0189 become U+0110 (Đ), so "ÐẮK LẮK" equals "ĐẮK LẮK"."""
    result = normalize_text(f"{lookalike}ẮK LẮK - Cấp phép")
    assert result == "\u0110ẮK LẮK - Cấp phép"
    assert result[0] == "Đ"


def test_normalize_text_maps_lowercase_eth_to_d_stroke():
    assert normalize_text("\u00f0ất đai") == "đất đai"


def test_normalize_text_folds_spaces_but_keeps_line_breaks():
    text = "  Bước 1:\u00a0 Nộp\thồ sơ  \r\nBước 2:   Nhận kết quả \r\n"
    assert normalize_text(text) == "Bước 1: Nộp hồ sơ\nBước 2: Nhận kết quả"


def test_normalize_text_collapses_runs_of_blank_lines_to_one():
    assert normalize_text("Dòng một\n\n\n\nDòng hai") == "Dòng một\n\nDòng hai"


def test_normalize_text_removes_byte_order_mark_and_zero_width_characters():
    """C10: a BOM glued to the first header cell must not survive."""
    assert normalize_text("\ufeffma_thu_tuc") == "ma_thu_tuc"
    assert normalize_text("giấy\u200dphép") == "giấyphép"


@pytest.mark.parametrize("empty", [None, "", "   ", "\n\n"])
def test_normalize_text_of_nothing_is_empty_text(empty):
    assert normalize_text(empty) == ""


# -- clean_value ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "placeholder",
    [
        "NOINFO",
        "noinfo",
        "Không có thông tin",
        "Không có thông tin đối tượng thực hiện.",
        "Không có thông tin tên mẫu đơn, tờ khai.",
        "  Không có thông tin yêu cầu, điều kiện.  ",
        NFD("Không có thông tin đối tượng thực hiện."),
    ],
)
def test_clean_value_turns_crawler_placeholders_into_empty_text(placeholder):
    assert clean_value(placeholder) == ""


def test_clean_value_keeps_real_values_normalised():
    assert clean_value(NFD("  Công dân Việt Nam ")) == "Công dân Việt Nam"
    # A value that merely contains the sentinel is a value.
    assert clean_value("Mã NOINFO trên cổng cũ") == "Mã NOINFO trên cổng cũ"


# -- slugify_vi ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Cấp giấy phép xây dựng", "cap-giay-phep-xay-dung"),
        ("Đăng ký kinh doanh", "dang-ky-kinh-doanh"),
        ("Thủ tục đất đai", "thu-tuc-dat-dai"),
    ],
)
def test_slugify_vi_transliterates_vietnamese_titles(title, slug):
    """C09: the importer and the editor share this slug rule."""
    assert slugify_vi(title) == slug


@pytest.mark.parametrize("lookalike", ["\u00d0", "\u0189"])
def test_slugify_vi_of_lookalike_d_title(lookalike):
    """C05: "ÐẮK LẮK - Cấp phép" with U+00D0 / U+0189 -> dak-lak-cap-phep."""
    assert slugify_vi(f"{lookalike}ẮK LẮK - Cấp phép") == "dak-lak-cap-phep"


def test_slugify_vi_of_nfd_title_equals_slug_of_nfc_title():
    """C03 + C09: a decomposed title gets the same slug."""
    assert slugify_vi(NFD("Cấp giấy phép xây dựng")) == "cap-giay-phep-xay-dung"


def test_slugify_vi_cuts_at_a_word_boundary():
    # "cap-giay-phep" is 13 characters: over 12, so the cut falls before "phep".
    assert slugify_vi("Cấp giấy phép xây dựng", max_length=12) == "cap-giay"
    assert len(slugify_vi("Thủ tục " * 40, max_length=80)) <= 80
