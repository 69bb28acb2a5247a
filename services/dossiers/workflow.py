"""The one-stop workflow (quy trình một cửa): one function per transition of a dossier.

Rules: Decree 61/2018 Art 19–22 (reception, transfer, processing, return), Circular 01/2018
(forms 01–05, national status codes), DOMAIN.md §4. The statuses are the national vocabulary
kept as data (``DossierStatus``, codes 1–10); the allowed transitions are the table
``TRANSITIONS`` below, the only place that says which action moves which status with which
permission. ``available_actions`` reads it to offer the back office only the allowed actions.

Every write function is keyword-only, runs in one transaction, re-reads the dossier with a row
lock (``select_for_update``) and checks, in this order:

1. scope: the dossier is one the user may see (``selectors.dossiers_for_user``), else
   ``PermissionDenied`` (an officer of another agency can neither see nor touch it);
2. permission: the user holds one of the action's permissions for the current status, else
   ``PermissionDenied``;
3. status and time rules: else ``TransitionError`` with a Vietnamese message for the officer;
   bad input (empty reason, a date out of bounds…) raises ``WorkflowError``.

It then writes one ``DossierEvent`` (actor, time, from and to status, action, note, data) and
returns the dossier as saved (a fresh instance: the caller's copy is not updated).

Times: every function takes ``now`` (an aware ``datetime``, default now) so that tests and
imports can replay a date; "today" is its local date in Asia/Ho_Chi_Minh. Durations are
counted in working days by ``services.workdays`` (weekends, public holidays, administrator
adjustments, the 15:00 reception cut-off).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.dossiers.selectors import dossiers_for_user, person_name
from services.dossiers.services import Applicant, FilingError, dossier_code_allocate, procedure_time_limit
from services.models import (
    Agency,
    Channel,
    Consultation,
    Dossier,
    DossierEvent,
    DossierStatus,
    OfficerProfile,
    ProcedurePage,
)
from services.workdays import LOCAL_TZ, WorkingCalendar, timeliness, working_calendar

# -- national status codes (DOMAIN.md §4; DossierStatus rows seeded by migration 0008) -----------

NEW = 1
ACCEPTED = 2
NOT_ACCEPTED = 3
PROCESSING = 4
SUPPLEMENT_REQUESTED = 5
AWAITING_FEE = 6
WITHDRAWN = 7
STOPPED = 8
PROCESSED = 9
RETURNED = 10

#: Statuses of a dossier still being worked on: before its result, not closed.
IN_PROGRESS = frozenset({NEW, ACCEPTED, PROCESSING, SUPPLEMENT_REQUESTED, AWAITING_FEE})

RECEIVE = "services.receive_dossier"
PROCESS = "services.process_dossier"
DECIDE = "services.decide_dossier"
VIEW = "services.view_dossier"
VIEW_ALL = "services.view_all_dossiers"

#: Decree 61/2018 Art 21: a defect found during appraisal is notified within 3 working days of
#: the reception date.
APPRAISAL_SUPPLEMENT_WORKING_DAYS = 3
#: Decree 61/2018 Art 21, Circular 01/2018 form 04: the apology with a new date is sent at least
#: 1 working day before the due date.
APOLOGY_NOTICE_WORKING_DAYS = 1
#: The furthest an apology may move the due date, in working days after the current one, unless
#: ``settings.DOSSIER_APOLOGY_MAX_WORKING_DAYS`` says otherwise: the law sets no bound, but a date
#: years away (typed by mistake) could never be corrected, since the date moves only once.
APOLOGY_MAX_WORKING_DAYS = 60

#: Channels entered at the desk (``dossier_intake``); online dossiers come from ``dossier_submit``.
INTAKE_CHANNELS = (Channel.IN_PERSON.value, Channel.POST.value)


class WorkflowError(Exception):
    """A workflow action cannot be done; ``str(error)`` is a Vietnamese message for the officer."""


class TransitionError(WorkflowError):
    """The dossier's status (or a time rule of the law) does not allow the action now."""


