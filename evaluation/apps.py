from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Đánh giá chất lượng")
    default_auto_field = "django.db.models.BigAutoField"
