"""Citizen evaluation pages under ``/danh-gia/``.

- ``/danh-gia/``: the dossier code and the applicant's id number, checked as the tracking page
  checks them (``services.dossiers.selectors.dossier_find``, constant-time, one answer for an
  unknown code and a wrong number, the same rate limit budget as tracking), then a redirect;
- ``/danh-gia/ho-so/<code>/``: the survey for that dossier, for the session that proved the
  code (after filing, tracking or the form above); the recorded evaluation, read-only, once it
  was rated; a clear message when the dossier has no result yet. An officer whose scope holds
  the dossier reaches the same page and types in a paper form (channel ``paper``); a browser at
  the desk logged in as a kiosk account (officer profile, no group), where citizens type their
  own code and id number, is a rating device (channel ``kiosk``, see ``_channel``);
- ``/danh-gia/gop-y/``: anonymous feedback with bot protection (``forms.FeedbackForm``) and a
  rate limit per client (``FEEDBACK_RATE``, default 5 an hour).

The id number only travels in POST bodies and is hidden from error reports; pages about a
dossier are never cached.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from evaluation.forms import FeedbackForm, SurveyForm, feedback_timestamp
from evaluation.models import EvaluationChannel
from evaluation.selectors import evaluation_lines, evaluation_of, officer_agency, rating_refusal, templates_for_dossier
from evaluation.services import EvaluationError, evaluation_submit, feedback_submit
from services.dossiers.access import SESSION_KEY, grant_access, has_access
from services.dossiers.selectors import dossier_find
from services.dossiers.views_tracking import (
    NOT_FOUND_MESSAGE,
    RATE_LIMITED_MESSAGE,
    DossierLookupForm,
    lookup_limited,
    no_store,
)
from services.models import Dossier, ProcedurePage

FEEDBACK_RATE_GROUP = "evaluation-feedback"
DEFAULT_FEEDBACK_RATE = "5/h"


def _results_url() -> str:
    """The published results page once it exists (built by the results part), else ""."""
    try:
        return reverse("evaluation:results")
    except NoReverseMatch:
        return ""


def _rate_limited(request, message: str, retry_after: int, back_url: str) -> HttpResponse:
    response = render(request, "evaluation/rate_limited.html", {"message": message, "back_url": back_url}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@sensitive_post_parameters("id_number")
@require_http_methods(["GET", "HEAD", "POST"])
@no_store
def evaluation_start(request: HttpRequest) -> HttpResponse:
    """The entry form: dossier code + id number, then 303 to the dossier's survey.

    Answers like ``services.dossiers.views_tracking.dossier_lookup``: 404 with one message for
    an unknown code and a wrong id number; 429 past the lookup rate (shared with tracking);
    200 with field errors for empty fields. ``?ma=`` prefills the code.
    """
    context = {"results_url": _results_url()}
    if request.method == "POST":
        retry_after = lookup_limited(request)
        if retry_after is not None:
            return _rate_limited(request, RATE_LIMITED_MESSAGE, retry_after, reverse("evaluation:start"))
        form = DossierLookupForm(request.POST)
        if not form.is_valid():
            return render(request, "evaluation/start.html", {"form": form, **context})
        code = form.cleaned_data["code"]
        dossier = dossier_find(code=code, id_number=form.cleaned_data["id_number"])
        if dossier is None:
            return render(
                request,
                "evaluation/start.html",
                {"form": DossierLookupForm(initial={"code": code}), "not_found": NOT_FOUND_MESSAGE, **context},
                status=404,
            )
        grant_access(request, dossier.code)
        response = HttpResponseRedirect(reverse("evaluation:dossier", args=[dossier.code]))
        response.status_code = 303
        return response
    code = request.GET.get("ma", "").strip().upper()[:64]
    return render(request, "evaluation/start.html", {"form": DossierLookupForm(initial={"code": code}), **context})


def _channel(request: HttpRequest, code: str) -> str:
    """How this evaluation of ``code`` arrives (Decree 61/2018 Art 30 channels).

    ``online``: the applicant proved the code in this browser session. ``kiosk``: the same, in a
    browser logged in as a user with an officer profile (the rating device at the desk: deploy
    it as an account with the agency's profile and no group, so it sees no dossier beyond the
    one the citizen just proved, and the code is forgotten after each rating). ``paper``: an
    officer whose scope holds the dossier, without the proof, types in a paper form.
    """
    if code in request.session.get(SESSION_KEY, []):
        return EvaluationChannel.KIOSK if officer_agency(request.user) is not None else EvaluationChannel.ONLINE
    return EvaluationChannel.PAPER


def _dossier_page(request, dossier: Dossier, *, status: int = 200, **context) -> HttpResponse:
    evaluation = context.get("evaluation")
    if evaluation is not None:
        context["lines"] = evaluation_lines(evaluation)
    return render(request, "evaluation/dossier.html", {"dossier": dossier, **context}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@no_store
def evaluation_dossier(request: HttpRequest, code: str) -> HttpResponse:
    """The survey of dossier ``code`` (GET shows it, POST records it through ``evaluation_submit``).

    A session that has not proved the code is sent to ``/danh-gia/?ma=<code>`` (the same for an
    unknown code, so nothing is revealed). Already rated: the recorded evaluation, read-only.
    No result yet: the reason, and no form. A POST that loses a race against another answer for
    the same dossier shows the evaluation that was kept, with a notice.
    """
    code = (code or "").strip().upper()[:64]
    dossier = None
    if has_access(request, code):
        dossier = Dossier.objects.select_related("status", "receiving_agency", "procedure").filter(code=code).first()
    if dossier is None:
        return HttpResponseRedirect(f"{reverse('evaluation:start')}?{urlencode({'ma': code})}")
    channel = _channel(request, code)
    paper = channel == EvaluationChannel.PAPER

    evaluation = evaluation_of(dossier)
    if evaluation is not None:
        return _dossier_page(request, dossier, evaluation=evaluation)
    refusal = rating_refusal(dossier)
    if refusal:
        return _dossier_page(request, dossier, refusal=refusal)
    templates = templates_for_dossier(dossier, on=timezone.localdate())
    if templates.index is None:
        return _dossier_page(request, dossier, refusal=_("Chưa có phiếu đánh giá áp dụng cho thủ tục này."))

    form = SurveyForm(request.POST or None, templates=templates.as_list())
    if request.method == "POST" and form.is_valid():
        try:
            result = evaluation_submit(
                dossier=dossier,
                responses=form.cleaned_data,
                comment=form.cleaned_data.get("comment", ""),
                channel=channel,
                entered_by=request.user if paper else None,
            )
        except EvaluationError as error:
            return _dossier_page(request, dossier, form=form, paper=paper, error=str(error), details=error.details)
        if not result.created:
            return _dossier_page(request, dossier, evaluation=evaluation_of(dossier), already=True)
        messages.success(request, _("Cảm ơn ông/bà đã đánh giá. Ý kiến đã được ghi nhận."))
        if channel == EvaluationChannel.KIOSK:
            # A shared device: the next citizen must not see this dossier.
            request.session[SESSION_KEY] = [c for c in request.session.get(SESSION_KEY, []) if c != code]
            return _see_other(reverse("evaluation:start"))
        response = HttpResponseRedirect(reverse("evaluation:dossier", args=[dossier.code]))
        response.status_code = 303
        return response
    return _dossier_page(request, dossier, form=form, paper=paper)


def _feedback_rate(group: str, request: HttpRequest) -> str:
    return getattr(settings, "FEEDBACK_RATE", DEFAULT_FEEDBACK_RATE)


@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    """Anonymous general feedback (góp ý) at ``/danh-gia/gop-y/``.

    POST answers: 303 to ``?da-gui=1`` (a thank-you) when stored; the same 303 without storing
    anything when the honeypot was filled (a bot learns nothing); the form with a message when
    sent too fast or with a missing/forged timestamp (a fresh one is issued); 429 past
    ``FEEDBACK_RATE`` per client IP (default 5 an hour; django-ratelimit syntax).

    Only feedback actually stored counts towards the rate: a post that fails the bot checks
    (honeypot, timing) stores nothing, and a person's mistake (text too short, a session that
    expired, sent too fast) must not use up their budget and lock them out for an hour.
    """
    thanks_url = f"{reverse('evaluation:feedback')}?da-gui=1"
    if request.method == "POST":
        usage = _feedback_usage(request, increment=False)
        if usage is not None and (usage["should_limit"] or usage["count"] >= usage["limit"]):
            return _feedback_limited(request, usage)
        form = FeedbackForm(request.POST)
        if form.is_bot:
            return _see_other(thanks_url)
        if form.is_valid():
            # Counted only now that the post passed the bot checks and validation.
            usage = _feedback_usage(request, increment=True)
            if usage is not None and usage["should_limit"]:
                return _feedback_limited(request, usage)
            procedure = None
            code = (request.POST.get("thu_tuc") or "").strip()
            if code.isascii() and code.isdigit() and len(code) <= 12:
                procedure = ProcedurePage.objects.live().filter(pk=int(code)).first()
            feedback_submit(
                text=form.cleaned_data["text"],
                agency=form.cleaned_data.get("agency"),
                procedure=procedure,
                overall=form.cleaned_data.get("overall"),
            )
            return _see_other(thanks_url)
        if "started" in form.errors:
            data = request.POST.copy()
            data["started"] = feedback_timestamp()
            form.data = data
        return render(request, "evaluation/feedback.html", {"form": form, "thu_tuc": request.POST.get("thu_tuc", "")})
    sent = request.GET.get("da-gui") == "1"
    return render(
        request,
        "evaluation/feedback.html",
        {"form": FeedbackForm(), "sent": sent, "thu_tuc": request.GET.get("thu_tuc", "")[:12]},
    )


def _feedback_usage(request: HttpRequest, *, increment: bool) -> dict | None:
    """django-ratelimit's count of stored feedback from the client's IP in the current window."""
    return get_usage(request, group=FEEDBACK_RATE_GROUP, key="ip", rate=_feedback_rate, method=ALL, increment=increment)


def _feedback_limited(request: HttpRequest, usage: dict) -> HttpResponse:
    message = _("Bạn đã gửi nhiều góp ý trong thời gian ngắn. Vui lòng thử lại sau.")
    return _rate_limited(request, message, max(int(usage["time_left"]), 1), reverse("evaluation:feedback"))


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
