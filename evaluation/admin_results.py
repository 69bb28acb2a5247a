"""Admin pages to recompute and publish evaluation results (``/admin/ket-qua-danh-gia/…``).

For users with ``evaluation.publish_results`` (provincial administrators, superusers): the list
of periods with who computed and published them, a form to recompute a quarter or a year (a
preview, not public) and, for a closed period, to publish it after confirming; the period page
shows the agency and officer rows as they will be published. Views only call
``evaluation.publication`` (which checks the permission again and writes the audit log);
this module also registers the admin URLs, the menu item and the log actions (imported by
``evaluation.wagtail_hooks``).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from evaluation.models import ResultPeriod
from evaluation.publication import FIRST_YEAR, ResultsError, results_publish, results_recompute

PERMISSION = "evaluation.publish_results"


class PeriodForm(forms.Form):
    """Year and quarter (0: the whole year); ``confirm`` is required to publish."""

    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=FIRST_YEAR, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Kỳ"),
        coerce=int,
        choices=[(0, gettext_lazy("Cả năm")), *((q, gettext_lazy("Quý %(q)s") % {"q": q}) for q in range(1, 5))],
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Tôi đã kiểm tra kết quả; sau khi công bố, kết quả không thể thay đổi."), required=False
    )


def _check(user) -> None:
    if not user.has_perm(PERMISSION):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def results_admin_index(request):
    """Periods computed or published, and the recompute / publish form (POST ``action`` = recompute|publish)."""
    _check(request.user)
    today = timezone.localdate()
    form = PeriodForm(request.POST or None, initial={"year": today.year, "quarter": (today.month - 1) // 3 or 4})
    if request.method == "POST" and form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
        try:
            if request.POST.get("action") == "publish":
                if not form.cleaned_data["confirm"]:
                    raise ResultsError(_("Hãy đánh dấu xác nhận trước khi công bố."))
                period = results_publish(year=year, quarter=quarter, user=request.user)
                messages.success(request, _("Đã công bố kết quả %(period)s.") % {"period": period.label})
            else:
                period = results_recompute(year=year, quarter=quarter, user=request.user)
                messages.success(
                    request,
                    _("Đã tính lại %(period)s: %(n)s hồ sơ. Kết quả chưa công bố.")
                    % {"period": period.label, "n": period.dossiers},
                )
            return redirect("evaluation_results_period", period.pk)
        except ResultsError as error:
            messages.error(request, str(error))
    periods = ResultPeriod.objects.select_related("computed_by", "published_by")[:100]
    return TemplateResponse(request, "evaluation/results/admin_index.html", {"form": form, "periods": periods})


def results_admin_period(request, pk: int):
    """One period's agency and officer rows (as published, or as they would be)."""
    _check(request.user)
    period = get_object_or_404(ResultPeriod, pk=pk)
    return TemplateResponse(
        request,
        "evaluation/results/admin_period.html",
        {
            "period": period,
            "agencies": period.agency_results.select_related("tier").order_by("rank", "agency_name"),
            "officers": period.officer_results.order_by("agency_name", "-total", "officer_name")[:2000],
            "form": PeriodForm(initial={"year": period.year, "quarter": period.quarter}),
            "index_numbers": range(1, 10),
        },
    )


@hooks.register("register_admin_urls")
def register_results_urls():
    return [
        path("ket-qua-danh-gia/", results_admin_index, name="evaluation_results_admin"),
        path("ket-qua-danh-gia/<int:pk>/", results_admin_period, name="evaluation_results_period"),
    ]


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(
        gettext_lazy("Kết quả đánh giá"), reverse("evaluation_results_admin"), icon_name="table", order=345
    )


@hooks.register("register_log_actions")
def register_results_log_actions(actions):
    actions.register_action(
        "evaluation.results_recompute", gettext_lazy("Tính kết quả đánh giá"), gettext_lazy("Tính lại kết quả đánh giá")
    )
    actions.register_action(
        "evaluation.results_publish", gettext_lazy("Công bố kết quả đánh giá"), gettext_lazy("Công bố kết quả đánh giá")
    )
