"""What a citizen finds, on both backends: accents, Unicode forms, phrases, codes, synonyms, typos, rank.

Expected results are worked out by hand from the catalogue table in ``tests.search.catalogue``
and the cases (C01–C06); a query's expected set lists every procedure whose folded text holds
every word of the query (or of a synonym's official phrase).
"""

import unicodedata

import pytest

from search.models import SearchSynonym
from search.queries import expand_synonyms, suggest_procedures
from tests.search.catalogue import (
    CAN_CUOC,
    CAP_LAI,
    DAK_LAK,
    DAT_DAI,
    DI_DOI,
    GIAY_PHEP_XAY_DUNG,
    KHAI_SINH,
    KINH_DOANH,
    LAI_TAU,
    LAI_XE,
    SO_DO,
    THE_BHYT,
    TRICH_LUC,
    VIEN_CHUC,
    names,
    search,
)

pytestmark = pytest.mark.django_db


def suggested(q: str) -> list[str]:
    return [s["name"] for s in suggest_procedures(q)]


# -- C01 autocomplete ----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["giấy", "giay", "GIAY", "giấ", "gia"])
def test_autocomplete_suggests_the_procedure_with_or_without_accents(search_catalogue, typed):
    """C01: "giấy" and "giay" (and their prefixes) both suggest "Cấp giấy phép xây dựng"."""
    assert GIAY_PHEP_XAY_DUNG in suggested(typed)


def test_autocomplete_suggests_only_names_with_a_word_starting_so(search_catalogue):
    """C01: "giay p" suggests the three names with a word starting "giay" and one starting "p"."""
    assert set(suggested("giay p")) == {GIAY_PHEP_XAY_DUNG, DI_DOI, LAI_XE}


@pytest.mark.parametrize("typed", ["", " ", "g", "đ", "Đ ", "1"])
def test_autocomplete_of_fewer_than_two_letters_is_empty(search_catalogue, typed):
    """C01: fewer than 2 letters suggest nothing."""
    assert suggest_procedures(typed) == []


def test_autocomplete_over_http(search_catalogue, client):
    """C01: GET /api/search/suggest?q=giay lists "Cấp giấy phép xây dựng" with its code and URL."""
    page = search_catalogue["1.000948"]
    for typed in ("giấy", "giay"):
        response = client.get("/api/search/suggest", {"q": typed})
        assert response.status_code == 200
        hits = {hit["name"]: hit for hit in response.json()}
        assert hits[GIAY_PHEP_XAY_DUNG] == {"code": "1.000948", "name": GIAY_PHEP_XAY_DUNG, "url": page.url}
    assert client.get("/api/search/suggest", {"q": "g"}).json() == []


# -- C02 no accents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "folded, accented, target, expected",
    [
        ("giay phep", "giấy phép", GIAY_PHEP_XAY_DUNG, {GIAY_PHEP_XAY_DUNG, DI_DOI, LAI_XE}),
        # the field "Đất đai" and the agency "Văn phòng đăng ký đất đai" bring in 1.000500
        ("dat dai", "đất đai", DAT_DAI, {DAT_DAI, SO_DO}),
        # the agency "Văn phòng đăng ký đất đai" brings in 1.000500
        ("dang ky", "đăng ký", KINH_DOANH, {KINH_DOANH, KHAI_SINH, SO_DO}),
    ],
)
def test_unaccented_query_finds_the_same_procedures_as_the_accented_one(
    search_catalogue, folded, accented, target, expected
):
    """C02: "giay phep", "dat dai", "dang ky" find their procedure, the same set as with accents."""
    found = names(folded)
    assert target in found
    assert set(found) == expected
    assert set(names(accented)) == expected


# -- C03 NFC / NFD -------------------------------------------------------------------------------


def test_query_typed_in_nfd_finds_the_nfc_title(search_catalogue):
    """C03: "giấy phép" typed decomposed (NFD) finds the NFC title, the same results as NFC."""
    nfd = unicodedata.normalize("NFD", "giấy phép")
    assert nfd != "giấy phép"
    assert names(nfd) == names("giấy phép")
    assert GIAY_PHEP_XAY_DUNG in names(nfd)


