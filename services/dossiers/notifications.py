"""Notifications to applicants: the receipt e-mail sent after an online filing.

``enqueue_receipt_email`` listens to ``services.signals.dossier_submitted`` (sent after the
filing commits) and enqueues ``send_receipt_email``, a django-tasks task, so that SMTP can run
in a task worker. With the immediate backend of ``settings.TASKS`` it still runs in the
citizen's request, after the commit, bounded by ``EMAIL_TIMEOUT``. Neither raises into the
request: failures are logged with the dossier code so that an operator can send it again.
Circular 32/2017 and DOMAIN.md §6: the portal notifies applicants by e-mail.
"""

import logging

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from services.dossiers.receipts import receipt_context, receipt_filename, receipt_pdf, tracking_url
from services.models import Dossier

logger = logging.getLogger(__name__)

#: The receipt is in Vietnamese whatever language the citizen browsed in (Circular 01/2018 form 01).
RECEIPT_LANGUAGE = "vi"


@task()
def send_receipt_email(dossier_id: int, tracking_url: str) -> bool:
    """E-mails the receipt of dossier ``dossier_id`` to its applicant, the PDF attached.

    Args:
        dossier_id: primary key of a filed ``Dossier``.
        tracking_url: absolute public tracking link (``receipts.tracking_url``), in the text and QR.

    Returns True when a message was handed to the e-mail backend, False when there is nothing
    to send (no such dossier, or the applicant gave no e-mail address). A backend error is
    logged and raised again so that the task backend records the failure.
    """
    dossier = (
        Dossier.objects.select_related("receiving_agency__parent", "procedure", "status").filter(pk=dossier_id).first()
    )
    if dossier is None:
        logger.warning("Receipt e-mail: dossier %s no longer exists", dossier_id)
        return False
    if not dossier.applicant_email:
        return False
    with translation.override(RECEIPT_LANGUAGE):
        context = receipt_context(dossier, tracking_url=tracking_url)
        subject = _("Giấy tiếp nhận hồ sơ %(code)s") % {"code": dossier.code}
        text = render_to_string("services/receipts/email.txt", context)
        html = render_to_string("services/receipts/email.html", context)
        pdf = receipt_pdf(dossier, tracking_url=tracking_url)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[dossier.applicant_email])
    message.attach_alternative(html, "text/html")
    message.attach(receipt_filename(dossier.code), pdf, "application/pdf")
    try:
        message.send()
    except Exception:
        logger.exception("Receipt e-mail of dossier %s could not be sent", dossier.code)
        raise
    return True


def enqueue_receipt_email(sender, dossier: Dossier, **kwargs) -> None:
    """Receiver of ``dossier_submitted``: enqueues the receipt e-mail when the applicant gave an address.

    Never raises: the dossier is filed whatever happens to its e-mail, and the citizen still
    has the receipt page and its PDF.
    """
    try:
        if not dossier.applicant_email:
            return
        send_receipt_email.enqueue(dossier.pk, tracking_url(dossier.code))
    except Exception:
        logger.exception("Receipt e-mail of dossier %s could not be enqueued", getattr(dossier, "code", "?"))