# -- the transition table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One line of the table: from these statuses, to that one, for holders of any permission.

    ``to_status`` None: the status does not change (consultation, apology), or for
    ``supplement_received`` it goes back to where the request was made (2 or 4).
    """

    from_statuses: frozenset[int]
    to_status: int | None
    permissions: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    """A workflow action as the back office offers it.

    ``name`` keys ``TRANSITIONS`` and ``perform``; ``label`` is the button text; ``verb`` reads
    in "Không thể <verb> đang ở trạng thái …"; ``fields`` are the keyword arguments the officer
    fills in (besides ``dossier``, ``user`` and ``now``); ``form`` is the Circular 01/2018 form
    printed after it ("01" receipt, "02" supplement request, "03" refusal, "04" apology,
    "05" control slip), or "".
    """

    name: str
    label: str
    verb: str
    rules: tuple[Rule, ...]
    fields: tuple[str, ...] = ()
    form: str = ""

    @property
    def from_statuses(self) -> frozenset[int]:
        return frozenset().union(*(rule.from_statuses for rule in self.rules))


def _rule(from_statuses, to_status, *permissions) -> Rule:
    return Rule(frozenset(from_statuses), to_status, tuple(permissions))


_ACTIONS = (
    Action(
        "accept",
        "Tiếp nhận hồ sơ",
        "tiếp nhận hồ sơ",
        (_rule({NEW}, ACCEPTED, RECEIVE),),
        ("note",),
        "01",
    ),
    Action(
        "request_supplement",
        "Yêu cầu bổ sung, hoàn thiện hồ sơ",
        "yêu cầu bổ sung hồ sơ",
        # At the desk before acceptance; during appraisal by the processing officer (3-day rule).
        (_rule({NEW}, SUPPLEMENT_REQUESTED, RECEIVE), _rule({PROCESSING}, SUPPLEMENT_REQUESTED, PROCESS)),
        ("missing", "note"),
        "02",
    ),
    Action(
        "supplement_received",
        "Nhận hồ sơ đã bổ sung đầy đủ",
        "ghi nhận hồ sơ bổ sung cho hồ sơ",
        # The applicant only deals with the one-stop desk (Decree 61/2018 Art 19), also for supplements.
        (_rule({SUPPLEMENT_REQUESTED}, None, RECEIVE),),
        ("note",),
        "01",
    ),
    Action(
        "refuse",
        "Từ chối tiếp nhận hồ sơ",
        "từ chối tiếp nhận hồ sơ",
        (_rule({NEW}, NOT_ACCEPTED, RECEIVE),),
        ("reason",),
        "03",
    ),
    Action(
        "assign",
        "Phân công, chuyển xử lý",
        "phân công xử lý hồ sơ",
        (_rule({ACCEPTED, PROCESSING}, PROCESSING, PROCESS, DECIDE),),
        ("assignee", "step_due_date", "note"),
        "05",
    ),
    Action(
        "consult",
        "Xin ý kiến cơ quan, đơn vị khác",
        "xin ý kiến về hồ sơ",
        (_rule({PROCESSING}, None, PROCESS, DECIDE),),
        ("agency", "question", "due_date"),
    ),
    Action(
        "request_fee",
        "Thông báo nghĩa vụ tài chính",
        "thông báo nghĩa vụ tài chính cho hồ sơ",
        (_rule({PROCESSING}, AWAITING_FEE, PROCESS, DECIDE),),
        ("amount_vnd", "note"),
    ),
    Action(
        "fee_paid",
        "Xác nhận đã thực hiện nghĩa vụ tài chính",
        "xác nhận nghĩa vụ tài chính cho hồ sơ",
        (_rule({AWAITING_FEE}, PROCESSING, RECEIVE, PROCESS),),
        ("note",),
    ),
    Action(
        "result_ready",
        "Phê duyệt, có kết quả",
        "ghi nhận kết quả cho hồ sơ",
        # The result is signed by the competent person (agency leader), not the appraiser.
        (_rule({PROCESSING}, PROCESSED, DECIDE),),
        ("note",),
        "05",
    ),
    Action(
        "return",
        "Trả kết quả",
        "trả kết quả cho hồ sơ",
        (_rule({PROCESSED}, RETURNED, RECEIVE),),
        ("note",),
    ),
    Action(
        "withdraw",
        "Rút hồ sơ theo đề nghị của người nộp",
        "rút hồ sơ",
        # Not from 9: once the result is signed the dossier is decided; it can only be returned.
        (_rule(IN_PROGRESS, WITHDRAWN, RECEIVE),),
        ("reason",),
    ),
    Action(
        "stop",
        "Dừng xử lý hồ sơ",
        "dừng xử lý hồ sơ",
        (_rule({ACCEPTED, PROCESSING, SUPPLEMENT_REQUESTED, AWAITING_FEE}, STOPPED, DECIDE),),
        ("reason",),
    ),
    Action(
        "apologise",
        "Xin lỗi và hẹn lại ngày trả kết quả",
        "hẹn lại ngày trả kết quả cho hồ sơ",
        (_rule({ACCEPTED, PROCESSING, SUPPLEMENT_REQUESTED, AWAITING_FEE}, None, DECIDE),),
        ("reason", "new_due_date"),
        "04",
    ),
)

#: Action name → ``Action`` with its ``Rule``s: the whole transition table, in one place.
TRANSITIONS: dict[str, Action] = {action.name: action for action in _ACTIONS}


# -- helpers ---------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    return now


def _local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def _fmt(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _status(code: int) -> DossierStatus:
    return DossierStatus.objects.get(code=code)


def _has_any(user, permissions: tuple[str, ...]) -> bool:
    return any(user.has_perm(permission) for permission in permissions)


def _officer_agency_id(user) -> int | None:
    return OfficerProfile.objects.filter(user_id=user.pk).values_list("agency_id", flat=True).first()


def _text(value: str | None, message: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise WorkflowError(message)
    return value


def _lock(dossier: Dossier, user) -> Dossier:
    """The dossier re-read under a row lock, if ``user`` may see it; else ``PermissionDenied``."""
    # No select_related: on PostgreSQL a row updated by a concurrent transaction is re-checked
    # against the join rows read before the wait, so a joined status would drop the dossier.
    locked = dossiers_for_user(user).select_for_update().filter(pk=dossier.pk).first()
    if locked is None:
        raise PermissionDenied(_("Hồ sơ này không thuộc phạm vi cơ quan của bạn."))
    return locked


def _begin(name: str, dossier: Dossier, user) -> tuple[Dossier, Rule]:
    """Locks the dossier and checks scope, permission and status for action ``name``."""
    action = TRANSITIONS[name]
    locked = _lock(dossier, user)
    permitted = [rule for rule in action.rules if _has_any(user, rule.permissions)]
    if not permitted:
        raise PermissionDenied(_("Bạn không có quyền %(verb)s.") % {"verb": action.verb})
    code = locked.status.code
    rule = next((rule for rule in permitted if code in rule.from_statuses), None)
    if rule is None:
        if code in action.from_statuses:
            # Allowed from this status, but to holders of another permission (e.g. a desk
            # officer asking for a supplement during appraisal).
            raise PermissionDenied(
                _("Bạn không có quyền %(verb)s đang ở trạng thái “%(status)s”.")
                % {"verb": action.verb, "status": locked.status.name}
            )
        raise TransitionError(
            _("Không thể %(verb)s đang ở trạng thái “%(status)s”.")
            % {"verb": action.verb, "status": locked.status.name}
        )
    return locked, rule


def _record(
    dossier: Dossier,
    *,
    action: str,
    user,
    now: datetime,
    from_status: DossierStatus | None,
    note: str = "",
    data: dict | None = None,
    handed_to=None,
    step_due_date: date | None = None,
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        at=now,
        from_status=from_status,
        to_status=dossier.status,
        actor=user,
        action=action,
        note=note,
        data=data or {},
        handed_to=handed_to,
        step_due_date=step_due_date,
    )


def _due_from(dossier: Dossier, moment: datetime, calendar: WorkingCalendar) -> date | None:
    """The due date of the dossier's time limit counted from ``moment`` (15:00 cut-off)."""
    if dossier.time_limit is None or not dossier.time_unit:
        return None
    return calendar.due_date(moment, dossier.time_limit, dossier.time_unit)


