"""Catalogue pages: where they can be created, rendering, the online-filing button, slugs from the
admin editor (C09) and a constant number of queries per procedure page."""

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from home.models import GuidanceIndexPage, HomePage
from services.catalogue.services import catalogue_get_or_create, catalogue_import
from services.models import AdministrativeTier, ProcedureIndexPage, ProcedurePage
from tests.factories import (
    AgencyFactory,
    FieldOfWorkFactory,
    ProcedurePageFactory,
    SubjectFactory,
    agency_role,
    case,
    level,
)
from tests.services.builders import native_record, write_json

ONLINE_BUTTON = "Nộp hồ sơ trực tuyến"


class ActiveControls(HTMLParser):
    """Text of every usable link or button (not ``disabled`` / ``aria-disabled``) in a page."""

    def __init__(self):
        super().__init__()
        self.controls: list[str] = []
        self._open: list[tuple[str, bool, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("a", "button"):
            return
        attrs = dict(attrs)
        usable = attrs.get("aria-disabled") != "true" and "disabled" not in attrs
        if tag == "a":
            usable = usable and bool(attrs.get("href"))
        self._open.append((tag, usable, []))

    def handle_data(self, data):
        for _tag, _usable, texts in self._open:
            texts.append(data)

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            _tag, usable, texts = self._open.pop()
            if usable:
                self.controls.append(" ".join("".join(texts).split()))


def usable_controls(html: str) -> list[str]:
    parser = ActiveControls()
    parser.feed(html)
    return parser.controls


def has_online_button(html: str) -> bool:
    return any(ONLINE_BUTTON in text for text in usable_controls(html))


# -- page tree rules -------------------------------------------------------------------------------


class CataloguePageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()
        cls.catalogue = ProcedureIndexPage(title="Thủ tục hành chính", slug="thu-tuc-hanh-chinh")
        cls.home.add_child(instance=cls.catalogue)
        cls.procedure = ProcedurePageFactory(
            parent=cls.catalogue,
            title="Cấp giấy phép xây dựng",
            slug="cap-giay-phep-xay-dung",
            code="1.000948",
            online_level=level("Một phần"),
            cases=[case()],
        )

    def test_catalogue_can_be_created_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, ProcedureIndexPage)

    def test_procedure_can_be_created_only_under_a_catalogue(self):
        self.assertCanCreateAt(ProcedureIndexPage, ProcedurePage)
        self.assertCanNotCreateAt(HomePage, ProcedurePage)
        self.assertCanNotCreateAt(GuidanceIndexPage, ProcedurePage)
        self.assertCanNotCreateAt(ProcedurePage, ProcedurePage)
        self.assertAllowedParentPageTypes(ProcedurePage, {ProcedureIndexPage})

    def test_catalogue_holds_only_procedures_and_lives_only_under_the_home_page(self):
        self.assertAllowedSubpageTypes(ProcedureIndexPage, {ProcedurePage})
        self.assertAllowedParentPageTypes(ProcedureIndexPage, {HomePage})
        self.assertCanNotCreateAt(Page, ProcedureIndexPage)

    def test_catalogue_and_procedure_pages_render(self):
        self.assertPageIsRenderable(self.catalogue)
        self.assertPageIsRenderable(self.procedure)

    def test_procedure_page_can_be_created_through_the_admin_form(self):
        self.login()
        data = nested_form_data(
            {
                "title": "Đăng ký kinh doanh",
                "slug": "dang-ky-kinh-doanh",
                "code": "2.000100",
                "cases": streamfield([]),
                "legal_bases": streamfield([]),
                "decisions": streamfield([]),
                "agency_roles": inline_formset([]),
                "related_codes": "[]",
            }
        )
        self.assertCanCreate(self.catalogue, ProcedurePage, data)


# -- rendering and the online-filing button --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "can_file_online"),
    [
        ("Toàn trình", True),
        ("Một phần", True),
        ("Mức độ 4", True),
        ("Mức độ 3", True),
        ("Còn lại", False),
        ("Mức độ 2", False),
        ("Mức độ 1", False),
        (None, False),
    ],
)
def test_online_filing_button_only_when_the_level_allows_online_filing(client, catalogue, label, can_file_online):
    """DOMAIN §3: level 3 -> một phần, 4 -> toàn trình (online); 1–2 and "Còn lại" information only.

    The procedure has a published online form in every case: only the level decides here.
    """
    from tests.services.dossier_builders import publish_form, receiving_agency

    page = ProcedurePageFactory(
        parent=catalogue,
        title="Thủ tục có mức độ",
        code="1.000001",
        online_level=level(label) if label else None,
        cases=[case()],
        agency_roles=[agency_role(receiving_agency())],
    )
    publish_form(page)
    response = client.get(page.get_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thủ tục có mức độ" in html
    assert has_online_button(html) is can_file_online


@pytest.mark.django_db
def test_no_online_filing_button_without_a_published_form(client, catalogue):
    """An online level is not enough: with no published form (C14) the page offers no filing."""
    page = ProcedurePageFactory(
        parent=catalogue,
        title="Thủ tục chưa có biểu mẫu",
        code="1.000002",
        online_level=level("Toàn trình"),
        cases=[case()],
    )
    html = client.get(page.get_url()).content.decode()
    assert not has_online_button(html)


@pytest.mark.django_db
def test_procedure_page_shows_code_steps_channels_and_fees(client, catalogue):
    page = ProcedurePageFactory(
        parent=catalogue,
        title="Cấp giấy phép xây dựng",
        code="1.000948",
        online_level=level("Một phần"),
        cases=[case(steps=2, channels=("in_person", "post"), components=1)],
    )
    html = client.get(page.get_url()).content.decode()
    assert "1.000948" in html
    assert "việc thứ 1." in html and "việc thứ 2." in html
    assert "Giấy tờ số 1" in html
    # 50000 VND written the Vietnamese way: "." groups thousands.
    assert "50.000" in html


# -- C09: slugs from the admin editor and from the importer ----------------------------------------


def _admin_add_data(title: str, slug: str) -> dict:
    """The add-page form as the admin sends it. ProcedurePage's title is a plain FieldPanel (no
    ``w-sync`` to the slug), so Wagtail's JS leaves the slug as the editor typed it: empty here."""
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "code": "1.000948",
            "cases": streamfield([]),
            "legal_bases": streamfield([]),
            "decisions": streamfield([]),
            "agency_roles": inline_formset([]),
            "related_codes": "[]",
            "action-publish": "action-publish",
        }
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Cấp giấy phép xây dựng", "cap-giay-phep-xay-dung"),
        ("Đăng ký kinh doanh", "dang-ky-kinh-doanh"),
        ("Thủ tục đất đai", "thu-tuc-dat-dai"),
    ],
)
def test_admin_editor_with_an_empty_slug_saves_the_transliterated_slug(admin_client, catalogue, title, slug):
    """C09 from the admin editor: the editor leaves the slug empty."""
    url = f"/admin/pages/add/services/procedurepage/{catalogue.pk}/"
    response = admin_client.post(url, _admin_add_data(title, ""))
    assert response.status_code == 302, "the admin form was rejected (slug required?)"
    page = ProcedurePage.objects.child_of(catalogue).get(code="1.000948")
    assert page.slug == slug
    assert page.live


