"""The receipt of a dossier (Circular 01/2018 form 01): the confirmation page after filing, laid
out to print on A5, and the same receipt as a PDF download.

Only the dossier's applicant in this browser session and staff allowed to view dossiers see it
(``services.dossiers.access``). Anyone else gets the very 404 of an unknown code, so a guessed
code reveals nothing. Responses are never stored by shared caches or the browser's cache.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from services.dossiers.access import has_access
from services.dossiers.receipts import receipt_context, receipt_filename, receipt_pdf, tracking_url
from services.models import Dossier

#: Personal data: no shared cache may keep it, and the browser must not keep a copy on disk.
CACHE_CONTROL = "private, no-store"


def _dossier(request, code: str) -> Dossier:
    """The dossier ``code`` if this request may see it; ``Http404`` alike for a stranger and an unknown code."""
    if not has_access(request, code):
        raise Http404
    return get_object_or_404(
        Dossier.objects.select_related("receiving_agency__parent", "procedure", "status"), code=code
    )


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def dossier_receipt(request, code: str):
    """The confirmation page and printable receipt of dossier ``code`` (HTML, A5 print layout)."""
    dossier = _dossier(request, code)
    context = receipt_context(dossier, tracking_url=tracking_url(dossier.code, request=request))
    context["dossier"] = dossier
    return _private(render(request, "services/receipts/receipt.html", context))


@require_safe
def dossier_receipt_pdf(request, code: str):
    """The receipt of dossier ``code`` as an A5 PDF, downloaded as ``giay-tiep-nhan-<code>.pdf``."""
    dossier = _dossier(request, code)
    pdf = receipt_pdf(dossier, tracking_url=tracking_url(dossier.code, request=request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(dossier.code)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)
