"""The plan's deadline for submission to the Chairman, and the daily reminder (issue 7 item 4).

In the seed story the master plan had to reach the Chairman by 30/9/2019 (DOMAIN.md §1). Every
day from ``REMIND_CALENDAR_DAYS`` calendar days before a plan's ``submission_deadline`` until it
is submitted (and every day after the deadline while it is still not submitted, for at most
``REMIND_OVERDUE_CALENDAR_DAYS`` days: a plan left in draft longer is abandoned or historical,
and a daily "overdue 2,525 days" helps nobody), the aggregating
department's users (``rollout.aggregate_proposals``, active, with an e-mail address) get one
Vietnamese e-mail listing those plans with the days left or overdue and the proposals still
waiting to be reviewed. Run by ``manage.py rollout_deadlines`` (cron) or the django-tasks task.
Calendar days, not working days: the deadline is a date fixed by the provincial People's
Committee, not a processing time limit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from services.rollout.models import Plan, Proposal
from services.workdays import LOCAL_TZ

logger = logging.getLogger(__name__)

#: Reminders start this many calendar days before the submission deadline.
REMIND_CALENDAR_DAYS = 7
#: Reminders stop once a plan is more than this many calendar days past its deadline.
REMIND_OVERDUE_CALENDAR_DAYS = 30


@dataclass(frozen=True)
class PlanDeadline:
    """A plan not yet submitted: ``days_left`` calendar days to its deadline (negative: overdue),
    ``accepted`` proposals already in it and ``waiting`` submitted proposals not yet reviewed."""

    plan: Plan
    days_left: int
    accepted: int
    waiting: int


def plans_due_soon(today: date, *, within_days: int = REMIND_CALENDAR_DAYS) -> list[PlanDeadline]:
    """The plans to remind of, soonest deadline first.

    Rule: only plans still in draft (a submitted or approved plan is never reminded of), whose
    ``submission_deadline`` is at most ``within_days`` calendar days after ``today`` and at most
    ``REMIND_OVERDUE_CALENDAR_DAYS`` (30) calendar days before it. For a plan due on 30/9/2019:
    listed from 23/9/2019 (7 days left), not on 22/9/2019 (8 days); still on 30/10/2019 (overdue
    30 days), no longer from 31/10/2019 (overdue 31 days).
    """
    waiting = Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count()
    result = []
    oldest = today - timedelta(days=REMIND_OVERDUE_CALENDAR_DAYS)
    drafts = Plan.objects.filter(status=Plan.Status.DRAFT, submission_deadline__gte=oldest)
    for plan in drafts.order_by("submission_deadline", "pk"):
        days_left = (plan.submission_deadline - today).days
        if days_left <= within_days:
            accepted = plan.proposals.filter(status=Proposal.Status.ACCEPTED).count()
            result.append(PlanDeadline(plan, days_left, accepted, waiting))
    return result


def _recipients() -> list:
    perm = Permission.objects.get(content_type__app_label="rollout", codename="aggregate_proposals")
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True))
        .distinct()
        .order_by("pk")
    )
    return list(users)


def _line(item: PlanDeadline) -> str:
    if item.days_left > 0:
        when = _("còn %(n)d ngày") % {"n": item.days_left}
    elif item.days_left == 0:
        when = _("hết hạn hôm nay")
    else:
        when = _("đã quá hạn %(n)d ngày") % {"n": -item.days_left}
    return _("- %(title)s: hạn trình %(deadline)s (%(when)s); %(accepted)d dịch vụ đã đưa vào kế hoạch") % {
        "title": item.plan.title,
        "deadline": f"{item.plan.submission_deadline:%d/%m/%Y}",
        "when": when,
        "accepted": item.accepted,
    }


def notify_plan_deadlines(today: date | None = None, *, within_days: int = REMIND_CALENDAR_DAYS) -> int:
    """E-mails the aggregating department about plans due soon or overdue; returns e-mails sent.

    One message per recipient; a message the backend fails to send is logged and not counted.
    """
    today = today or timezone.localdate(timezone=LOCAL_TZ)
    items = plans_due_soon(today, within_days=within_days)
    if not items:
        return 0
    sent = 0
    with translation.override("vi"):
        body = [_("Các kế hoạch DVC trực tuyến sau chưa trình Chủ tịch UBND tỉnh:"), ""]
        body += [_line(item) for item in items]
        if items[0].waiting:
            body += ["", _("Còn %(n)d đề xuất đã gửi chờ xem xét.") % {"n": items[0].waiting}]
        body += ["", _("Thư gửi tự động từ Cổng Dịch vụ công; vui lòng không trả lời.")]
        subject = _("[Kế hoạch DVC] Hạn trình Chủ tịch UBND tỉnh")
        for user in _recipients():
            try:
                EmailMessage(subject=subject, body="\n".join(body), to=[user.email]).send()
            except Exception:
                logger.exception("Plan deadline reminder to user %s could not be sent", user.pk)
                continue
            sent += 1
    return sent


@task()
def notify_plan_deadlines_task(today: str | None = None) -> int:
    """The daily reminder as a background task: ``today`` is an ISO date (default: today)."""
    return notify_plan_deadlines(date.fromisoformat(today) if today else None)