@pytest.mark.django_db
def test_admin_editor_slug_is_unique_among_siblings(admin_client, catalogue):
    ProcedurePageFactory(
        parent=catalogue, title="Cấp giấy phép xây dựng", slug="cap-giay-phep-xay-dung", code="1.000001"
    )
    url = f"/admin/pages/add/services/procedurepage/{catalogue.pk}/"
    response = admin_client.post(url, _admin_add_data("Cấp giấy phép xây dựng", ""))
    assert response.status_code == 302
    page = ProcedurePage.objects.child_of(catalogue).get(code="1.000948")
    assert page.slug != "cap-giay-phep-xay-dung"
    assert page.slug.startswith("cap-giay-phep-xay-dung")


@pytest.mark.django_db
def test_admin_editor_keeps_a_slug_the_editor_typed(admin_client, catalogue):
    url = f"/admin/pages/add/services/procedurepage/{catalogue.pk}/"
    response = admin_client.post(url, _admin_add_data("Cấp giấy phép xây dựng", "giay-phep-xay-dung"))
    assert response.status_code == 302
    assert ProcedurePage.objects.child_of(catalogue).get(code="1.000948").slug == "giay-phep-xay-dung"


@pytest.mark.django_db
def test_importer_gives_the_same_slug_as_the_admin_editor(catalogue, tmp_path):
    """C09 from the importer: same title, same slug."""
    catalogue_import(
        source_file=write_json(tmp_path / "mot.json", [native_record("1.000948", "Cấp giấy phép xây dựng")]),
        catalogue=catalogue,
    )
    assert ProcedurePage.objects.child_of(catalogue).get(code="1.000948").slug == "cap-giay-phep-xay-dung"


