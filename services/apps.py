from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Thủ tục hành chính")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from services import signal_handlers  # noqa: F401
        from services.dossiers.notifications import enqueue_receipt_email
        from services.signals import dossier_submitted

        dossier_submitted.connect(enqueue_receipt_email, dispatch_uid="services.dossiers.receipt_email")