def _receipt_data(dossier: Dossier, user, components: list[str] | None = None) -> dict:
    """What the receipt and appointment slip (form 01) prints beyond the dossier's own fields."""
    if components is None:
        components = list(dict.fromkeys(dossier.attachments.values_list("component", flat=True)))
    return {
        "received_on": _iso(dossier.received_on),
        "due_date": _iso(dossier.due_date),
        "time_limit": f"{Decimal(dossier.time_limit).normalize():f}" if dossier.time_limit is not None else None,
        "time_unit": dossier.time_unit,
        "components": components,
        "receiver": person_name(user),
    }


def _accept(dossier: Dossier, now: datetime, calendar: WorkingCalendar) -> None:
    """Acceptance: the binding reception date and due date count from this moment."""
    dossier.accepted_at = now
    dossier.received_on = calendar.reception_date(now)
    dossier.due_date = _due_from(dossier, now, calendar)
    dossier.original_due_date = dossier.due_date


# -- time rules (shared by the transitions and ``available_actions``) -----------------------------


def _appraisal_supplement_refusal(dossier: Dossier, today: date, calendar: WorkingCalendar) -> str | None:
    """Why a supplement can no longer be requested during appraisal, or None if it can."""
    start = dossier.received_on or (_local_date(dossier.accepted_at) if dossier.accepted_at else None)
    if start is None:
        return None
    used = calendar.working_days_between(start, today)
    if used <= APPRAISAL_SUPPLEMENT_WORKING_DAYS:
        return None
    return _(
        "Đã quá thời hạn yêu cầu bổ sung hồ sơ: trong quá trình thẩm định, việc yêu cầu bổ sung chỉ được "
        "thực hiện trong %(limit)02d ngày làm việc kể từ ngày tiếp nhận (%(start)s); hôm nay là ngày làm việc "
        "thứ %(used)d."
    ) % {"limit": APPRAISAL_SUPPLEMENT_WORKING_DAYS, "start": _fmt(start), "used": used}


def _apology_refusal(dossier: Dossier, today: date, calendar: WorkingCalendar) -> str | None:
    """Why the due date can no longer be moved by an apology (form 04), or None if it can."""
    if dossier.due_date_extended:
        return _("Hồ sơ đã được hẹn lại ngày trả kết quả một lần; không được hẹn lại lần thứ hai.")
    if dossier.due_date is None:
        return _("Hồ sơ không có hạn trả kết quả nên không cần hẹn lại.")
    if calendar.working_days_between(today, dossier.due_date) < APOLOGY_NOTICE_WORKING_DAYS:
        return _(
            "Phiếu xin lỗi và hẹn lại ngày trả kết quả phải được gửi chậm nhất %(n)02d ngày làm việc trước "
            "ngày hẹn trả (%(due)s)."
        ) % {"n": APOLOGY_NOTICE_WORKING_DAYS, "due": _fmt(dossier.due_date)}
    return None


def _intake_competence_refusal(procedure: ProcedurePage, agency: Agency) -> str | None:
    """Why ``agency`` may not take in ``procedure``, or None: its tier must be one of the procedure's.

    Catalogues name implementing agencies generically ("UBND cấp xã"), so the tier, not the
    agency itself, is what can be checked; a procedure or agency without tiers is not checked.
    """
    tiers = {tier.pk for tier in procedure.tiers.all()}
    if not tiers or agency.tier_id is None or agency.tier_id in tiers:
        return None
    return _("Thủ tục %(code)s không thực hiện ở cấp của %(agency)s; hãy hướng dẫn người nộp đến đúng cơ quan.") % {
        "code": procedure.code,
        "agency": agency.name,
    }


def _time_rule_refusal(name: str, dossier: Dossier, today: date, calendar: WorkingCalendar) -> str | None:
    if name == "request_supplement" and dossier.status.code == PROCESSING:
        return _appraisal_supplement_refusal(dossier, today, calendar)
    if name == "apologise":
        return _apology_refusal(dossier, today, calendar)
    return None


# -- reads for the back office ---------------------------------------------------------------------


def available_actions(dossier: Dossier, user, *, now: datetime | None = None) -> list[Action]:
    """The actions ``user`` may take on ``dossier`` now, in ``TRANSITIONS`` order.

    Empty when the dossier is outside the user's scope. An action appears when the dossier's
    status is one of its rule's ``from_statuses``, the user holds one of that rule's
    permissions, and the time rules allow it today (supplement during appraisal within
    3 working days of reception; the apology once and at least 1 working day before the due
    date). ``consultation_answer`` is not listed: it acts on a ``Consultation`` of the
    consulted agency, not on the dossier.
    """
    if not dossiers_for_user(user).filter(pk=dossier.pk).exists():
        return []
    today = _local_date(_now(now))
    calendar = working_calendar()
    code = dossier.status.code
    offered = []
    for action in _ACTIONS:
        if not any(code in rule.from_statuses and _has_any(user, rule.permissions) for rule in action.rules):
            continue
        if _time_rule_refusal(action.name, dossier, today, calendar) is not None:
            continue
        offered.append(action)
    return offered