@pytest.mark.django_db
def test_page_saved_in_code_with_an_empty_slug_gets_the_transliterated_slug(catalogue):
    page = ProcedurePage(title="Thủ tục đất đai", code="1.000002")
    catalogue.add_child(instance=page)
    assert page.slug == "thu-tuc-dat-dai"


# -- constant number of queries ----------------------------------------------------------------------


def _document(name):
    return get_document_model().objects.create(title=name, file=ContentFile(b"PK\x03\x04 mau don", name=name))


def _procedure(catalogue, *, code, n_cases, n_components, channels, n_agencies, related, document):
    tiers = list(AdministrativeTier.objects.filter(code__in=["tinh", "xa"]))
    return ProcedurePageFactory(
        parent=catalogue,
        title=f"Thủ tục {code}",
        code=code,
        online_level=level("Một phần"),
        tiers=tiers[: 1 if n_cases == 1 else 2],
        fields_of_work=FieldOfWorkFactory.create_batch(1 if n_cases == 1 else 2),
        subjects=SubjectFactory.create_batch(1 if n_cases == 1 else 3),
        agency_roles=[
            agency_role(AgencyFactory(), role, i)
            for i, role in enumerate(["implementing", "competent", "coordinating"][:n_agencies])
        ],
        cases=[
            case(
                title=f"Trường hợp {i + 1}" if n_cases > 1 else "",
                steps=3,
                channels=channels,
                components=n_components,
                document=document,
            )
            for i in range(n_cases)
        ],
        legal_bases=[
            {
                "type": "legal_basis",
                "value": {
                    "number": f"{i}/2021/NĐ-CP",
                    "title": "Nghị định",
                    "date_issued": "2021-03-24",
                    "issuer": "Chính phủ",
                },
            }
            for i in range(1, n_cases + 1)
        ],
        decisions=[
            {"type": "decision", "value": {"number": f"{i}/QĐ-UBND", "date_issued": "2024-05-31"}}
            for i in range(1, n_cases + 1)
        ],
        related_codes=related,
    )


@pytest.mark.django_db
def test_procedure_page_queries_do_not_grow_with_cases_components_and_channels(client, catalogue):
    document = _document("to-khai.docx")
    for code in ("9.000001", "9.000002", "9.000003"):
        ProcedurePageFactory(parent=catalogue, title=f"Thủ tục liên quan {code}", code=code)
    small = _procedure(
        catalogue,
        code="1.000001",
        n_cases=1,
        n_components=1,
        channels=("in_person",),
        n_agencies=1,
        related=["9.000001"],
        document=document,
    )
    large = _procedure(
        catalogue,
        code="1.000002",
        n_cases=5,
        n_components=6,
        channels=("in_person", "online", "post"),
        n_agencies=3,
        related=["9.000001", "9.000002", "9.000003"],
        document=document,
    )
    assert small.is_complete and large.is_complete  # same template branches on both pages

    client.get(small.get_url())  # warm the site-root cache
    with CaptureQueriesContext(connection) as small_queries:
        small_response = client.get(small.get_url())
    with CaptureQueriesContext(connection) as large_queries:
        large_response = client.get(large.get_url())

    assert small_response.status_code == large_response.status_code == 200
    large_html = large_response.content.decode()
    assert large_html.count("Giấy tờ số 6") == 5  # every case's components were rendered
    assert "Thủ tục liên quan 9.000003" in large_html
    assert len(large_queries) == len(small_queries), "\n".join(q["sql"] for q in large_queries.captured_queries)


# -- catalogue listing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_page_out_of_range_shows_the_last_page(client, catalogue):
    """C08 kind on the listing: page 1001 is the last page, never a 500."""
    for i in range(3):
        ProcedurePageFactory(parent=catalogue, title=f"Thủ tục số {i}", code=f"1.00000{i}")
    response = client.get(catalogue.get_url(), {"page": "1001"})
    assert response.status_code == 200
    assert response.context["procedures"].number == 1
    response = client.get(catalogue.get_url(), {"page": "abc"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_catalogue_created_by_the_service_lives_under_the_home_page(db):
    catalogue = catalogue_get_or_create(scope="national")
    assert isinstance(catalogue.get_parent().specific, HomePage)
    assert catalogue.slug == "thu-tuc-quoc-gia"
    assert catalogue.live
