"""Public pages of the roll-out plan, mounted at ``/ke-hoach-dich-vu-cong/``."""

app_name = "rollout"

urlpatterns = []
