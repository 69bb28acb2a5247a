"""Reads of the one-stop back office: timeliness in lists, and what the printed forms 01–06 show.

Circular 01/2018/TT-VPCP forms: 01 receipt and appointment slip, 02 supplement request, 03
refusal, 04 apology and new date, 05 processing control slip, 06 tracking ledger (DOMAIN.md §4).
Forms 01–04 print the values the workflow wrote in the event of their action
(``services.dossiers.workflow``: ``accept``, ``request_supplement``, ``refuse``, ``apologise``);
form 05 reads the hand-overs of the audit trail, form 06 a period of the officer's dossiers.
Nothing here writes; nothing here widens the scope of ``selectors.dossiers_for_user``.

Timeliness (tiến độ) of a dossier, the same rule as the statistics (``dossiers/statistics.py``):
closed without a result (national status 3, 7, 8) it has none; finished (``finished_at``, else
``returned_at``) it is early / on time / late against its time limit's due date
(``Dossier.time_limit_due_date``: the date first given, which an apology with a new date does
not move); in progress it is late once today is past that date, unless its time limit was
suspended for a supplement (``paused_at``) on or before it; without a due date it has none
(``services.workdays.timeliness``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from services.dossiers.selectors import person_name
from services.models import Agency, Consultation, Dossier, DossierEvent, OfficerProfile, ProcedurePage
from services.workdays import LOCAL_TZ, Timeliness, timeliness

#: National status codes that close a dossier without a result: not accepted, withdrawn, stopped.
CLOSED_WITHOUT_RESULT = frozenset({3, 7, 8})

#: Events that move the dossier from one holder to the next on form 05, in the audit trail.
HAND_OVER_ACTIONS = ("accept", "supplement_received", "assign", "consult", "result_ready", "return")

#: At most this many rows in one printed ledger (form 06): narrow the period for more.
LEDGER_MAX_ROWS = 2000


def local_date(moment: datetime | None) -> date | None:
    return timezone.localtime(moment, LOCAL_TZ).date() if moment else None


def person(user) -> str:
    """An officer's name as printed on forms (``selectors.person_name``: family name first)."""
    return person_name(user)


# -- timeliness ------------------------------------------------------------------------------------


def dossier_finished_on(dossier: Dossier) -> date | None:
    """The local date the result was ready (``finished_at``, else ``returned_at``), or None."""
    return local_date(dossier.finished_at or dossier.returned_at)


def dossier_timeliness(dossier: Dossier, *, today: date) -> Timeliness | None:
    """Early / on time / late of ``dossier`` on ``today`` (rule in the module docstring)."""
    due = dossier.time_limit_due_date
    if dossier.status.code in CLOSED_WITHOUT_RESULT or due is None:
        return None
    finished_on = dossier_finished_on(dossier)
    if finished_on is None and dossier.paused_at and local_date(dossier.paused_at) <= due:
        return Timeliness.ON_TIME
    return timeliness(due, finished_on, today)