def test_title_imported_in_nfd_is_stored_nfc_and_found_by_an_nfc_query(search_catalogue):
    """C03: "Cấp thẻ bảo hiểm y tế" imported as NFD is stored NFC and found by NFC "thẻ bảo hiểm"."""
    assert search_catalogue["1.000300"].title == unicodedata.normalize("NFC", THE_BHYT)
    found = names("thẻ bảo hiểm")
    assert found[0] == THE_BHYT
    # the other card holds all three words too, apart
    assert set(found) == {THE_BHYT, CAN_CUOC}


# -- C04 folding ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["do thi lap", "Đỗ Thị Lập", "ĐỖ THỊ LẬP", "DO THI LAP"])
def test_keywords_with_two_mark_letters_are_found_by_the_folded_query(search_catalogue, query):
    """C04: keywords "ĐỖ THỊ LẬP" are found by "do thi lap" (đ/Đ and letters with two marks)."""
    assert names(query) == [VIEN_CHUC]


def test_title_found_without_its_accents(search_catalogue):
    """C04: "Tuyển dụng viên chức" is found by "tuyen dung vien chuc"."""
    assert names("tuyen dung vien chuc") == [VIEN_CHUC]


# -- C05 look-alike Đ ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Đắk Lắk", "dak lak", "ĐẮK LẮK", "\u00d0ắk Lắk", "\u0189ắk lắk"])
def test_title_with_a_lookalike_d_is_found(search_catalogue, query):
    """C05: "ÐẮK LẮK - Cấp phép" (U+00D0) is found by "Đắk Lắk", by "dak lak" and by look-alike queries."""
    page = search_catalogue["1.000600"]
    assert page.title == DAK_LAK
    assert page.slug == "dak-lak-cap-phep"
    assert names(query) == [DAK_LAK]


# -- C06 phrases ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ['"thẻ bảo hiểm"', '"the bao hiem"', '"THẺ BẢO HIỂM"'])
def test_quoted_phrase_finds_only_the_procedure_with_the_words_together(search_catalogue, query):
    """C06: "thẻ bảo hiểm" in quotes finds only "Cấp thẻ bảo hiểm y tế", not the card that mentions
    "bảo hiểm xã hội"; folded "the" is not dropped as an English stop word."""
    assert names(query) == [THE_BHYT]


def test_quoted_phrase_with_more_words_outside_it(search_catalogue):
    """C06: '"bảo hiểm" căn cước' requires the phrase and the other words: only the identity card."""
    assert names('"bảo hiểm" căn cước') == [CAN_CUOC]
    assert names('"bao hiem" can cuoc') == [CAN_CUOC]


# -- national codes ------------------------------------------------------------------------------


def test_exact_code_puts_its_procedure_first(search_catalogue):
    """Code lookup: "2.000635" puts "Xác nhận thông tin hộ tịch" first."""
    result = search("2.000635")
    assert result.results[0]["code"] == "2.000635"
    assert result.results[0]["name"] == "Xác nhận thông tin hộ tịch"


def test_code_prefix_finds_the_procedure(search_catalogue):
    """Code lookup: the prefix "2.0006" finds 2.000635 (the only code starting so)."""
    assert names("2.0006") == ["Xác nhận thông tin hộ tịch"]


def test_code_prefix_finds_every_code_starting_so(search_catalogue):
    """Code lookup: "1.00094" is the prefix of 1.000948 and 1.000949 only."""
    assert set(names("1.00094")) == {GIAY_PHEP_XAY_DUNG, DI_DOI}


# -- synonyms (migrations search/0002 and 0003) ----------------------------------------------------


@pytest.mark.parametrize("query", ["bằng lái", "bang lai", "GPLX"])
def test_everyday_word_finds_the_official_name(search_catalogue, query):
    """Synonyms: "bằng lái" ("giấy phép lái xe") finds "Đổi giấy phép lái xe" first."""
    assert names(query)[0] == LAI_XE


