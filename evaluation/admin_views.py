"""Admin pages of the agencies' quarterly self-assessment (``/admin/tu-danh-gia/…``).

An agency leader lists, enters, saves and submits their own agency's self-assessment; a
provincial administrator lists and reads every agency's. Reads go through
``selectors.self_assessments_for_user``, writes through ``services.self_assessment_save`` /
``self_assessment_submit`` (which check the user again); a submitted one is shown read-only.
"""

from django import forms
from django.contrib import messages
from django.core import validators
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation.forms import SelfAssessmentForm
from evaluation.models import SelfAssessment
from evaluation.selectors import (
    assessment_years,
    can_see_all_self_assessments,
    officer_agency,
    quarter_last_day,
    quarter_of,
    self_assessments_for_user,
)
from evaluation.services import (
    EvaluationError,
    self_assessment_can_view,
    self_assessment_save,
    self_assessment_submit,
    self_assessment_template,
)


def can_enter(user) -> bool:
    """True for a leader with an agency (the only ones who enter a self-assessment)."""
    return bool(
        officer_agency(user)
        and user.has_perm("evaluation.add_selfassessment")
        and user.has_perm("evaluation.change_selfassessment")
    )


def can_list(user) -> bool:
    return can_see_all_self_assessments(user) or (
        user.has_perm("evaluation.view_selfassessment") and officer_agency(user) is not None
    )


class QuarterForm(forms.Form):
    """The quarter to open: year (``selectors.assessment_years``: 2018 to next year) and quarter (1–4)."""

    year = forms.IntegerField(label=gettext_lazy("Năm"))
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quý"), choices=[(q, f"Quý {q}") for q in (1, 2, 3, 4)], coerce=int
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = assessment_years()
        self.fields["year"].min_value, self.fields["year"].max_value = years[0], years[-1]
        self.fields["year"].widget.attrs.update(min=years[0], max=years[-1])
        self.fields["year"].validators += [
            validators.MinValueValidator(years[0]),
            validators.MaxValueValidator(years[-1]),
        ]


#: Largest primary key the database holds (a signed 64-bit ``BigAutoField``); a larger one in a URL is a 404.
MAX_KEY = 2**63 - 1


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


def self_assessment_index(request):
    """The self-assessments the user may see, newest quarter first, and the quarter picker."""
    if not can_list(request.user):
        raise PermissionDenied
    if request.GET.get("year") and request.GET.get("quarter"):
        picker = QuarterForm(request.GET)
        if picker.is_valid() and can_enter(request.user):
            return redirect(
                "evaluation_self_assessment_edit", picker.cleaned_data["year"], picker.cleaned_data["quarter"]
            )
    year, quarter = quarter_of(timezone.localdate())
    assessments = list(self_assessments_for_user(request.user).prefetch_related("answers")[:400])
    for assessment in assessments:
        answers = list(assessment.answers.all())
        assessment.total = sum(a.score for a in answers)
        assessment.scores = {a.index: a.score for a in answers}
    return _no_store(
        TemplateResponse(
            request,
            "evaluation/admin/self_assessment_index.html",
            {
                "assessments": assessments,
                "agency": officer_agency(request.user),
                "can_enter": can_enter(request.user),
                "sees_all": can_see_all_self_assessments(request.user),
                "picker": QuarterForm(initial={"year": year, "quarter": quarter}),
                "indices": (5, 6, 8, 9),
            },
        )
    )


def self_assessment_edit(request, year: int, quarter: int):
    """Enter or change the draft of the leader's agency for ``quarter``/``year``; save or submit."""
    if not can_enter(request.user):
        raise PermissionDenied
    if quarter not in (1, 2, 3, 4) or year not in assessment_years():
        # Years outside 2018..next year (e.g. 99999999999) are no quarter anyone assesses.
        raise Http404(_("Không có quý %(q)s/%(y)s để tự đánh giá.") % {"q": quarter, "y": year})
    agency = officer_agency(request.user)
    assessment = SelfAssessment.objects.filter(agency=agency, year=year, quarter=quarter).first()
    if assessment is not None and assessment.is_locked:
        messages.warning(request, _("Tự đánh giá quý này đã được gửi, chỉ xem được."))
        return redirect("evaluation_self_assessment_detail", assessment.pk)
    template = (assessment.template if assessment else None) or self_assessment_template(
        agency=agency, year=year, quarter=quarter
    )
    if template is None:
        messages.error(request, _("Chưa có phiếu tự đánh giá áp dụng cho quý này."))
        return redirect("evaluation_self_assessments")
    initial = {}
    if assessment is not None:
        for answer in assessment.answers.all():
            initial[f"score-{answer.index}"] = (answer.option or {}).get("option", "")
            initial[f"evidence-{answer.index}"] = answer.evidence
    form = SelfAssessmentForm(request.POST or None, template=template, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = self_assessment_save(
                user=request.user, year=year, quarter=quarter, entries=form.entries(), agency=agency
            )
            if "submit" in request.POST:
                self_assessment_submit(user=request.user, assessment=assessment)
                messages.success(request, _("Đã gửi tự đánh giá quý %(q)s/%(y)s.") % {"q": quarter, "y": year})
                return redirect("evaluation_self_assessment_detail", assessment.pk)
        except EvaluationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã lưu bản nháp tự đánh giá quý %(q)s/%(y)s.") % {"q": quarter, "y": year})
            return redirect("evaluation_self_assessment_edit", year, quarter)
    return _no_store(
        TemplateResponse(
            request,
            "evaluation/admin/self_assessment_edit.html",
            {
                "form": form,
                "template": template,
                "assessment": assessment,
                "agency": agency,
                "year": year,
                "quarter": quarter,
                # Submitting waits for the quarter's end (services.self_assessment_submit).
                "quarter_ended": timezone.localdate() > quarter_last_day(year, quarter),
                "quarter_last_day": quarter_last_day(year, quarter),
            },
        )
    )


def self_assessment_detail(request, pk: int):
    """One self-assessment, read-only (404 for one outside the user's scope or a key past the database's range)."""
    if pk > MAX_KEY:
        raise Http404
    assessment = get_object_or_404(SelfAssessment.objects.select_related("agency", "submitted_by"), pk=pk)
    if not self_assessment_can_view(request.user, assessment):
        raise Http404
    answers = list(assessment.answers.all())
    editable = (
        not assessment.is_locked and can_enter(request.user) and officer_agency(request.user) == assessment.agency
    )
    return _no_store(
        TemplateResponse(
            request,
            "evaluation/admin/self_assessment_detail.html",
            {
                "assessment": assessment,
                "answers": answers,
                "total": sum(a.score for a in answers),
                "editable": editable,
            },
        )
    )
