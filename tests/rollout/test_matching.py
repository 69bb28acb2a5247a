"""Matching national-list items to catalogue procedures (issue 7 item 1): keys, scores, thresholds."""

import pytest

from services.rollout import services as rollout
from services.rollout.matching import Matcher, base_code, match_key, name_score
from services.rollout.models import NationalMandate
from services.rollout.services import RolloutError
from tests.rollout.builders import aggregator, mandate, procedure


def test_match_key_folds_accents_drops_thu_tuc_and_punctuation():
    assert match_key("Thủ tục Đăng ký khai sinh.") == "dang ky khai sinh"
    # Decomposed (NFD) input and the look-alike Đ (U+0110 vs U+00D0) give the same key.
    assert match_key("\u00d0a\u0306ng ky\u0301 ke\u0302\u0301t ho\u0302n") == "dang ky ket hon"
    assert base_code("1.000948.000.00.00.H36") == "1.000948" and base_code("Mục 3") == ""


def test_name_scores_worked_by_hand():
    # Same words: 100. A list name contained in a longer catalogue name: 90.
    assert name_score("dang ky khai sinh", "dang ky khai sinh") == 100
    assert name_score("cap phieu ly lich tu phap", "cap phieu ly lich tu phap cho cong dan viet nam") == 90
    # Containment only from the list's side: the list item is more specific here.
    assert name_score("cap giay phep lai xe quoc te", "cap lai giay phep lai xe") < 90
    # "dang ky ket hon" vs "dang ky khai sinh": Indel similarity of the sorted strings
    # 2 * 9 matching characters / (15 + 17) = 56.25.
    assert name_score("dang ky ket hon", "dang ky khai sinh") == pytest.approx(56.25)
    # With accents, "hộ" (household) is not "hỗ" (support): no containment; folded it would be 90.
    long_name = "Sáp nhập, chia, tách trung tâm hỗ trợ phát triển giáo dục hòa nhập"
    assert name_score("Tách hộ", long_name) < 75
    assert name_score("tach ho", long_name) == 90


@pytest.fixture
def small_catalogue(catalogue):
    return {
        "khai_sinh": procedure(catalogue, code="1.001193", title="Thủ tục đăng ký khai sinh", slug="ks"),
        "lai_khai_sinh": procedure(catalogue, code="1.004884", title="Thủ tục đăng ký lại khai sinh", slug="lks"),
        "thuong_tru": procedure(catalogue, code="1.004222", title="Đăng ký thường trú", slug="tt"),
        "tam_tru": procedure(catalogue, code="1.004194", title="Đăng ký tạm trú", slug="tamtru"),
        "lai_xe": procedure(catalogue, code="3.000348", title="Cấp lại giấy phép lái xe", slug="lx"),
    }


@pytest.mark.django_db
def test_matcher_thresholds(small_catalogue):
    m = Matcher()
    # By code: wins over any name, even a long provincial instance code.
    r = m.match(service_name="Tên khác hẳn", procedure_code="1.004222.000.00.00.H36")
    assert (r.procedure_id, r.method, r.automatic) == (small_catalogue["thuong_tru"].pk, "code", True)
    # 100 for "khai sinh", 90 for "lại khai sinh" (contains every word): 100 >= 95, lead 10 >= 3: automatic.
    r = m.match(service_name="Đăng ký khai sinh")
    assert (r.procedure_id, r.method, float(r.score), r.automatic) == (
        small_catalogue["khai_sinh"].pk,
        "name",
        100.0,
        True,
    )
    # "Cấp giấy phép lái xe quốc tế" against "Cấp lại giấy phép lái xe": a suggestion at most, never automatic.
    r = m.match(service_name="Cấp giấy phép lái xe quốc tế")
    assert r.automatic is False
    # Contained in a longer name: 90 < 95, a suggestion for a person to confirm.
    r = m.match(service_name="Đăng ký lại")
    assert (r.procedure_id, float(r.score), r.automatic) == (small_catalogue["lai_khai_sinh"].pk, 90.0, False)
    # Nothing close: no match.
    r = m.match(service_name="Cấp giấy phép hoạt động điện lực")
    assert (r.procedure_id, r.method) == (None, "none")


@pytest.mark.django_db
def test_rematching_keeps_confirmed_and_manual_matches(small_catalogue):
    user = aggregator()
    item = mandate(None, name="Đăng ký khai sinh")
    other = mandate(None, item="2", name="Cấp giấy phép lái xe quốc tế")
    assert rollout.mandates_match() == 2
    item.refresh_from_db()
    other.refresh_from_db()
    assert (item.matched_procedure_id, item.is_settled, item.needs_review) == (
        small_catalogue["khai_sinh"].pk,
        True,
        True,
    )
    # The reviewer says the second has no procedure in the catalogue; a rematch leaves it so.
    rollout.mandate_confirm(mandate=other, user=user, no_match=True)
    # ... and picks another procedure for the first by hand.
    rollout.mandate_confirm(mandate=item, user=user, procedure=small_catalogue["lai_khai_sinh"])
    assert rollout.mandates_match() == 0
    item = NationalMandate.objects.get(pk=item.pk)
    assert (item.matched_procedure_id, item.match_method, item.match_confirmed_by) == (
        small_catalogue["lai_khai_sinh"].pk,
        "manual",
        user,
    )
    other = NationalMandate.objects.get(pk=other.pk)
    assert (other.matched_procedure_id, other.match_method, other.needs_review) == (None, "none", False)


@pytest.mark.django_db
def test_confirming_nothing_is_refused(small_catalogue):
    item = mandate(None, name="Không có gì")
    with pytest.raises(RolloutError, match="Chưa có thủ tục"):
        rollout.mandate_confirm(mandate=item, user=aggregator())
