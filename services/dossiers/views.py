"""Citizen views of online filing: the procedure's "Nộp hồ sơ trực tuyến" route and file downloads.

``filing_view`` is served by ``ProcedurePage`` routes (``<procedure>/nop-ho-so/``); receipts and
tracking have their own modules.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from services.dossiers.access import grant_access, has_access
from services.dossiers.forms import FilingForm
from services.dossiers.services import FilingError, dossier_submit
from services.models import DossierAttachment


def filing_view(request, *, procedure, form_id: int | None = None):
    """The online form of ``procedure`` (GET) and its submission (POST).

    Several published forms (one per case) -> the citizen first picks the case. No published
    form, or a level that does not allow online filing -> 404 page explaining where to file.
    A valid POST files the dossier and redirects to its receipt; a second POST of the same
    form (double click, case C16) lands on the same receipt.
    """
    online_forms = list(
        procedure.online_forms.live().select_related("receiving_agency").order_by("case_title", "title")
    )
    context = {"page": procedure, "self": procedure}
    if not procedure.allows_online_filing or not online_forms:
        return render(request, "services/filing/unavailable.html", context, status=404)
    if form_id is None and len(online_forms) > 1:
        return render(request, "services/filing/choose_case.html", {**context, "online_forms": online_forms})
    online_form = next((f for f in online_forms if form_id is None or f.pk == form_id), None)
    if online_form is None:
        raise Http404(_("Không có biểu mẫu này."))

    if request.method == "POST":
        form = FilingForm(request.POST, request.FILES, online_form=online_form)
        if form.is_valid():
            try:
                submission = dossier_submit(
                    form=online_form,
                    applicant=form.applicant(),
                    answers=form.answers(),
                    uploads=form.uploads(),
                    submission_key=form.cleaned_data["submission_key"],
                )
            except FilingError as error:
                form.add_error(None, str(error))
            else:
                dossier = submission.dossier
                # The second POST of a double click proves the same key, not the same person:
                # access is granted only when its id number matches too.
                if submission.created or dossier.applicant_id_number == form.cleaned_data["applicant_id_number"]:
                    grant_access(request, dossier.code)
                if submission.created:
                    messages.success(request, _("Hồ sơ đã được nộp thành công."))
                return redirect(reverse("dossier_receipt", args=[dossier.code]))
    else:
        form = FilingForm(online_form=online_form)
    files_lost = request.method == "POST" and bool(request.FILES)
    return render(
        request,
        "services/filing/filing_form.html",
        {**context, "online_form": online_form, "form": form, "files_lost": files_lost},
    )


@never_cache
def attachment_download(request, code: str, pk: int):
    """A dossier file, for its applicant in this session or authorised staff only; 404 otherwise.

    Sent with its Vietnamese name (RFC 6266 ``filename*``) and the stored content type (C18).
    """
    if not has_access(request, code):
        raise Http404
    attachment = get_object_or_404(DossierAttachment.objects.select_related("dossier"), pk=pk, dossier__code=code)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
