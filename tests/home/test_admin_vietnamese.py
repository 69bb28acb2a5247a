"""The admin officers work in is Vietnamese: Wagtail's and modeladmin's own strings included.

Wagtail 8's Vietnamese catalogue covers a few hundred strings, so the dossier list said "Search
hồ sơ" and "12 out of 12"; ``locale/vendor/vi`` supplies the rest.
"""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "english, vietnamese_word",
    [
        ("Dashboard", "Trang tổng quan"),
        ("Users", "Người dùng"),
        ("Go to the first error", "Đến lỗi đầu tiên"),
        ("Log out", "Đăng xuất"),
    ],
)
def test_wagtail_admin_strings_are_translated(english, vietnamese_word):
    with translation.override("vi"):
        assert translation.gettext(english) == vietnamese_word
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_dossier_list_speaks_vietnamese(client, django_user_model):
    admin = django_user_model.objects.create_superuser("quantri", "qt@example.vn", "x")
    client.force_login(admin)
    page = client.get("/admin/ho-so/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Search hồ sơ" not in page
    assert "Tìm kiếm hồ sơ" in page
