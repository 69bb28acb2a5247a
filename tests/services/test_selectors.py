"""Catalogue listing selectors: citizen filters and pagination."""

import pytest
from django.http import QueryDict

from services.models import AdministrativeTier, Agency, FieldOfWork
from services.selectors import PAGE_SIZE, filter_procedures, live_procedures, procedure_catalogue
from tests.factories import ProcedurePageFactory, agency_role, case, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(catalogue, national_catalogue):
    tiers = {t.code: t for t in AdministrativeTier.objects.all()}
    ho_tich = FieldOfWork.objects.create(name="Hộ tịch")
    dat_dai = FieldOfWork.objects.create(name="Đất đai")
    ubnd_xa = Agency.objects.create(name="UBND xã Tân Hà")
    so_tnmt = Agency.objects.create(name="Sở Tài nguyên và Môi trường")

    def make(title, code, label, tier, field, agency, **kwargs):
        return ProcedurePageFactory(
            parent=kwargs.pop("parent", catalogue),
            title=title,
            code=code,
            online_level=level(label) if label else None,
            tiers=[tiers[tier]],
            fields_of_work=[field],
            agency_roles=[agency_role(agency)],
            cases=[case()],
            **kwargs,
        )

    make("Đăng ký khai sinh", "1.001193", "Một phần", "xa", ho_tich, ubnd_xa)
    make("Đăng ký kết hôn", "1.000894", "Toàn trình", "xa", ho_tich, ubnd_xa)
    make("Trích lục hộ tịch", "2.000635", "Mức độ 2", "xa", ho_tich, ubnd_xa)
    make("Giao đất", "1.000798", "Mức độ 3", "tinh", dat_dai, so_tnmt)
    make("Thu hồi đất", "1.000799", None, "huyen", dat_dai, so_tnmt)
    # Not in the listing: a draft of this catalogue, a procedure of another catalogue.
    make("Bản nháp đất đai", "1.000800", "Toàn trình", "tinh", dat_dai, so_tnmt, live=False)
    make("Thủ tục cấp bộ", "1.000801", "Toàn trình", "tinh", dat_dai, so_tnmt, parent=national_catalogue)
    return catalogue


def titles(context):
    return [p.title for p in context["procedures"]]


def listing(catalogue, query=""):
    return procedure_catalogue(catalogue=catalogue, params=QueryDict(query))


def test_listing_shows_the_live_procedures_of_this_catalogue_only(listed):
    context = listing(listed)
    assert set(titles(context)) == {
        "Giao đất",
        "Thu hồi đất",
        "Trích lục hộ tịch",
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
    }
    assert context["paginator"].count == 5
    assert context["active_filters"] == {}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("field=ho-tich", {"Đăng ký khai sinh", "Đăng ký kết hôn", "Trích lục hộ tịch"}),
        ("field=dat-dai", {"Giao đất", "Thu hồi đất"}),
        ("agency=so-tai-nguyen-va-moi-truong", {"Giao đất", "Thu hồi đất"}),
        ("agency=ubnd-xa-tan-ha", {"Đăng ký khai sinh", "Đăng ký kết hôn", "Trích lục hộ tịch"}),
        ("tier=xa", {"Đăng ký khai sinh", "Đăng ký kết hôn", "Trích lục hộ tịch"}),
        ("tier=huyen", {"Thu hồi đất"}),
        # "Mức độ 3" is the legacy name of một phần (DOMAIN §3).
        ("level=partial", {"Đăng ký khai sinh", "Giao đất"}),
        ("level=full", {"Đăng ký kết hôn"}),
        ("level=information", {"Trích lục hộ tịch"}),
        # Online filing: một phần / toàn trình / Mức độ 3; not Mức độ 2 nor a page without a level.
        ("online=1", {"Đăng ký khai sinh", "Đăng ký kết hôn", "Giao đất"}),
        ("online=1&field=ho-tich", {"Đăng ký khai sinh", "Đăng ký kết hôn"}),
        ("field=ho-tich&tier=tinh", set()),
        ("field=khong-co", set()),
        ("level=mot-muc-do-la", set()),
    ],
)
def test_listing_filters(listed, query, expected):
    assert set(titles(listing(listed, query))) == expected