# -- reception (Decree 61/2018 Art 19; Circular 01/2018 forms 01–03) ------------------------------


@transaction.atomic
def dossier_accept(*, dossier: Dossier, user, note: str = "", now: datetime | None = None) -> Dossier:
    """Accepts a complete dossier (tiếp nhận hồ sơ): status 1 → 2, permission ``receive_dossier``.

    The binding due date is computed from the moment of acceptance with the dossier's own time
    limit (``time_limit`` in ``time_unit``, copied at filing): the reception date follows the
    15:00 cut-off and non-working days (``WorkingCalendar.reception_date``), then the limit is
    counted in working days (or calendar days, months, hours) by ``WorkingCalendar.due_date``.
    Sets ``accepted_at``, ``received_on``, ``due_date`` and ``original_due_date``. The event's
    data holds what the receipt and appointment slip (form 01) prints: ``received_on``,
    ``due_date`` (ISO dates), ``time_limit``, ``time_unit``, ``components`` (the names of the
    attached components), ``receiver`` (the officer's name).

    Raises:
        PermissionDenied: outside the user's scope, or no ``receive_dossier``.
        TransitionError: the dossier is not at status 1 (new).

    Decree 61/2018 Art 19–20; Circular 01/2018 form 01.
    """
    now = _now(now)
    dossier, rule = _begin("accept", dossier, user)
    before = dossier.status
    _accept(dossier, now, working_calendar())
    dossier.status = _status(rule.to_status)
    dossier.save(update_fields=["status", "accepted_at", "received_on", "due_date", "original_due_date"])
    _record(
        dossier, action="accept", user=user, now=now, from_status=before, note=note, data=_receipt_data(dossier, user)
    )
    return dossier


@transaction.atomic
def dossier_request_supplement(
    *, dossier: Dossier, user, missing: list[str], note: str = "", now: datetime | None = None
) -> Dossier:
    """Asks the applicant to supplement the dossier (yêu cầu bổ sung, hoàn thiện): status → 5.

    Two moments:
        at reception, status 1 → 5, permission ``receive_dossier`` (the desk finds the dossier
            incomplete before accepting it);
        during appraisal, status 4 → 5, permission ``process_dossier``, only while
            ``working_days_between(reception date, today) <= 3``: day 3 after the reception
            date is allowed, day 4 refused.

    ``missing`` lists every missing or defective item, all at once (the applicant is asked
    once, not item by item); blank entries are dropped. The time limit is suspended from
    ``now`` (``paused_at``) until ``dossier_supplement_received``. Event data:
    ``{"missing": [...], "stage": "reception" | "appraisal"}`` for form 02.

    Raises:
        PermissionDenied: outside the user's scope, or no permission for the current stage.
        TransitionError: status not 1 or 4, or past the 3 working days during appraisal.
        WorkflowError: ``missing`` is empty.

    Decree 61/2018 Art 19(2) (reception) and Art 21 (appraisal, 3 working days); Circular
    01/2018 form 02.
    """
    now = _now(now)
    dossier, rule = _begin("request_supplement", dossier, user)
    refusal = _time_rule_refusal("request_supplement", dossier, _local_date(now), working_calendar())
    if refusal:
        raise TransitionError(refusal)
    items = [" ".join(str(item).split()) for item in (missing or [])]
    items = [item for item in items if item]
    if not items:
        raise WorkflowError(_("Phải liệt kê đầy đủ các giấy tờ, nội dung cần bổ sung (một lần)."))
    before = dossier.status
    dossier.status = _status(rule.to_status)
    dossier.paused_at = now
    dossier.save(update_fields=["status", "paused_at"])
    stage = "reception" if before.code == NEW else "appraisal"
    _record(
        dossier,
        action="request_supplement",
        user=user,
        now=now,
        from_status=before,
        note=note,
        data={"missing": items, "stage": stage},
    )
    return dossier


@transaction.atomic
def dossier_supplement_received(*, dossier: Dossier, user, note: str = "", now: datetime | None = None) -> Dossier:
    """Records that the complete dossier arrived after a supplement request, at the desk.

    Status 5 → 2 when the request was made at reception (this is then the acceptance: sets
    ``accepted_at`` and ``received_on`` as ``dossier_accept`` does), 5 → 4 when it was made
    during appraisal. Either way the time limit restarts **in full** from ``now`` (15:00
    cut-off, working days): ``due_date`` and ``original_due_date`` both take the new date (the
    restart is no extension; an apology already made stays used). ``paused_at`` is cleared.
    Event data: ``{"stage", "old_due_date", "new_due_date", "restarted_on"}`` plus, at
    reception, the receipt fields of ``dossier_accept`` (a new form 01 is printed).

    Raises:
        PermissionDenied: outside the user's scope, or no ``receive_dossier``.
        TransitionError: the dossier is not at status 5.

    Decree 61/2018 Art 19(2) and Art 21 (the time limit counts again from the complete dossier).
    """
    now = _now(now)
    dossier, _rule_ = _begin("supplement_received", dossier, user)
    calendar = working_calendar()
    request = (
        dossier.events.filter(action="request_supplement", to_status__code=SUPPLEMENT_REQUESTED)
        .select_related("from_status")
        .order_by("-at", "-id")
        .first()
    )
    at_reception = request is None or request.from_status is None or request.from_status.code == NEW
    before = dossier.status
    old_due = dossier.due_date
    if at_reception:
        _accept(dossier, now, calendar)
        dossier.status = _status(ACCEPTED)
    else:
        dossier.due_date = dossier.original_due_date = _due_from(dossier, now, calendar)
        dossier.status = _status(PROCESSING)
    dossier.paused_at = None
    dossier.save(update_fields=["status", "accepted_at", "received_on", "due_date", "original_due_date", "paused_at"])
    data = {
        "stage": "reception" if at_reception else "appraisal",
        "old_due_date": _iso(old_due),
        "new_due_date": _iso(dossier.due_date),
        "restarted_on": _iso(calendar.reception_date(now)),
    }
    if at_reception:
        data.update(_receipt_data(dossier, user))
    _record(dossier, action="supplement_received", user=user, now=now, from_status=before, note=note, data=data)
    return dossier


