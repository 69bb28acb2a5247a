"""Citizen evaluation and published results, mounted at ``/danh-gia/``."""

app_name = "evaluation"

urlpatterns = []