def test_active_filters_and_filter_query_leave_out_the_page_number(listed):
    context = listing(listed, "field=ho-tich&online=1&page=1")
    assert context["active_filters"] == {"field": "ho-tich", "online": "1"}
    assert QueryDict(context["filter_query"]) == QueryDict("field=ho-tich&online=1")


def test_filter_options_are_those_used_by_live_procedures_of_the_catalogue(listed):
    context = listing(listed)
    assert [f.name for f in context["field_options"]] == ["Hộ tịch", "Đất đai"]
    assert sorted(a.name for a in context["agency_options"]) == ["Sở Tài nguyên và Môi trường", "UBND xã Tân Hà"]


def test_text_filter_matches_name_or_code_prefix(listed):
    assert titles(listing(listed, "q=kết hôn")) == ["Đăng ký kết hôn"]
    assert titles(listing(listed, "q=1.001193")) == ["Đăng ký khai sinh"]


def test_listing_is_in_vietnamese_alphabetical_order(catalogue):
    """ "Ân" (Â) comes before "B" in the Vietnamese alphabet, not after "C" as code points would put it."""
    for code, title in [("1.000001", "Cấp phép khai thác"), ("1.000002", "Ân giảm án"), ("1.000003", "Bảo hiểm y tế")]:
        ProcedurePageFactory(parent=catalogue, title=title, code=code)
    assert titles(listing(catalogue)) == ["Ân giảm án", "Bảo hiểm y tế", "Cấp phép khai thác"]


def test_filter_procedures_works_on_a_plain_dict(listed):
    qs, active = filter_procedures(live_procedures(listed), {"tier": "huyen"})
    assert [p.title for p in qs] == ["Thu hồi đất"]
    assert active == {"tier": "huyen"}


# -- pagination ---------------------------------------------------------------------------------------


@pytest.fixture
def many(catalogue):
    # PAGE_SIZE + 1 procedures: two pages, the second with one procedure.
    for i in range(PAGE_SIZE + 1):
        ProcedurePageFactory(parent=catalogue, title=f"Thủ tục số {i:02d}", code=f"1.{i:06d}")
    return catalogue


def test_second_page_holds_the_remainder(many):
    context = listing(many, "page=2")
    assert context["procedures"].number == 2
    assert titles(context) == [f"Thủ tục số {PAGE_SIZE:02d}"]


@pytest.mark.parametrize("page", ["3", "1001", "999999999999"])
def test_page_out_of_range_returns_the_last_page(many, page):
    """C08 kind: a page past the end is the last page, not an error."""
    context = listing(many, f"page={page}")
    assert context["procedures"].number == 2
    assert len(context["procedures"]) == 1


@pytest.mark.parametrize("page", ["abc", "", "-1.5"])
def test_page_that_is_not_a_number_returns_the_first_page(many, page):
    context = listing(many, f"page={page}")
    assert context["procedures"].number == 1
    assert len(context["procedures"]) == PAGE_SIZE


def test_catalogue_page_over_http_with_a_huge_page_number_is_the_last_page(client, many):
    response = client.get(many.get_url(), {"page": "1001"})
    assert response.status_code == 200
    assert response.context["procedures"].number == 2


def test_catalogue_keyword_filter_ignores_accents(catalogue):
    """The catalogue's keyword box finds "Cấp giấy phép xây dựng" from "giay phep" as well as "giấy phép"."""
    from services.selectors import filter_procedures, live_procedures
    from tests.factories import ProcedurePageFactory

    ProcedurePageFactory(parent=catalogue, title="Cấp giấy phép xây dựng", code="1.000001")
    ProcedurePageFactory(parent=catalogue, title="Đăng ký kinh doanh", code="1.000002")
    for q in ("giay phep", "giấy phép", "GIẤY PHÉP"):
        qs, active = filter_procedures(live_procedures(catalogue), {"q": q})
        assert [p.code for p in qs] == ["1.000001"], q