@transaction.atomic
def dossier_refuse(*, dossier: Dossier, user, reason: str, now: datetime | None = None) -> Dossier:
    """Refuses to accept the dossier (từ chối tiếp nhận): status 1 → 3, ``receive_dossier``.

    ``reason`` (required) is printed on the refusal slip (form 03) and kept as the event's note
    and ``data["reason"]``.

    Raises:
        PermissionDenied: outside the user's scope, or no ``receive_dossier``.
        TransitionError: the dossier is not at status 1.
        WorkflowError: ``reason`` is empty.

    Decree 61/2018 Art 19(2)(c); Circular 01/2018 form 03.
    """
    return _close(
        "refuse", dossier=dossier, user=user, reason=reason, now=now, message=_("Phải nêu rõ lý do từ chối tiếp nhận.")
    )


@transaction.atomic
def dossier_intake(
    *,
    procedure: ProcedurePage,
    agency: Agency,
    channel: str,
    applicant: Applicant,
    user,
    case_title: str = "",
    components: list[str],
    note: str = "",
    submission_key: UUID | None = None,
    now: datetime | None = None,
) -> Dossier:
    """Enters a dossier received at the one-stop desk or by public post, already accepted.

    Args:
        procedure: the procedure applied for (its code and name are copied).
        agency: the receiving agency; the user must be one of its officers (or see all).
        channel: ``"in_person"`` or ``"post"`` (``Channel``); online dossiers come from
            ``dossier_submit``.
        applicant: who files (id number already validated).
        case_title: the procedure's case (trường hợp); its time limit for ``channel`` applies
            (``procedure_time_limit``, falling back to the in-person one).
        components: the names of the paper components received (at least one); printed on
            the receipt (form 01) from the event's data, not stored as files.
        submission_key: the key printed in the intake form; entering the same form twice
            (a double click, a resent POST) returns the first dossier instead of a second one.

    The desk checks completeness before entering it, so the dossier is created directly at
    status 2 with a code from ``dossier_code_allocate`` (agency, local date of ``now``),
    ``submitted_at = accepted_at = now``, and the due date counted from ``now`` (15:00 cut-off,
    working days). A single event records it: ``action="accept"``, ``from_status`` None,
    ``to_status`` 2, data = the receipt fields of ``dossier_accept`` plus ``channel`` — one
    acceptance event for every channel, so form 01 and the statistics read them alike.

    Raises:
        PermissionDenied: the user is not an officer of ``agency`` (nor sees all agencies), or
            lacks ``receive_dossier``.
        WorkflowError: unknown channel, no component, the agency has no identifier to build
            the dossier code from, or the agency's tier is not one the procedure is carried out
            at (a department cannot take in a commune's procedure).

    Decree 61/2018 Art 19 (reception in person and by post); Circular 01/2018 Art 6 (code),
    form 01.
    """
    now = _now(now)
    if not user.is_active or not (
        user.is_superuser or user.has_perm(VIEW_ALL) or (_officer_agency_id(user) == agency.pk and user.has_perm(VIEW))
    ):
        raise PermissionDenied(_("Bạn chỉ được tiếp nhận hồ sơ cho cơ quan của mình."))
    if not user.has_perm(RECEIVE):
        raise PermissionDenied(_("Bạn không có quyền tiếp nhận hồ sơ."))
    if channel not in INTAKE_CHANNELS:
        raise WorkflowError(_("Hình thức nộp phải là trực tiếp hoặc qua dịch vụ bưu chính."))
    refusal = _intake_competence_refusal(procedure, agency)
    if refusal:
        raise WorkflowError(refusal)
    if submission_key is not None:
        existing = Dossier.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    names = [" ".join(str(name).split()) for name in (components or [])]
    names = [name for name in names if name]
    if not names:
        raise WorkflowError(_("Phải ghi các thành phần hồ sơ đã nhận."))

    calendar = working_calendar()
    time_limit, unit = procedure_time_limit(procedure, case_title=case_title, channel=channel)
    try:
        # A savepoint: a resent form that loses the race on ``submission_key`` gives its code
        # number back and returns the dossier the first one created.
        with transaction.atomic():
            code = dossier_code_allocate(agency=agency, day=_local_date(now))
            dossier = Dossier(
                code=code,
                procedure=procedure,
                procedure_code=procedure.code,
                procedure_name=procedure.name,
                case_title=case_title,
                receiving_agency=agency,
                channel=channel,
                **applicant.dossier_fields(),
                status=_status(ACCEPTED),
                submitted_at=now,
                time_limit=time_limit,
                time_unit=unit,
                submission_key=submission_key,
            )
            _accept(dossier, now, calendar)
            dossier.save()
    except FilingError as error:
        raise WorkflowError(str(error)) from error
    except IntegrityError:
        existing = Dossier.objects.filter(submission_key=submission_key).first() if submission_key else None
        if existing is None:
            raise
        return existing
    data = _receipt_data(dossier, user, components=names)
    data["channel"] = channel
    _record(dossier, action="accept", user=user, now=now, from_status=None, note=note, data=data)
    return dossier


