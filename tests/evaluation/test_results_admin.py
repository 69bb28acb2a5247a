"""Admin recompute / publish pages (/admin/ket-qua-danh-gia/): permission, confirmation, closed period, audit."""

from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from evaluation.models import ResultPeriod
from tests.evaluation.results_builders import first_quarter

pytestmark = pytest.mark.django_db
URL = "/admin/ket-qua-danh-gia/"


@pytest.fixture
def admin_client(client):
    first_quarter()
    user = get_user_model().objects.create_superuser(username="admin", email="a@example.vn", password="x")
    client.force_login(user)
    return client


def test_officer_without_the_permission_is_refused(client):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(username="canbo", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)


@time_machine.travel(date(2026, 4, 5).isoformat() + "T09:00:00+07:00", tick=False)
def test_publish_needs_confirmation_then_publishes_and_logs(admin_client):
    response = admin_client.post(URL, {"year": 2026, "quarter": 1, "action": "publish"}, follow=True)
    assert "Hãy đánh dấu xác nhận" in response.content.decode()
    assert not ResultPeriod.objects.exists()
    response = admin_client.post(URL, {"year": 2026, "quarter": 1, "action": "publish", "confirm": "on"}, follow=True)
    period = ResultPeriod.objects.get()
    assert period.is_published and period.published_by.username == "admin"
    assert "Sở Xây dựng" in response.content.decode()
    actions = set(ModelLogEntry.objects.filter(object_id=str(period.pk)).values_list("action", flat=True))
    assert actions == {"evaluation.results_recompute", "evaluation.results_publish"}


@time_machine.travel(date(2026, 3, 20).isoformat() + "T09:00:00+07:00", tick=False)
def test_open_quarter_can_be_previewed_but_not_published(admin_client):
    response = admin_client.post(URL, {"year": 2026, "quarter": 1, "action": "publish", "confirm": "on"}, follow=True)
    assert "Chỉ công bố được kỳ đã kết thúc" in response.content.decode()
    admin_client.post(URL, {"year": 2026, "quarter": 1, "action": "recompute"})
    assert ResultPeriod.objects.get().status == "computed"


def test_provincial_administrators_may_publish(client):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username="tinh", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Quản trị cấp tỉnh"))
    assert user.has_perm("evaluation.publish_results")


@time_machine.travel(date(2026, 4, 5).isoformat() + "T09:00:00+07:00", tick=False)
def test_period_list_names_who_published_family_name_first(client):
    first_quarter()
    user = get_user_model().objects.create_superuser(
        username="quantri", email="q@example.vn", password="x", first_name="Thị Hà", last_name="Phạm"
    )
    client.force_login(user)
    client.post(URL, {"year": 2026, "quarter": 1, "action": "publish", "confirm": "on"})
    html = client.get(URL).content.decode()
    # last_name "Phạm" + first_name "Thị Hà" -> "Phạm Thị Hà" (get_full_name would give "Thị Hà Phạm").
    assert "Phạm Thị Hà" in html and "Thị Hà Phạm" not in html
