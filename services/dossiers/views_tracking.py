"""Public dossier tracking (tra cứu hồ sơ): ``/tra-cuu-ho-so/``, by dossier code and id number.

Circular 01/2018 Art 6 lets the applicant follow a dossier with the code printed on the receipt;
the applicant's id number is asked too, so that a guessed code reveals nothing. The id number is
only ever sent in a POST body (never in a URL, so never in access logs or browser history) and
is hidden from Django's error reports. A successful lookup remembers the code in the session
(``services.dossiers.access``) and redirects to ``?ma=<code>``, which then shows the dossier to
this session only: a reload or the back button never re-posts the id number.

Lookups are rate-limited per client IP (``DOSSIER_LOOKUP_RATE``, shared with the JSON API in
``services.dossiers.api``); see ``lookup_limited`` for how the client is identified.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

from services.dossiers.access import grant_access, has_access
from services.dossiers.backoffice import dossier_timeliness
from services.dossiers.selectors import dossier_find, dossier_history
from services.models import Dossier, DossierEvent
from services.validators import normalize_id_number
from services.workdays import Timeliness

#: One budget per client for the page and the API together: alternating between them gains nothing.
LOOKUP_RATE_GROUP = "dossier-lookup"
DEFAULT_LOOKUP_RATE = "10/m"

#: The one answer for an unknown code and for a known code with another id number.
NOT_FOUND_MESSAGE = _(
    "Không tìm thấy hồ sơ với mã và số giấy tờ đã nhập. Vui lòng kiểm tra lại mã hồ sơ in trên "
    "giấy tiếp nhận và số giấy tờ tùy thân đã khai khi nộp hồ sơ."
)
RATE_LIMITED_MESSAGE = _("Bạn đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau ít phút.")

#: Dossier pages may be seen on shared computers: never stored by the browser or a proxy.
no_store = cache_control(private=True, no_store=True)


@dataclass(frozen=True)
class DossierTracking:
    """What the applicant is shown of a dossier: the dossier, its history and its timeliness.

    ``finished_on`` is the local date the result was ready (``finished_at``, else
    ``returned_at``), ``None`` while in progress; ``timeliness`` is ``None`` without a due date.
    """

    dossier: Dossier
    history: list[DossierEvent]
    finished_on: date | None
    timeliness: Timeliness | None


def dossier_tracking(dossier: Dossier, *, today: date | None = None) -> DossierTracking:
    """The tracking view of ``dossier`` on ``today`` (default: today's local date).

    Timeliness is the back office's (``backoffice.dossier_timeliness``, DOMAIN.md §4): a
    finished dossier is early/on time/late against its time limit's due date (an apology's new
    date does not move it); one in progress is late once today is past it, unless suspended for
    a supplement; a refused, withdrawn or stopped dossier has none.
    """
    finished = dossier.finished_at or dossier.returned_at
    finished_on = timezone.localdate(finished) if finished else None
    return DossierTracking(
        dossier=dossier,
        history=dossier_history(dossier),
        finished_on=finished_on,
        timeliness=dossier_timeliness(dossier, today=today or timezone.localdate()),
    )


def _lookup_rate(group: str, request: HttpRequest) -> str:
    # Read on each request so that a changed setting (or a test's override) applies at once.
    return getattr(settings, "DOSSIER_LOOKUP_RATE", DEFAULT_LOOKUP_RATE)


def lookup_limited(request: HttpRequest) -> int | None:
    """Counts one dossier lookup by this client; the seconds to wait if it is over the rate, else None.

    Found and not-found lookups count alike (``DOSSIER_LOOKUP_RATE``, default 10 a minute, in
    django-ratelimit's syntax). The client is its IP address (``RATELIMIT_IP_META_KEY``, by
    default ``REMOTE_ADDR``): behind a reverse proxy the deployment must put the client's
    address there, otherwise every citizen shares the proxy's budget. Counts live in the
    ``default`` cache, which must be shared by all worker processes for the limit to hold.
    """
    usage = get_usage(request, group=LOOKUP_RATE_GROUP, key="ip", rate=_lookup_rate, method=ALL, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(int(usage["time_left"]), 1)


def receipt_url(code: str) -> str:
    """The dossier's receipt page, or "" while that URL does not exist."""
    try:
        return reverse("dossier_receipt", args=[code])
    except NoReverseMatch:
        return ""