# -- processing (Decree 61/2018 Art 21; Circular 01/2018 form 05) ---------------------------------


@transaction.atomic
def dossier_assign(
    *,
    dossier: Dossier,
    user,
    assignee,
    step_due_date: date | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Dossier:
    """Assigns (or hands over) the dossier to an officer: status 2 → 4, or 4 → 4.

    Permission ``process_dossier`` or ``decide_dossier``. ``assignee`` must be an active
    officer of the dossier's agency holding ``process_dossier`` or ``decide_dossier``.
    ``step_due_date`` (optional) is the date this step is due: a working day between today and
    the dossier's due date. Sets ``assigned_to``; the event is a hand-over of the processing control slip
    (form 05): ``handed_to`` = assignee, ``step_due_date``.

    Raises:
        PermissionDenied: outside the user's scope, or neither permission.
        TransitionError: status not 2 or 4.
        WorkflowError: the assignee is not such an officer, or ``step_due_date`` is out of bounds.

    Decree 61/2018 Art 21(1); Circular 01/2018 form 05.
    """
    now = _now(now)
    dossier, rule = _begin("assign", dossier, user)
    if (
        assignee is None
        or not assignee.is_active
        or _officer_agency_id(assignee) != dossier.receiving_agency_id
        or not _has_any(assignee, (PROCESS, DECIDE))
    ):
        raise WorkflowError(
            _("Người được phân công phải là cán bộ xử lý hoặc lãnh đạo của %(agency)s.")
            % {"agency": dossier.receiving_agency.name}
        )
    today = _local_date(now)
    if step_due_date is not None:
        if step_due_date < today:
            raise WorkflowError(_("Hạn của bước xử lý không được trước ngày hôm nay."))
        if not working_calendar().is_working_day(step_due_date):
            raise WorkflowError(
                _("Hạn của bước xử lý (%(day)s) không phải ngày làm việc.") % {"day": _fmt(step_due_date)}
            )
        if dossier.due_date and step_due_date > dossier.due_date:
            raise WorkflowError(
                _("Hạn của bước xử lý không được sau ngày hẹn trả kết quả (%(due)s).") % {"due": _fmt(dossier.due_date)}
            )
    before = dossier.status
    dossier.status = _status(rule.to_status)
    dossier.assigned_to = assignee
    dossier.save(update_fields=["status", "assigned_to"])
    _record(
        dossier,
        action="assign",
        user=user,
        now=now,
        from_status=before,
        note=note,
        data={"assignee": person_name(assignee)},
        handed_to=assignee,
        step_due_date=step_due_date,
    )
    return dossier


@transaction.atomic
def dossier_consult(
    *, dossier: Dossier, user, agency: Agency, question: str, due_date: date, now: datetime | None = None
) -> Consultation:
    """Asks another agency or unit for its opinion (lấy ý kiến), with its own deadline.

    Status stays 4; permission ``process_dossier`` or ``decide_dossier``. ``due_date`` (a
    date) must be between today and the dossier's due date inclusive: the consulted unit's
    time is part of the dossier's time limit. Creates a ``Consultation`` and an event
    (``step_due_date`` = ``due_date``, data ``{"consultation", "agency", "question",
    "due_date"}``). Returns the consultation (its ``dossier`` is the updated dossier).

    Raises:
        PermissionDenied: outside the user's scope, or neither permission.
        TransitionError: status not 4.
        WorkflowError: empty question, or ``due_date`` before today or after the dossier's due date.

    Decree 61/2018 Art 21(2) (consultation of other agencies, each with its time budget).
    """
    now = _now(now)
    dossier, _rule_ = _begin("consult", dossier, user)
    question = _text(question, _("Phải ghi nội dung cần xin ý kiến."))
    if due_date < _local_date(now):
        raise WorkflowError(_("Hạn trả lời không được trước ngày hôm nay."))
    if dossier.due_date and due_date > dossier.due_date:
        raise WorkflowError(
            _("Hạn trả lời (%(asked)s) không được sau ngày hẹn trả kết quả của hồ sơ (%(due)s).")
            % {"asked": _fmt(due_date), "due": _fmt(dossier.due_date)}
        )
    consultation = Consultation.objects.create(
        dossier=dossier, agency=agency, question=question, requested_at=now, requested_by=user, due_date=due_date
    )
    _record(
        dossier,
        action="consult",
        user=user,
        now=now,
        from_status=dossier.status,
        note=question,
        data={
            "consultation": consultation.pk,
            "agency": agency.name,
            "question": question,
            "due_date": _iso(due_date),
        },
        step_due_date=due_date,
    )
    return consultation


@transaction.atomic
def consultation_answer(*, consultation: Consultation, user, answer: str, now: datetime | None = None) -> Consultation:
    """Records the consulted agency's answer to a ``Consultation``, once.

    The user must be an officer of the consulted agency (``consultation.agency``, or a
    superuser) with ``process_dossier`` or ``decide_dossier``. Sets ``answered_at`` and
    ``answer`` and writes an event on the dossier (status unchanged) with data
    ``{"consultation", "agency", "timeliness"}``: early / on time / late against the
    consultation's own due date.

    Raises:
        PermissionDenied: not an officer of the consulted agency, or neither permission.
        TransitionError: already answered, or the dossier is no longer in progress.
        WorkflowError: empty answer.

    Decree 61/2018 Art 21(2).
    """
    now = _now(now)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not user.is_active or not (user.is_superuser or _officer_agency_id(user) == consultation.agency_id):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị được hỏi ý kiến mới được trả lời."))
    if not _has_any(user, (PROCESS, DECIDE)):
        raise PermissionDenied(_("Bạn không có quyền trả lời xin ý kiến."))
    if consultation.answered_at is not None:
        raise TransitionError(_("Yêu cầu xin ý kiến này đã được trả lời."))
    dossier = consultation.dossier
    if dossier.status.code not in IN_PROGRESS:
        raise TransitionError(
            _("Hồ sơ đang ở trạng thái “%(status)s”, không cần trả lời xin ý kiến nữa.")
            % {"status": dossier.status.name}
        )
    consultation.answer = _text(answer, _("Phải ghi nội dung ý kiến."))
    consultation.answered_at = now
    consultation.save(update_fields=["answer", "answered_at"])
    _record(
        dossier,
        action="consultation_answer",
        user=user,
        now=now,
        from_status=dossier.status,
        note=consultation.answer,
        data={
            "consultation": consultation.pk,
            "agency": consultation.agency.name,
            "timeliness": str(timeliness(consultation.due_date, _local_date(now), _local_date(now))),
        },
    )
    return consultation


@transaction.atomic
def dossier_request_fee(
    *, dossier: Dossier, user, amount_vnd: int, note: str = "", now: datetime | None = None
) -> Dossier:
    """Notifies the fee or financial obligation to pay (nghĩa vụ tài chính): status 4 → 6.

    Permission ``process_dossier`` or ``decide_dossier``. ``amount_vnd`` is a whole number of
    VND, >= 0 (0: an obligation whose amount another agency sets, e.g. land tax). The time
    limit keeps running (``paused_at`` untouched): a procedure whose law excludes the time of
    the financial obligation states it in its own time limit. Event data ``{"amount_vnd"}``.

    Raises:
        PermissionDenied: outside the user's scope, or neither permission.
        TransitionError: status not 4.
        WorkflowError: ``amount_vnd`` not an int >= 0.

    Decree 61/2018 Art 21; national status 6.
    """
    now = _now(now)
    dossier, rule = _begin("request_fee", dossier, user)
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int) or amount_vnd < 0:
        raise WorkflowError(_("Số tiền phải là số nguyên đồng, không âm."))
    return _move(dossier, rule, action="request_fee", user=user, now=now, note=note, data={"amount_vnd": amount_vnd})


