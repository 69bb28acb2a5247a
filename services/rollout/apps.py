from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "services.rollout"
    label = "rollout"
    verbose_name = _("Kế hoạch dịch vụ công trực tuyến")
    default_auto_field = "django.db.models.BigAutoField"
