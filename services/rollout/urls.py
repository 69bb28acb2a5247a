"""Public pages of the roll-out plan, mounted at ``/ke-hoach-dich-vu-cong/``."""

from django.urls import path

from services.rollout.views import progress_page

app_name = "rollout"

urlpatterns = [path("", progress_page, name="progress")]