@transaction.atomic
def dossier_fee_paid(*, dossier: Dossier, user, note: str = "", now: datetime | None = None) -> Dossier:
    """Records that the fee or financial obligation was met: status 6 → 4.

    Permission ``receive_dossier`` (the desk takes the payment receipt) or ``process_dossier``.

    Raises:
        PermissionDenied: outside the user's scope, or neither permission.
        TransitionError: status not 6.

    Decree 61/2018 Art 21; national status 6 → 4.
    """
    now = _now(now)
    dossier, rule = _begin("fee_paid", dossier, user)
    return _move(dossier, rule, action="fee_paid", user=user, now=now, note=note)


@transaction.atomic
def dossier_result_ready(*, dossier: Dossier, user, note: str = "", now: datetime | None = None) -> Dossier:
    """The result is signed and ready (đã có kết quả): status 4 → 9, ``decide_dossier``.

    The result is signed by the competent person (the agency leader), so the permission is
    ``decide_dossier``, not ``process_dossier``. Sets ``finished_at``; event data
    ``{"timeliness"}``: early / on time / late of the local date of ``now`` against ``due_date``
    (for forms 05–06).

    Raises:
        PermissionDenied: outside the user's scope, or no ``decide_dossier``.
        TransitionError: status not 4.

    Decree 61/2018 Art 21–22; national status 9.
    """
    now = _now(now)
    dossier, rule = _begin("result_ready", dossier, user)
    dossier.finished_at = now
    today = _local_date(now)
    result = timeliness(dossier.due_date, today, today)
    return _move(
        dossier,
        rule,
        action="result_ready",
        user=user,
        now=now,
        note=note,
        data={"timeliness": str(result) if result else None},
        fields=["finished_at"],
    )


@transaction.atomic
def dossier_return(*, dossier: Dossier, user, note: str = "", now: datetime | None = None) -> Dossier:
    """Hands the result to the applicant (trả kết quả): status 9 → 10, ``receive_dossier``.

    Sets ``returned_at``. Returning before the due date is encouraged (Decree 61/2018 Art 22).

    Raises:
        PermissionDenied: outside the user's scope, or no ``receive_dossier``.
        TransitionError: status not 9.

    Decree 61/2018 Art 22; national status 10.
    """
    now = _now(now)
    dossier, rule = _begin("return", dossier, user)
    dossier.returned_at = now
    return _move(dossier, rule, action="return", user=user, now=now, note=note, fields=["returned_at"])


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, user, reason: str, now: datetime | None = None) -> Dossier:
    """Withdraws the dossier at the applicant's request (rút hồ sơ): status 1/2/4/5/6 → 7.

    Permission ``receive_dossier`` (the applicant asks at the desk). Not from 9: once the
    result is signed the dossier is decided and can only be returned. ``reason`` (required)
    is the applicant's stated reason.

    Raises:
        PermissionDenied: outside the user's scope, or no ``receive_dossier``.
        TransitionError: status not in progress (1, 2, 4, 5, 6).
        WorkflowError: empty ``reason``.

    National status 7 (Circular 01/2018, status vocabulary of the national portal).
    """
    return _close(
        "withdraw", dossier=dossier, user=user, reason=reason, now=now, message=_("Phải ghi lý do rút hồ sơ.")
    )


@transaction.atomic
def dossier_stop(*, dossier: Dossier, user, reason: str, now: datetime | None = None) -> Dossier:
    """Stops processing the dossier (dừng xử lý): status 2/4/5/6 → 8, ``decide_dossier``.

    ``reason`` (required), e.g. the applicant did not supplement, or the law no longer allows it.

    Raises:
        PermissionDenied: outside the user's scope, or no ``decide_dossier``.
        TransitionError: status not 2, 4, 5 or 6.
        WorkflowError: empty ``reason``.

    National status 8 (Circular 01/2018, status vocabulary of the national portal).
    """
    return _close("stop", dossier=dossier, user=user, reason=reason, now=now, message=_("Phải ghi lý do dừng xử lý."))