def with_timeliness_dates(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """``queryset`` annotated with ``finished_on``, ``paused_on`` (local dates) and ``limit_due``
    (``Dossier.time_limit_due_date``) for ``timeliness_q``."""
    return queryset.annotate(
        finished_on=TruncDate(Coalesce("finished_at", "returned_at"), tzinfo=LOCAL_TZ),
        paused_on=TruncDate("paused_at", tzinfo=LOCAL_TZ),
        limit_due=Coalesce("original_due_date", "due_date"),
    )


def timeliness_q(value: str, *, today: date) -> Q:
    """The filter of dossiers whose timeliness on ``today`` is ``value`` (a ``Timeliness`` value).

    Needs the annotations of ``with_timeliness_dates``; the same rule as ``dossier_timeliness``.
    Raises ``ValueError`` for another value.
    """
    value = Timeliness(value)
    dated = Q(limit_due__isnull=False) & ~Q(status__code__in=CLOSED_WITHOUT_RESULT)
    finished = Q(finished_on__isnull=False)
    in_progress = Q(finished_on__isnull=True)
    suspended = Q(paused_on__isnull=False, paused_on__lte=F("limit_due"))
    if value == Timeliness.EARLY:
        return dated & finished & Q(finished_on__lt=F("limit_due"))
    if value == Timeliness.ON_TIME:
        return dated & (
            (finished & Q(finished_on=F("limit_due"))) | (in_progress & (Q(limit_due__gte=today) | suspended))
        )
    return dated & (
        (finished & Q(finished_on__gt=F("limit_due"))) | (in_progress & Q(limit_due__lt=today) & ~suspended)
    )


# -- periods ---------------------------------------------------------------------------------------


#: The first day any report may start on: one-stop dossiers in this system begin with Decree
#: 61/2018 (in force 21/8/2018); 1/1/2018 keeps whole years.
FIRST_REPORT_DAY = date(2018, 1, 1)


def period_refusal(start: date, end: date, *, today: date) -> str | None:
    """Why ``[start, end]`` cannot be reported on (Vietnamese), or None.

    Dates from ``FIRST_REPORT_DAY`` to the end of next year: earlier or later dates hold no
    dossier, and the extremes of the calendar (year 1, year 9999) would overflow the local-time
    bounds of the queries.
    """
    last = date(today.year + 1, 12, 31)
    if start < FIRST_REPORT_DAY or end > last:
        return _("Chỉ thống kê được các ngày từ %(first)s đến %(last)s.") % {
            "first": FIRST_REPORT_DAY.strftime("%d/%m/%Y"),
            "last": last.strftime("%d/%m/%Y"),
        }
    return None


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware bounds ``[start 00:00, end + 1 day 00:00)`` in Vietnamese time (index-friendly)."""
    return (
        datetime.combine(start, time.min, tzinfo=LOCAL_TZ),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=LOCAL_TZ),
    )


def received_between(queryset: QuerySet[Dossier], start: date, end: date) -> QuerySet[Dossier]:
    """The dossiers of ``queryset`` received (``submitted_at``, local date) from ``start`` to ``end``."""
    low, high = period_bounds(start, end)
    return queryset.filter(submitted_at__gte=low, submitted_at__lt=high)


# -- people and counterparts -----------------------------------------------------------------------


def officer_agency(user) -> Agency | None:
    """The agency of ``user``'s ``OfficerProfile``, or None."""
    profile = OfficerProfile.objects.select_related("agency").filter(user_id=user.pk).first()
    return profile.agency if profile else None


def assignable_officers(agency: Agency) -> QuerySet:
    """Active officers of ``agency`` who may process or decide dossiers (``dossier_assign``'s rule)."""
    codenames = ("process_dossier", "decide_dossier")
    perms = Q(groups__permissions__codename__in=codenames) | Q(user_permissions__codename__in=codenames)
    return (
        get_user_model()
        .objects.filter(is_active=True, officer__agency=agency)
        .filter(perms | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def consultable_agencies(dossier: Dossier) -> QuerySet[Agency]:
    """Agencies other than the dossier's that have officers, so that they can answer in the system."""
    return (
        Agency.objects.filter(officers__isnull=False)
        .exclude(pk=dossier.receiving_agency_id)
        .distinct()
        .order_by("name")
    )


def consultations_for_user(user) -> QuerySet[Consultation]:
    """Consultations addressed to ``user``'s agency (all for a superuser), unanswered first.

    The consulted officer sees the question, its deadline and the dossier's code and procedure,
    not the dossier itself (it stays in its own agency's scope).
    """
    queryset = Consultation.objects.select_related("agency", "dossier", "dossier__receiving_agency", "requested_by")
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if not user.is_superuser:
        agency_id = OfficerProfile.objects.filter(user_id=user.pk).values_list("agency_id", flat=True).first()
        if agency_id is None:
            return queryset.none()
        queryset = queryset.filter(agency_id=agency_id)
    return queryset.order_by(F("answered_at").desc(nulls_first=True), "due_date", "id")


def intake_procedures(query: str, *, limit: int = 20) -> list[ProcedurePage]:
    """Live procedures whose national or provincial code starts with ``query``, or whose name holds it.

    Codes first (the desk types the code from the citizen's paper), at most ``limit``.
    """
    query = " ".join((query or "").split())
    if len(query) < 2:
        return []
    live = ProcedurePage.objects.live().order_by("code")
    by_code = list(live.filter(Q(code__istartswith=query) | Q(provincial_code__istartswith=query))[:limit])
    seen = {p.pk for p in by_code}
    by_name = [p for p in live.filter(title__icontains=query)[: limit * 2] if p.pk not in seen]
    return (by_code + by_name)[:limit]


def procedure_cases(procedure: ProcedurePage) -> list[dict]:
    """The procedure's cases as ``{"index", "title", "components": [names]}`` (one untitled case at least)."""
    cases = []
    for index, block in enumerate(procedure.cases):
        value = block.value
        names = [" ".join(str(c.get("name") or "").split()) for c in value.get("components") or []]
        cases.append({"index": index, "title": value.get("title") or "", "components": [n for n in names if n]})
    return cases or [{"index": 0, "title": "", "components": []}]


# -- forms 01–05 of one dossier --------------------------------------------------------------------


def dossier_event(dossier: Dossier, action: str, *, pk: int | None = None) -> DossierEvent | None:
    """The dossier's event ``pk`` of ``action``, else its latest event of ``action``; None if none."""
    events = dossier.events.filter(action=action).select_related("actor", "handed_to", "from_status", "to_status")
    if pk is not None:
        return events.filter(pk=pk).first()
    return events.order_by("-at", "-id").first()


def reception_event(dossier: Dossier) -> DossierEvent | None:
    """The latest acceptance (``accept``, or a supplement received at reception), for form 01."""
    return (
        dossier.events.filter(Q(action="accept") | Q(action="supplement_received", data__stage="reception"))
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


def _parse(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _place_date(day: date) -> str:
    return _("%(place)s, ngày %(day)02d tháng %(month)02d năm %(year)d") % {
        "place": settings.PORTAL_PROVINCE,
        "day": day.day,
        "month": day.month,
        "year": day.year,
    }


def form_header(dossier: Dossier, *, on: date) -> dict:
    """The header every form shares: issuing agency (and its parent), place and date, dossier code."""
    agency = dossier.receiving_agency
    return {
        "code": dossier.code,
        "agency_name": agency.name,
        "agency_parent": agency.parent.name if agency.parent_id else "",
        "agency_address": agency.address.strip(),
        "place_date": _place_date(on),
        "applicant_name": dossier.applicant_name,
        "applicant_address": address_text(dossier.applicant_address),
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "procedure_name": dossier.procedure_name,
        "procedure_code": dossier.procedure_code,
        "case_title": dossier.case_title,
    }


def address_text(address) -> str:
    if not isinstance(address, dict):
        return ""
    parts = [str(address.get(key) or "").strip() for key in ("street", "commune", "province")]
    return ", ".join(part for part in parts if part)


def paper_components(event: DossierEvent | None) -> list[str]:
    """The component names the acceptance recorded (``data["components"]``), e.g. paper ones at the desk."""
    if event is None:
        return []
    return [str(name) for name in event.data.get("components") or [] if str(name).strip()]


def supplement_request_form(dossier: Dossier, event: DossierEvent) -> dict:
    """Form 02 (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ): every missing item, asked once."""
    return {
        **form_header(dossier, on=local_date(event.at)),
        "missing": list(event.data.get("missing") or []),
        "stage": event.data.get("stage") or "",
        "note": event.note,
        "requested_at": timezone.localtime(event.at, LOCAL_TZ),
        "officer": person(event.actor),
    }


def refusal_form(dossier: Dossier, event: DossierEvent) -> dict:
    """Form 03 (phiếu từ chối tiếp nhận giải quyết hồ sơ) with its reason."""
    return {
        **form_header(dossier, on=local_date(event.at)),
        "reason": event.data.get("reason") or event.note,
        "refused_at": timezone.localtime(event.at, LOCAL_TZ),
        "officer": person(event.actor),
    }


def apology_form(dossier: Dossier, event: DossierEvent) -> dict:
    """Form 04 (phiếu xin lỗi và hẹn lại ngày trả kết quả): old and new due dates and the reason."""
    received = dossier.accepted_at or dossier.submitted_at
    return {
        **form_header(dossier, on=local_date(event.at)),
        "received_at": timezone.localtime(received, LOCAL_TZ),
        "old_due_date": _parse(event.data.get("old_due_date")),
        "new_due_date": _parse(event.data.get("new_due_date")),
        "reason": event.data.get("reason") or event.note,
        "officer": person(event.actor),
    }


@dataclass
class HandOver:
    """One row of form 05: who gave the dossier to whom, when, by when that step was due, when it ended."""

    number: int
    event_id: int
    label: str
    giver: str
    receiver: str
    at: datetime
    step_due_date: date | None
    finished_at: datetime | None
    timeliness: Timeliness | None
    note: str


def _hand_over_parties(event: DossierEvent, dossier: Dossier, consultations: dict) -> tuple[str, str, str]:
    desk = _("Bộ phận Tiếp nhận và Trả kết quả")
    if event.action in ("accept", "supplement_received"):
        return _("Tiếp nhận hồ sơ"), dossier.applicant_name, person(event.actor) or desk
    if event.action == "assign":
        return _("Chuyển xử lý"), person(event.actor), person(event.handed_to)
    if event.action == "consult":
        consultation = consultations.get(event.data.get("consultation"))
        agency = consultation.agency.name if consultation else event.data.get("agency", "")
        return _("Xin ý kiến"), person(event.actor), agency
    if event.action == "result_ready":
        return _("Có kết quả, chuyển trả"), person(event.actor), desk
    return _("Trả kết quả"), person(event.actor), dossier.applicant_name


def control_slip_form(dossier: Dossier, *, today: date) -> dict:
    """Form 05 (phiếu kiểm soát quá trình giải quyết hồ sơ): every hand-over with its timeliness.

    Rows are the events of ``HAND_OVER_ACTIONS`` in order. A step ends when the next hand-over
    happens (a consultation when it is answered; the return when the result reaches the
    applicant). A step's due date is the assignment's ``step_due_date``, the consultation's own
    deadline, and for the result and its return the time limit's due date
    (``Dossier.time_limit_due_date``, not moved by an apology); its timeliness
    is ``services.workdays.timeliness`` of its end against that date (in progress: against today).
    """
    events = list(
        dossier.events.filter(action__in=HAND_OVER_ACTIONS)
        .exclude(action="supplement_received", data__stage="appraisal")
        .select_related("actor", "handed_to")
        .order_by("at", "id")
    )
    consultations = {c.pk: c for c in dossier.consultations.select_related("agency")}
    flow = [e for e in events if e.action != "consult"]
    rows = []
    for number, event in enumerate(events, start=1):
        label, giver, receiver = _hand_over_parties(event, dossier, consultations)
        if event.action == "consult":
            consultation = consultations.get(event.data.get("consultation"))
            finished = consultation.answered_at if consultation else None
            due = event.step_due_date
        elif event.action == "return":
            finished, due = event.at, dossier.time_limit_due_date
        else:
            position = flow.index(event)
            finished = flow[position + 1].at if position + 1 < len(flow) else None
            due = dossier.time_limit_due_date if event.action == "result_ready" else event.step_due_date
        rows.append(
            HandOver(
                number=number,
                event_id=event.pk,
                label=label,
                giver=giver,
                receiver=receiver,
                at=timezone.localtime(event.at, LOCAL_TZ),
                step_due_date=due,
                finished_at=timezone.localtime(finished, LOCAL_TZ) if finished else None,
                timeliness=timeliness(due, local_date(finished), today),
                note=event.note,
            )
        )
    return {
        **form_header(dossier, on=today),
        "received_at": timezone.localtime(dossier.accepted_at or dossier.submitted_at, LOCAL_TZ),
        "due_date": dossier.due_date,
        "rows": rows,
    }


# -- form 06 ---------------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    number: int
    dossier: Dossier
    applicant_address: str
    timeliness: Timeliness | None


def tracking_ledger(queryset: QuerySet[Dossier], *, start: date, end: date, today: date) -> dict:
    """Form 06 (sổ theo dõi hồ sơ): the dossiers of ``queryset`` received from ``start`` to ``end``.

    ``queryset`` is already scoped to the officer (``dossiers_for_user``) and, for a provincial
    administrator, to one agency. Oldest first; at most ``LEDGER_MAX_ROWS`` rows, ``truncated``
    says when there were more. Returns ``{"start", "end", "rows", "count", "truncated"}``.
    """
    dossiers = list(
        received_between(queryset, start, end)
        .select_related("status", "receiving_agency")
        .order_by("submitted_at", "code")[: LEDGER_MAX_ROWS + 1]
    )
    truncated = len(dossiers) > LEDGER_MAX_ROWS
    rows = [
        LedgerRow(
            number=number,
            dossier=dossier,
            applicant_address=address_text(dossier.applicant_address),
            timeliness=dossier_timeliness(dossier, today=today),
        )
        for number, dossier in enumerate(dossiers[:LEDGER_MAX_ROWS], start=1)
    ]
    return {"start": start, "end": end, "rows": rows, "count": len(rows), "truncated": truncated}
