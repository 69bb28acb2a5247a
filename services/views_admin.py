"""Wagtail admin views: import a catalogue (upload -> dry-run preview -> confirm) and export it.

The views are thin: they stage the upload, call ``catalogue_import`` / ``catalogue_export`` and
render the report. Access needs the ``services.import_catalogue`` permission.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from services.catalogue.readers import ReaderError, detect_format
from services.catalogue.services import catalogue_export, catalogue_import
from services.forms import ConfirmImportForm, ExportForm, ImportForm, stage_upload, staged_path

PREVIEW_ROWS = 300
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
}


def _preview_rows(report):
    """Errors first, then the other rows, at most PREVIEW_ROWS."""
    errors = [r for r in report.rows if r.status == "error"]
    others = [r for r in report.rows if r.status not in ("error", "unchanged")]
    return (errors + others)[:PREVIEW_ROWS]


@permission_required("services.import_catalogue", raise_exception=True)
def import_view(request):
    if request.method == "POST" and "staged" in request.POST:
        return _confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "export_form": ExportForm()}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        staged = stage_upload(upload)
        source = form.cleaned_data["source"] or None
        catalogue = form.cleaned_data["catalogue"]
        try:
            report = catalogue_import(
                source_file=staged_path(staged),
                catalogue=catalogue,
                source=source,
                fmt=detect_format(upload.name),
                dry_run=True,
                user=request.user,
            )
        except ReaderError as exc:
            staged_path(staged).unlink(missing_ok=True)
            form.add_error("file", str(exc))
        else:
            context.update(
                {
                    "report": report,
                    "preview_rows": _preview_rows(report),
                    "confirm_form": ConfirmImportForm(
                        initial={
                            "staged": staged,
                            "original_name": upload.name,
                            "source": report.source,
                            "catalogue": catalogue.pk,
                        }
                    ),
                    "original_name": upload.name,
                    "catalogue": catalogue,
                }
            )
    return TemplateResponse(request, "services/admin/import.html", context)


def _confirm(request):
    form = ConfirmImportForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Không thể xác nhận lần nhập: ") + "; ".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect("services_catalogue_import")
    data = form.cleaned_data
    path = staged_path(data["staged"])
    try:
        report = catalogue_import(
            source_file=path,
            catalogue=data["catalogue"],
            source=data["source"],
            fmt=detect_format(data["original_name"]),
            accept_valid_rows=data["accept_valid_rows"],
            user=request.user,
        )
    finally:
        path.unlink(missing_ok=True)
    if report.written:
        messages.success(
            request, _("Đã nhập %(name)s: %(summary)s") % {"name": data["original_name"], "summary": report.summary()}
        )
    else:
        messages.error(request, report.aborted_reason or _("Không ghi gì."))
    return TemplateResponse(
        request,
        "services/admin/import.html",
        {"form": ImportForm(), "export_form": ExportForm(), "result": report, "preview_rows": _preview_rows(report)},
    )


@permission_required("services.import_catalogue", raise_exception=True)
def export_view(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Chọn danh mục và định dạng để xuất."))
        return redirect("services_catalogue_import")
    catalogue, fmt = form.cleaned_data["catalogue"], form.cleaned_data["format"]
    response = HttpResponse(catalogue_export(catalogue=catalogue, fmt=fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="danh-muc-{catalogue.slug}.{fmt}"'
    return response


@permission_required("services.add_onlineserviceform", raise_exception=True)
def online_form_from_procedure_view(request, page_id: int):
    """Creates draft online forms for a procedure from its catalogue record (one per case without one).

    GET shows what will be created; POST creates the drafts (never published here: an editor
    reviews and publishes, case C14) and opens the first for editing.
    """
    from django.shortcuts import get_object_or_404
    from django.urls import reverse

    from services.dossiers.services import online_form_draft_from_procedure
    from services.models import OnlineServiceForm, ProcedurePage

    procedure = get_object_or_404(ProcedurePage, pk=page_id)
    cases = [block.value.get("title") or "" for block in procedure.cases] or [""]
    existing = set(OnlineServiceForm.objects.filter(procedure=procedure).values_list("case_title", flat=True))
    missing = [title for title in cases if title not in existing]
    if request.method == "POST" and missing:
        created = []
        for case_title in missing:
            form = online_form_draft_from_procedure(procedure=procedure, case_title=case_title)
            form.live = False
            form.save()
            form.save_revision(user=request.user)
            created.append(form)
        messages.success(
            request,
            _("Đã tạo %(n)s biểu mẫu nháp từ thành phần hồ sơ; kiểm tra rồi xuất bản để người dân sử dụng.")
            % {"n": len(created)},
        )
        return redirect(reverse("wagtailsnippets_services_onlineserviceform:edit", args=[created[0].pk]))
    return TemplateResponse(
        request,
        "services/admin/online_form_from_procedure.html",
        {"procedure": procedure, "missing": missing, "existing": sorted(existing)},
    )