@transaction.atomic
def dossier_apologise(
    *, dossier: Dossier, user, reason: str, new_due_date: date, now: datetime | None = None
) -> Dossier:
    """Apologises for a coming delay and sets a new due date (phiếu xin lỗi, form 04).

    Permission ``decide_dossier``; status 2, 4, 5 or 6 (unchanged). Allowed **once** per
    dossier (``due_date_extended``) and only while today is at least 1 working day before the
    due date: ``working_days_between(today, due_date) >= 1`` (on the due date itself it is too
    late). ``new_due_date`` must be a working day after the current due date. Sets
    ``due_date`` and ``due_date_extended``; ``original_due_date`` keeps the date first given.
    Event data ``{"old_due_date", "new_due_date", "reason"}`` (ISO dates).

    Raises:
        PermissionDenied: outside the user's scope, or no ``decide_dossier``.
        TransitionError: wrong status, already moved once, no due date, or less than 1
            working day before the due date.
        WorkflowError: empty ``reason``; ``new_due_date`` not after the due date, not a
            working day, or more than ``APOLOGY_MAX_WORKING_DAYS`` (60) working days after it.

    Decree 61/2018 Art 21 (overdue dossiers: apology and new date, at most once); Circular
    01/2018 form 04.
    """
    now = _now(now)
    dossier, _rule_ = _begin("apologise", dossier, user)
    calendar = working_calendar()
    refusal = _apology_refusal(dossier, _local_date(now), calendar)
    if refusal:
        raise TransitionError(refusal)
    reason = _text(reason, _("Phải nêu rõ lý do chậm trả kết quả."))
    old_due = dossier.due_date
    if new_due_date <= old_due:
        raise WorkflowError(_("Ngày hẹn mới phải sau ngày hẹn trả hiện tại (%(due)s).") % {"due": _fmt(old_due)})
    if not calendar.is_working_day(new_due_date):
        raise WorkflowError(_("Ngày hẹn mới (%(day)s) không phải ngày làm việc.") % {"day": _fmt(new_due_date)})
    furthest = getattr(settings, "DOSSIER_APOLOGY_MAX_WORKING_DAYS", APOLOGY_MAX_WORKING_DAYS)
    if calendar.working_days_between(old_due, new_due_date) > furthest:
        raise WorkflowError(
            _("Ngày hẹn mới không được quá %(n)s ngày làm việc sau ngày hẹn trả hiện tại (%(due)s).")
            % {"n": furthest, "due": _fmt(old_due)}
        )
    dossier.original_due_date = dossier.original_due_date or old_due
    dossier.due_date = new_due_date
    dossier.due_date_extended = True
    dossier.save(update_fields=["due_date", "original_due_date", "due_date_extended"])
    _record(
        dossier,
        action="apologise",
        user=user,
        now=now,
        from_status=dossier.status,
        note=reason,
        data={"old_due_date": _iso(old_due), "new_due_date": _iso(new_due_date), "reason": reason},
    )
    return dossier


# -- shared tails ------------------------------------------------------------------------------------


def _move(
    dossier: Dossier,
    rule: Rule,
    *,
    action: str,
    user,
    now: datetime,
    note: str = "",
    data: dict | None = None,
    fields: list[str] | None = None,
) -> Dossier:
    before = dossier.status
    dossier.status = _status(rule.to_status)
    dossier.save(update_fields=["status", *(fields or [])])
    _record(dossier, action=action, user=user, now=now, from_status=before, note=note, data=data)
    return dossier


def _close(name: str, *, dossier: Dossier, user, reason: str, now: datetime | None, message: str) -> Dossier:
    """Refusal, withdrawal, stop: a final status with a mandatory reason (note and data)."""
    now = _now(now)
    dossier, rule = _begin(name, dossier, user)
    reason = _text(reason, message)
    return _move(dossier, rule, action=name, user=user, now=now, note=reason, data={"reason": reason})


#: Action name → the function doing it (the back office calls ``perform``).
FUNCTIONS = {
    "accept": dossier_accept,
    "request_supplement": dossier_request_supplement,
    "supplement_received": dossier_supplement_received,
    "refuse": dossier_refuse,
    "assign": dossier_assign,
    "consult": dossier_consult,
    "request_fee": dossier_request_fee,
    "fee_paid": dossier_fee_paid,
    "result_ready": dossier_result_ready,
    "return": dossier_return,
    "withdraw": dossier_withdraw,
    "stop": dossier_stop,
    "apologise": dossier_apologise,
}


def perform(name: str, *, dossier: Dossier, user, now: datetime | None = None, **fields):
    """Runs action ``name`` of ``TRANSITIONS`` with the officer's ``fields`` (``Action.fields``).

    Raises ``KeyError`` for an unknown name, and whatever the action's function raises.
    """
    return FUNCTIONS[name](dossier=dossier, user=user, now=now, **fields)


__all__ = [
    "TRANSITIONS",
    "Action",
    "Rule",
    "TransitionError",
    "WorkflowError",
    "available_actions",
    "consultation_answer",
    "dossier_accept",
    "dossier_apologise",
    "dossier_assign",
    "dossier_consult",
    "dossier_fee_paid",
    "dossier_intake",
    "dossier_refuse",
    "dossier_request_fee",
    "dossier_request_supplement",
    "dossier_result_ready",
    "dossier_return",
    "dossier_stop",
    "dossier_supplement_received",
    "dossier_withdraw",
    "perform",
]
