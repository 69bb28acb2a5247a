"""Back-office views of the one-stop system in the Wagtail admin (``/admin/ho-so/…``).

The dossier list is the ``DossierAdmin`` modeladmin (``services/wagtail_hooks.py``); these are
the pages around it: the dossier page with its timeline and the forms of the actions the
officer may take, admin-scoped file downloads, the printed forms 01–06, counter/postal intake
and the inbox of consultations addressed to the officer's agency.

Every dossier is looked up through ``selectors.dossier_for_user``: another agency's dossier
answers 404 like an unknown code. The views are thin: writes go through
``services.dossiers.workflow`` (``perform``, ``dossier_intake``, ``consultation_answer``), which
check scope and permission again; a ``WorkflowError`` becomes a Wagtail error message, a
``PermissionDenied`` a 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from wagtail.admin import messages
from wagtail_modeladmin.views import IndexView

from services.dossiers import backoffice, workflow
from services.dossiers.admin_forms import (
    ActionForm,
    ConsultationAnswerForm,
    IntakeForm,
    LedgerForm,
    ProcedureSearchForm,
)
from services.dossiers.resources import CONTENT_TYPES as EXPORT_CONTENT_TYPES
from services.dossiers.resources import dossier_export
from services.dossiers.selectors import dossier_for_user, dossiers_for_user
from services.models import Agency, Channel, ProcedurePage
from services.text import fold
from services.workdays import LOCAL_TZ

#: Labels of audit-trail actions that are not workflow transitions.
EVENT_LABELS = {
    "submit": gettext_lazy("Nộp hồ sơ trực tuyến"),
    "consultation_answer": gettext_lazy("Trả lời xin ý kiến"),
}

#: Printed form number → the workflow action whose event it prints (forms 02–04).
EVENT_FORMS = {"02": "request_supplement", "03": "refuse", "04": "apologise"}
FORM_TITLES = {
    "01": gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "04": gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "05": gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "06": gettext_lazy("Sổ theo dõi hồ sơ"),
}

#: The modeladmin list of ``DossierAdmin`` (``base_url_path = "ho-so"``): ``/admin/ho-so/``.
DOSSIER_INDEX_URL_NAME = "ho-so_modeladmin_index"

VIEW = "services.view_dossier"
RECEIVE = "services.receive_dossier"


def _today():
    return timezone.localdate(timezone=LOCAL_TZ)


def _private(response: HttpResponse) -> HttpResponse:
    # Personal data: no shared cache may keep it, nor the browser's disk cache.
    response["Cache-Control"] = "private, no-store"
    return response


def event_label(event) -> str:
    action = workflow.TRANSITIONS.get(event.action)
    if action is not None:
        return action.label
    return str(EVENT_LABELS.get(event.action, event.action or event.to_status.name))


def available_forms(dossier) -> list[dict]:
    """The printed forms this dossier has: 01 once accepted, 02–04 after their event, 05 once accepted."""
    actions = set(dossier.events.values_list("action", flat=True))
    accepted = backoffice.reception_event(dossier) is not None
    forms = []
    for number in ("01", "02", "03", "04", "05"):
        if number in ("01", "05"):
            present = accepted
        else:
            present = EVENT_FORMS[number] in actions
        if present:
            forms.append(
                {
                    "number": number,
                    "title": FORM_TITLES[number],
                    "url": reverse("services_dossier_form", args=[dossier.code, number]),
                }
            )
    return forms


# -- the dossier page ------------------------------------------------------------------------------


def _detail_context(request, dossier, *, bound: ActionForm | None = None) -> dict:
    today = _today()
    actions = workflow.available_actions(dossier, request.user)
    action_forms = [
        (
            action,
            bound
            if bound is not None and bound.action.name == action.name
            else ActionForm(action=action, dossier=dossier),
        )
        for action in actions
    ]
    slip = backoffice.control_slip_form(dossier, today=today)
    steps = {row.event_id: row for row in slip["rows"]}
    events = [
        {"event": event, "label": event_label(event), "step": steps.get(event.pk)}
        for event in dossier.events.select_related("actor", "handed_to", "from_status", "to_status").order_by(
            "at", "id"
        )
    ]
    reception = backoffice.reception_event(dossier)
    return {
        "dossier": dossier,
        "today": today,
        "timeliness": backoffice.dossier_timeliness(dossier, today=today),
        "address": backoffice.address_text(dossier.applicant_address),
        "answers": [a for a in dossier.answers if a.get("type") != "file"],
        "attachments": list(dossier.attachments.all()),
        "paper_components": backoffice.paper_components(reception) if dossier.channel != Channel.ONLINE else [],
        "consultations": list(dossier.consultations.select_related("agency", "requested_by")),
        "events": events,
        "action_forms": action_forms,
        "forms": available_forms(dossier),
        "index_url": reverse(DOSSIER_INDEX_URL_NAME),
    }


@never_cache
@require_safe
def dossier_detail(request, code: str):
    """The dossier page: summary, actions allowed now, printable forms, timeline, files, consultations."""
    dossier = dossier_for_user(request.user, code)
    return _private(
        TemplateResponse(request, "services/backoffice/dossier_detail.html", _detail_context(request, dossier))
    )


@require_POST
def dossier_action(request, code: str, name: str):
    """Runs workflow action ``name`` on dossier ``code`` with the posted fields (CSRF-checked).

    404 for another agency's dossier or an unknown action; 403 when the workflow refuses the
    user (``PermissionDenied``); a refused transition or invalid input is shown as a message.
    """
    dossier = dossier_for_user(request.user, code)
    action = workflow.TRANSITIONS.get(name)
    if action is None:
        raise Http404
    form = ActionForm(request.POST, action=action, dossier=dossier)
    if not form.is_valid():
        messages.validation_error(request, _("%(action)s: hãy sửa các lỗi bên dưới.") % {"action": action.label}, form)
        response = TemplateResponse(
            request,
            "services/backoffice/dossier_detail.html",
            _detail_context(request, dossier, bound=form),
            status=400,
        )
        return _private(response)
    try:
        workflow.perform(name, dossier=dossier, user=request.user, **form.cleaned_data)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        buttons = []
        if action.form in EVENT_FORMS or action.form in ("01", "05"):
            buttons.append(
                messages.button(
                    reverse("services_dossier_form", args=[dossier.code, action.form]),
                    _("In mẫu %(number)s") % {"number": action.form},
                )
            )
        messages.success(
            request,
            _("%(action)s: đã thực hiện cho hồ sơ %(code)s.") % {"action": action.label, "code": dossier.code},
            buttons,
        )
    return redirect("services_dossier_detail", code=dossier.code)


@never_cache
@require_safe
def dossier_attachment(request, code: str, pk: int):
    """A file of a dossier in the officer's scope, with its Vietnamese name; 404 otherwise."""
    dossier = dossier_for_user(request.user, code)
    attachment = get_object_or_404(dossier.attachments, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


# -- printed forms 01–05 --------------------------------------------------------------------------


def _event_pk(request) -> int | None:
    value = request.GET.get("su-kien", "")
    return int(value) if value.isdigit() else None


@never_cache
@require_safe
def dossier_form(request, code: str, number: str):
    """Printable form ``number`` (01–05) of dossier ``code`` (A5 for 01, A4 for the others).

    Forms 02–04 print the latest event of their action (``?su-kien=<id>`` for an earlier one) and
    answer 404 when the dossier has none; 01 and 05 exist once the dossier is accepted.
    """
    dossier = dossier_for_user(request.user, code)
    today = _today()
    if number == "01":
        from services.dossiers.receipts import receipt_context, tracking_url  # fpdf2 and segno: only to print

        event = backoffice.reception_event(dossier)
        if event is None:
            raise Http404
        context = receipt_context(dossier, tracking_url=tracking_url(dossier.code, request=request))
        context.update(
            {
                "paper_components": backoffice.paper_components(event) if dossier.channel != Channel.ONLINE else [],
                "receiver": backoffice.person(event.actor) or event.data.get("receiver", ""),
                "pdf_url": reverse("services_dossier_receipt_pdf", args=[dossier.code])
                if dossier.channel == Channel.ONLINE
                else "",
            }
        )
    elif number in EVENT_FORMS:
        event = backoffice.dossier_event(dossier, EVENT_FORMS[number], pk=_event_pk(request))
        if event is None:
            raise Http404
        builder = {
            "02": backoffice.supplement_request_form,
            "03": backoffice.refusal_form,
            "04": backoffice.apology_form,
        }[number]
        context = builder(dossier, event)
    elif number == "05":
        if backoffice.reception_event(dossier) is None:
            raise Http404
        context = backoffice.control_slip_form(dossier, today=today)
    else:
        raise Http404
    context.update(
        {
            "dossier": dossier,
            "form_number": number,
            "form_title": FORM_TITLES[number],
            "back_url": reverse("services_dossier_detail", args=[dossier.code]),
        }
    )
    return _private(TemplateResponse(request, f"services/backoffice/forms/form{number}.html", context))


@never_cache
@require_safe
def dossier_receipt_pdf(request, code: str):
    """Form 01 of an online dossier as the citizen's PDF (``receipts.receipt_pdf``)."""
    from services.dossiers.receipts import receipt_filename, receipt_pdf, tracking_url

    dossier = dossier_for_user(request.user, code)
    if dossier.channel != Channel.ONLINE or backoffice.reception_event(dossier) is None:
        raise Http404
    pdf = receipt_pdf(dossier, tracking_url=tracking_url(dossier.code, request=request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(dossier.code)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


# -- form 06: tracking ledger ------------------------------------------------------------------------


@never_cache
@require_safe
def dossier_ledger(request):
    """Form 06 (sổ theo dõi hồ sơ, A4 landscape) of the officer's dossiers received in a period.

    ``?tu=YYYY-MM-DD&den=YYYY-MM-DD``; users who see every agency also choose ``co_quan`` (an
    agency id) or list all. Without a period, the form with the current month filled in.
    """
    if not (request.user.has_perm(VIEW) or request.user.has_perm("services.view_all_dossiers")):
        raise Http404
    scope = dossiers_for_user(request.user)
    sees_all = request.user.is_superuser or request.user.has_perm("services.view_all_dossiers")
    agencies = Agency.objects.filter(dossiers__isnull=False).distinct().order_by("name") if sees_all else None
    form = LedgerForm(request.GET or None, agencies=agencies, initial=LedgerForm.default_period())
    context = {
        "form": form,
        "form_number": "06",
        "form_title": FORM_TITLES["06"],
        "back_url": reverse(DOSSIER_INDEX_URL_NAME),
    }
    agency = backoffice.officer_agency(request.user)
    if form.is_valid():
        queryset = scope
        chosen = form.cleaned_data.get("co_quan")
        if chosen is not None:
            queryset = queryset.filter(receiving_agency=chosen)
            agency = chosen
        elif sees_all:
            agency = None
        context.update(
            backoffice.tracking_ledger(
                queryset, start=form.cleaned_data["tu"], end=form.cleaned_data["den"], today=_today()
            )
        )
        context["ready"] = True
    context.update(
        {
            "agency_name": agency.name if agency else _("Các cơ quan trên địa bàn tỉnh"),
            "agency_parent": agency.parent.name if agency and agency.parent_id else "",
        }
    )
    return _private(TemplateResponse(request, "services/backoffice/forms/form06.html", context))


# -- counter and postal intake ------------------------------------------------------------------------


def _intake_agencies(user, procedure: ProcedurePage):
    """Agencies ``user`` may enter a dossier of ``procedure`` for: their own, or (seeing all) the procedure's."""
    own = backoffice.officer_agency(user)
    if own is not None:
        return Agency.objects.filter(pk=own.pk)
    if user.is_superuser or user.has_perm("services.view_all_dossiers"):
        roles = Agency.objects.filter(procedure_roles__page=procedure).exclude(identifier="").distinct()
        return roles if roles.exists() else Agency.objects.exclude(identifier="").order_by("name")
    return Agency.objects.none()


@permission_required(RECEIVE, raise_exception=True)
@require_safe
def intake_search(request):
    """Step 1 of intake: find the procedure by its code (or name), then pick its case."""
    form = ProcedureSearchForm(request.GET or None)
    procedures = []
    if form.is_valid():
        procedures = [
            {"procedure": p, "cases": backoffice.procedure_cases(p)}
            for p in backoffice.intake_procedures(form.cleaned_data["q"])
        ]
    return TemplateResponse(
        request,
        "services/backoffice/intake_search.html",
        {"form": form, "results": procedures, "searched": form.is_bound},
    )


@permission_required(RECEIVE, raise_exception=True)
def intake_form(request, procedure_id: int, case: int = 0):
    """Step 2 of intake: applicant, channel and components received; creates the accepted dossier."""
    procedure = get_object_or_404(ProcedurePage.objects.live(), pk=procedure_id)
    cases = backoffice.procedure_cases(procedure)
    if case >= len(cases):
        raise Http404
    chosen = cases[case]
    agencies = _intake_agencies(request.user, procedure)
    form = IntakeForm(request.POST or None, case=chosen, agencies=agencies, province=settings.PORTAL_PROVINCE)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = workflow.dossier_intake(
                procedure=procedure,
                agency=form.cleaned_data["agency"],
                channel=form.cleaned_data["channel"],
                applicant=form.applicant(),
                user=request.user,
                case_title=chosen["title"],
                components=form.cleaned_data["component_names"],
                note=form.cleaned_data["note"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code},
                [
                    messages.button(
                        reverse("services_dossier_form", args=[dossier.code, "01"]), _("In giấy tiếp nhận (mẫu 01)")
                    )
                ],
            )
            return redirect("services_dossier_detail", code=dossier.code)
    elif request.method == "POST":
        messages.validation_error(request, _("Hồ sơ chưa được tiếp nhận: hãy sửa các lỗi bên dưới."), form)
    return TemplateResponse(
        request,
        "services/backoffice/intake_form.html",
        {"form": form, "procedure": procedure, "case": chosen, "cases": cases},
    )


# -- consultations addressed to the officer's agency ----------------------------------------------------


@never_cache
@require_safe
def consultation_inbox(request):
    """Requests for an opinion sent to the officer's agency: unanswered first, with a reply form."""
    consultations = list(backoffice.consultations_for_user(request.user)[:200])
    return _private(
        TemplateResponse(
            request,
            "services/backoffice/consultations.html",
            {"consultations": consultations, "today": _today(), "answer_form": ConsultationAnswerForm()},
        )
    )


@require_POST
def consultation_reply(request, pk: int):
    """Records the answer to consultation ``pk`` through ``workflow.consultation_answer``."""
    consultation = get_object_or_404(backoffice.consultations_for_user(request.user), pk=pk)
    form = ConsultationAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải ghi nội dung ý kiến."))
    else:
        try:
            workflow.consultation_answer(
                consultation=consultation, user=request.user, answer=form.cleaned_data["answer"]
            )
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã gửi ý kiến về hồ sơ %(code)s.") % {"code": consultation.dossier.code})
    return redirect("services_consultation_inbox")


__all__ = [
    "DossierIndexView",
    "consultation_inbox",
    "consultation_reply",
    "dossier_action",
    "dossier_attachment",
    "dossier_detail",
    "dossier_form",
    "dossier_ledger",
    "dossier_receipt_pdf",
    "intake_form",
    "intake_search",
]


# -- the dossier list (modeladmin index) -----------------------------------------------------------------

#: An export is one spreadsheet a person opens: past this many rows, narrow the filters.
EXPORT_MAX_ROWS = 20_000


class DossierIndexView(IndexView):
    """The modeladmin list of ``DossierAdmin`` whose XLSX/CSV export is django-import-export's.

    ``?export=xlsx|csv`` exports exactly the rows the officer sees: their scope
    (``DossierAdmin.get_queryset``) with the list's filters, search and ordering applied by
    ``IndexView.get_queryset``. Formula-safe and CSV with BOM: ``resources.dossier_export``.
    """

    def dispatch(self, request, *args, **kwargs):
        # A hand-edited or stale query string (an unknown filter, "abc" for an id, 30/2) is the
        # officer's typing, not a server fault: show the whole list again and say why.
        user = request.user
        if (
            request.method == "GET"
            and backoffice.officer_agency(user) is None
            and not (user.is_superuser or user.has_perm("services.view_all_dossiers"))
        ):
            messages.warning(
                request,
                _(
                    "Tài khoản của bạn chưa được gắn với cơ quan nào nên chưa thấy hồ sơ nào; "
                    "đề nghị quản trị cấp tỉnh thêm bạn vào mục Cán bộ và cơ quan."
                ),
            )
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            messages.error(request, _("Bộ lọc trong địa chỉ trang không hợp lệ; đã hiện lại toàn bộ danh sách."))
            return redirect(request.path)

    def get_search_results(self, request, queryset, search_term):
        """Code, id number (digits, spaces ignored) or applicant name with or without accents."""
        term = " ".join((search_term or "").split())
        if not term:
            return queryset
        match = Q(code__icontains=term) | Q(applicant_name_folded__contains=fold(term))
        digits = "".join(ch for ch in term if ch.isdigit())
        if digits and len(digits) >= 4:
            match |= Q(applicant_id_number__contains=digits)
        return queryset.filter(match)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        count = queryset.count()
        if count > EXPORT_MAX_ROWS:
            messages.error(
                self.request,
                _("Danh sách có %(count)s hồ sơ, quá %(max)s hồ sơ cho một lần xuất; hãy lọc hẹp hơn.")
                % {"count": count, "max": EXPORT_MAX_ROWS},
            )
            params = self.request.GET.copy()
            params.pop(self.EXPORT_VAR, None)
            return redirect(f"{self.request.path}?{params.urlencode()}")
        data = dossier_export(queryset, fmt=spreadsheet_format, today=_today())
        response = HttpResponse(data, content_type=EXPORT_CONTENT_TYPES[spreadsheet_format])
        filename = f"ho-so-{_today():%Y%m%d}.{spreadsheet_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return _private(response)
