"""Deadlines of dossiers in progress: which are due soon, and the daily reminder to officers.

Every working morning the one-stop system tells each officer which of their dossiers fall due
within 2 working days, so that the result is ready on time or the agency leader sends the
apology with a new date (form 04) while it still may: at least 1 working day before the due
date (Decree 61/2018 Art 21; issue 5 item 3). ``notify_due_soon`` is run by the
``notify_due_soon_task`` django-tasks task and by ``manage.py dossier_deadlines`` (cron).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from services.dossiers.selectors import person_name
from services.dossiers.workflow import IN_PROGRESS, RECEIVE
from services.models import Dossier
from services.workdays import LOCAL_TZ, WorkingCalendar, working_calendar

logger = logging.getLogger(__name__)

#: Working days ahead a dossier counts as due soon (issue 5 item 3).
DUE_SOON_WORKING_DAYS = 2
#: Officers' messages are in Vietnamese whatever the server's active language.
MESSAGE_LANGUAGE = "vi"


def dossiers_due_soon(
    today: date, *, within_working_days: int = DUE_SOON_WORKING_DAYS, calendar: WorkingCalendar | None = None
) -> QuerySet[Dossier]:
    """Dossiers in progress whose due date falls within ``within_working_days`` working days.

    Selected: national status 1, 2, 4, 5 or 6 (not yet processed: 9 has its result, 3/7/8/10
    are closed), not paused (``paused_at`` empty: while a supplement is awaited the time limit
    is suspended and restarts in full), and ``today <= due_date <= add_working_days(today,
    within_working_days)``. From Friday 6/3/2026 with 2 working days the window is Friday 6/3
    to Tuesday 10/3 (Saturday and Sunday are not counted). Overdue dossiers (due before today)
    are not "due soon". Ordered by due date, then code.

    ``within_working_days`` is an int >= 0 (``ValueError`` otherwise, from ``add_working_days``).
    """
    calendar = calendar or working_calendar()
    last = calendar.add_working_days(today, within_working_days)
    return (
        Dossier.objects.filter(
            status__code__in=IN_PROGRESS, paused_at__isnull=True, due_date__gte=today, due_date__lte=last
        )
        .select_related("status", "receiving_agency", "assigned_to")
        .order_by("due_date", "code")
    )


def _desk_officers(agency_ids: set[int]) -> dict[int, list]:
    """Active officers with an e-mail address and ``receive_dossier``, per agency id."""
    users = (
        get_user_model()
        .objects.filter(officer__agency_id__in=agency_ids, is_active=True)
        .exclude(email="")
        .select_related("officer")
        .order_by("pk")
    )
    desks: dict[int, list] = defaultdict(list)
    for user in users:
        if user.has_perm(RECEIVE):
            desks[user.officer.agency_id].append(user)
    return desks


def _message(user, dossiers: list[Dossier], today: date, within: int) -> EmailMessage:
    subject = ngettext(
        "[Một cửa] %(n)d hồ sơ sắp đến hạn trả kết quả",
        "[Một cửa] %(n)d hồ sơ sắp đến hạn trả kết quả",
        len(dossiers),
    ) % {"n": len(dossiers)}
    lines = [
        _("Kính gửi %(name)s,") % {"name": person_name(user)},
        "",
        _("Các hồ sơ sau đến hạn trả kết quả trong %(n)d ngày làm việc tới (tính từ ngày %(today)s):")
        % {"n": within, "today": f"{today:%d/%m/%Y}"},
        "",
    ]
    for dossier in dossiers:
        line = _("- %(code)s · %(procedure)s · hạn trả %(due)s · %(status)s") % {
            "code": dossier.code,
            "procedure": dossier.procedure_name,
            "due": f"{dossier.due_date:%d/%m/%Y}",
            "status": dossier.status.name,
        }
        if dossier.assigned_to_id is None:
            line += _(" · chưa phân công")
        lines.append(line)
    lines += [
        "",
        _(
            "Nếu không thể trả kết quả đúng hạn, lãnh đạo cơ quan lập Phiếu xin lỗi và hẹn lại ngày trả kết quả "
            "chậm nhất 01 ngày làm việc trước ngày hẹn trả (chỉ được hẹn lại một lần)."
        ),
        "",
        _("Thư gửi tự động từ Hệ thống thông tin giải quyết thủ tục hành chính; vui lòng không trả lời."),
    ]
    return EmailMessage(subject=subject, body="\n".join(lines), to=[user.email])


def notify_due_soon(today: date | None = None, *, within_working_days: int = DUE_SOON_WORKING_DAYS) -> int:
    """E-mails each officer the list of their dossiers due soon; returns the e-mails sent.

    Args:
        today: the local date to count from (default: today in Asia/Ho_Chi_Minh).
        within_working_days: the window of ``dossiers_due_soon``, in working days.

    One e-mail per recipient (Vietnamese), listing code, procedure, due date and status of each
    dossier. A dossier goes to its assigned officer (``assigned_to``) when that user is active
    and has an e-mail address; otherwise (not yet assigned, e.g. at status 1 or 2) to the desk
    officers of its receiving agency: active users with an ``OfficerProfile`` of that agency,
    an e-mail address and ``services.receive_dossier``. A dossier nobody can be told about is
    logged. A message the backend fails to send is logged and not counted; the others still go.
    """
    today = today or timezone.localdate(timezone=LOCAL_TZ)
    dossiers = list(dossiers_due_soon(today, within_working_days=within_working_days))
    direct = [d for d in dossiers if d.assigned_to is not None and d.assigned_to.is_active and d.assigned_to.email]
    direct_ids = {d.pk for d in direct}
    to_desk = [d for d in dossiers if d.pk not in direct_ids]
    desks = _desk_officers({d.receiving_agency_id for d in to_desk}) if to_desk else {}

    recipients: dict[int, tuple] = {}
    for dossier in direct:
        recipients.setdefault(dossier.assigned_to.pk, (dossier.assigned_to, []))[1].append(dossier)
    for dossier in to_desk:
        officers = desks.get(dossier.receiving_agency_id, [])
        if not officers:
            logger.warning("Dossier %s is due on %s and no officer can be notified", dossier.code, dossier.due_date)
        for officer in officers:
            recipients.setdefault(officer.pk, (officer, []))[1].append(dossier)

    sent = 0
    with translation.override(MESSAGE_LANGUAGE):
        for user, items in recipients.values():
            items.sort(key=lambda d: (d.due_date, d.code))
            try:
                _message(user, items, today, within_working_days).send()
            except Exception:
                logger.exception("Due-soon reminder to user %s could not be sent", user.pk)
                continue
            sent += 1
    return sent


@task()
def notify_due_soon_task(today: str | None = None) -> int:
    """The daily reminder as a background task: ``today`` is an ISO date (default: today)."""
    return notify_due_soon(date.fromisoformat(today) if today else None)