@pytest.mark.parametrize("query", ["sổ đỏ", "so do"])
def test_so_do_finds_the_land_use_right_certificate(search_catalogue, query):
    """Synonyms: "sổ đỏ" finds the procedure named "… giấy chứng nhận quyền sử dụng đất …"."""
    assert names(query)[0] == SO_DO


@pytest.mark.parametrize("query", ["bìa đỏ", "bia do", "GCNQSDĐ", "gcnqsdd"])
def test_other_names_of_the_land_certificate_find_it(search_catalogue, query):
    """Synonyms (0003): "bìa đỏ" and the one-word abbreviation "GCNQSDĐ" find "Cấp giấy chứng nhận
    quyền sử dụng đất lần đầu" first, as "sổ đỏ" does."""
    assert names(query)[0] == SO_DO


@pytest.mark.parametrize("query", ["chứng minh thư", "CMT"])
def test_old_names_of_the_identity_card_find_the_citizen_identity_card(search_catalogue, query):
    """Synonyms (0003): "chứng minh thư"/"CMT" stand for "căn cước" too: the only procedure
    with "căn cước" in it, "Thẻ căn cước công dân tích hợp …", is found, and nothing else."""
    assert names(query) == [CAN_CUOC]


def test_revised_synonym_keeps_its_first_phrase(search_catalogue):
    """Synonyms (0003 revised "xin phép xây nhà" to add "nhà ở riêng lẻ"): still finds "Cấp giấy
    phép xây dựng" first."""
    assert names("xin phép xây nhà")[0] == GIAY_PHEP_XAY_DUNG


def test_accented_query_expands_only_with_the_terms_own_accents(search_catalogue):
    """Synonyms: "sơ đồ" folds like "sổ đỏ" but does not expand to it."""
    assert expand_synonyms("sơ đồ") == []
    assert "giấy chứng nhận quyền sử dụng đất" in expand_synonyms("so do")
    assert SO_DO not in names("sơ đồ")


def test_synonym_edits_apply_to_the_next_search_without_reindexing(search_catalogue):
    """Synonyms: adding, editing and switching off a synonym takes effect on the next search."""
    assert names("làm nhà") == []  # also caches the synonym table

    synonym = SearchSynonym.objects.create(term="làm nhà", expansions="giấy phép di dời")
    assert names("làm nhà") == [DI_DOI]

    synonym.expansions = "giấy phép lái xe"
    synonym.save()
    assert names("làm nhà") == [LAI_XE]

    synonym.active = False
    synonym.save()
    assert names("làm nhà") == []

    synonym.active = True
    synonym.save()
    assert names("làm nhà") == [LAI_XE]
    synonym.delete()
    assert names("làm nhà") == []


# -- typos ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["giay phep xay dumg", "giấy phép xây dưng", "giay pheo xay dung"])
def test_one_typo_still_finds_the_procedure_first(search_catalogue, query):
    """Typos: "giay phep xay dumg" (m for n) still finds "Cấp giấy phép xây dựng" first."""
    assert names(query)[0] == GIAY_PHEP_XAY_DUNG


# -- ranking -------------------------------------------------------------------------------------


def test_words_in_the_name_rank_above_words_in_the_steps(search_catalogue):
    """Ranking: "khai sinh" is the name of 1.000800 and only a step of 1.000801: 1.000800 first."""
    assert names("khai sinh") == [KHAI_SINH, TRICH_LUC]


def test_exact_accents_rank_above_folded_matches(search_catalogue):
    """Ranking: "lại" (again) and "lái" (drive) fold alike. "Cấp lại chứng chỉ hành nghề" and
    "Cấp chứng chỉ lái phương tiện" both have six words, "Cấp", "chứng chỉ" and one "lai" word
    in the name: only the accents tell them apart, so each accented query puts its own first."""
    again = names("lại")
    drive = names("lái")
    assert set(again) == set(drive) == {CAP_LAI, LAI_TAU, LAI_XE}
    assert again[0] == CAP_LAI
    assert drive.index(LAI_TAU) < drive.index(CAP_LAI)
    assert drive.index(LAI_XE) < drive.index(CAP_LAI)
