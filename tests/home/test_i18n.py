"""The interface speaks the visitor's language: Vietnamese by default, English from locale/en.

The English catalogue is compiled to locale/en/LC_MESSAGES/django.mo (committed), so these
tests also fail when the .mo is missing or stale. Procedure content is data and stays Vietnamese.
"""

import pytest
from django.utils import translation

# (language, nav item of the procedure catalogue, home page heading, catalogue filter heading)
LABELS = {
    "en": ("Administrative procedures", "Which procedure do you need?", "Filter procedures"),
    "vi": ("Thủ tục hành chính", "Bạn cần làm thủ tục gì?", "Lọc thủ tục"),
}


@pytest.fixture(autouse=True)
def _reset_language():
    """LocaleMiddleware activates the request's language in this thread; do not leak it."""
    yield
    translation.deactivate()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "vi"])
def test_home_page_labels_follow_accept_language(client, catalogue, language):
    nav_item, heading, _ = LABELS[language]
    other_nav_item, other_heading, _ = LABELS["vi" if language == "en" else "en"]

    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f'href="{catalogue.url}"' in html
    assert nav_item in html
    assert heading in html
    assert other_heading not in html
    if language == "en":
        # "Thủ tục hành chính" may still appear as page data (the catalogue's title), not as the label.
        assert f">{other_nav_item}</a>" not in html.split('class="main-nav"')[1].split("</nav>")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "vi"])
def test_catalogue_labels_follow_accept_language(client, catalogue, language):
    filter_heading = LABELS[language][2]
    other_filter_heading = LABELS["vi" if language == "en" else "en"][2]

    response = client.get(catalogue.url, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    html = response.content.decode()
    assert filter_heading in html
    assert other_filter_heading not in html


def test_english_catalogue_translates_plurals_and_units():
    from services.templatetags.procedure_tags import time_limit, vnd

    with translation.override("en"):
        assert time_limit({"time_limit": 1, "time_unit": "working_days"}) == "1 working day"
        assert time_limit({"time_limit": 5, "time_unit": "working_days"}) == "5 working days"
        assert vnd(0) == "Free of charge"
    with translation.override("vi"):
        assert time_limit({"time_limit": 5, "time_unit": "working_days"}) == "5 ngày làm việc"
        assert vnd(0) == "Miễn phí"