class DossierLookupForm(forms.Form):
    """Dossier code and the applicant's id number, normalised as the dossier stores them."""

    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=64,
        help_text=_("In trên giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.00.12.H36-260105-0001."),
        error_messages={"required": _("Nhập mã hồ sơ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    id_number = forms.CharField(
        label=_("Số giấy tờ tùy thân (CCCD/CMND/hộ chiếu) của người nộp"),
        max_length=32,
        help_text=_("Số đã khai khi nộp hồ sơ; có thể gõ cả dấu cách hoặc dấu chấm."),
        error_messages={"required": _("Nhập số giấy tờ tùy thân của người nộp hồ sơ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean_id_number(self) -> str:
        number = normalize_id_number(self.cleaned_data["id_number"])
        if not number:
            raise forms.ValidationError(self.fields["id_number"].error_messages["required"])
        return number


def _render(request, *, form, status=200, **context) -> HttpResponse:
    return render(request, "services/tracking/lookup.html", {"form": form, **context}, status=status)


def _tracking_context(request, code: str) -> dict:
    """The dossier ``code`` for a session that proved it, else nothing (``{}``)."""
    if not has_access(request, code):
        return {}
    dossier = Dossier.objects.select_related("status", "receiving_agency", "procedure").filter(code=code).first()
    if dossier is None:
        return {}
    return {
        "tracking": dossier_tracking(dossier),
        "receipt_url": receipt_url(dossier.code),
        "attachments": [
            (attachment, reverse("dossier_attachment", args=[dossier.code, attachment.pk]))
            for attachment in dossier.attachments.all()
        ],
        "procedure_url": dossier.procedure.url if dossier.procedure and dossier.procedure.live else "",
    }


@sensitive_post_parameters("id_number")
@require_http_methods(["GET", "HEAD", "POST"])
@no_store
def dossier_lookup(request: HttpRequest) -> HttpResponse:
    """The tracking page: GET shows the form (``?ma=`` prefills the code, as the receipt's QR
    code does) and, for a session that already proved the code, the dossier; POST looks it up.

    POST answers: 303 to ``?ma=<code>`` on a match; the same page with ``NOT_FOUND_MESSAGE`` and
    HTTP 404 for an unknown code and for a wrong id number alike (the id number is not echoed
    back); 429 with a friendly page past the rate limit; 200 with field errors for empty fields.
    """
    if request.method == "POST":
        retry_after = lookup_limited(request)
        if retry_after is not None:
            response = render(
                request, "services/tracking/rate_limited.html", {"message": RATE_LIMITED_MESSAGE}, status=429
            )
            response["Retry-After"] = str(retry_after)
            return response
        form = DossierLookupForm(request.POST)
        if not form.is_valid():
            return _render(request, form=form)
        code = form.cleaned_data["code"]
        dossier = dossier_find(code=code, id_number=form.cleaned_data["id_number"])
        if dossier is None:
            return _render(
                request, form=DossierLookupForm(initial={"code": code}), not_found=NOT_FOUND_MESSAGE, status=404
            )
        grant_access(request, dossier.code)
        response = HttpResponseRedirect(f"{reverse('dossier_lookup')}?{urlencode({'ma': dossier.code})}")
        response.status_code = 303  # See Other: the browser follows with a GET, never re-posting
        return response

    code = request.GET.get("ma", "").strip().upper()[:64]
    context = _tracking_context(request, code) if code else {}
    # Under a dossier already shown, the form is for another one: left empty.
    return _render(request, form=DossierLookupForm(initial={} if context else {"code": code}), **context)
