"""Demo data of the evaluation app: something to look at and something to try.

``load_evaluation_demo()`` runs after the demo catalogue and its online forms
(``services.demo.loader.load_demo``) and the demo administrator (``load_demo``). Everything goes
through the real workflow functions with explicit moments (``now``), so every dossier has a
history and the results are computed, not typed in:

1. **The previous quarter, published.** For up to ``AGENCIES`` agencies (those of the first
   live online forms), ``PREVIOUS_DOSSIERS`` dossiers are filed online and taken through the
   one-stop workflow (accept, assign, result ready, return) on dates inside the previous
   quarter; the citizens rate the first ``PREVIOUS_RATED`` of each (the last one stays
   unrated, as in life); each agency's leader submits the quarter's self-assessment; then the
   demo administrator publishes the quarter (``evaluation.publication.results_publish``), so
   ``/danh-gia/ket-qua/`` shows the agencies with their 18-point totals and classes.
2. **The current quarter, to try.** ``CURRENT_UNRATED`` dossiers of the first agency are
   returned in the current quarter and left **unrated**: the command prints their codes and
   the applicants' id numbers, which a visitor types at ``/danh-gia/``. The first agency's
   leader also keeps a draft self-assessment of the current quarter (it cannot be submitted
   before the quarter ends).

Running it again adds nothing (dossiers are found by their submission key, evaluations,
self-assessments and the published period by their own keys) and prints the same unrated
dossiers while they stay unrated.

Demo accounts (password ``DEMO_OFFICER_PASSWORD``, default ``dichvucong-demo``): ``motcua-demo``
(one-stop desk) and ``lanhdao-demo`` (leader) of the first agency, ``motcua-demo-2``,
``lanhdao-demo-2``… of the others. Their names are split as Vietnamese write them (family and
middle names in ``last_name``, given name in ``first_name``), so
``services.dossiers.selectors.person_name`` reads "Nguyễn Thị Lan".
"""

import itertools
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from evaluation.models import Evaluation, SelfAssessment, SelfAssessmentStatus
from evaluation.publication import period_dates, published_period, results_publish
from evaluation.selectors import quarter_of
from evaluation.services import evaluation_submit, self_assessment_save, self_assessment_submit
from services.dossiers import workflow
from services.dossiers.services import Applicant, dossier_submit
from services.models import Agency, Dossier, OfficerProfile, OnlineServiceForm
from services.workdays import LOCAL_TZ

AGENCIES = 3
PREVIOUS_DOSSIERS = 3
PREVIOUS_RATED = 2
CURRENT_UNRATED = 2
DESK_GROUP = "Cán bộ Bộ phận Một cửa"
LEADER_GROUP = "Lãnh đạo cơ quan"
#: Namespace of the demo dossiers' submission keys (``uuid5``), which make filing idempotent.
KEY_NAMESPACE = uuid.UUID("6f1c2a5e-3b7d-4c1e-9a2f-0d8e5b7c4a21")

#: (last_name = family and middle names, first_name = given name) of each agency's desk officer and leader.
OFFICER_NAMES = [
    (("Nguyễn Thị", "Lan"), ("Trần Văn", "Hùng")),
    (("Lê Thị", "Mai"), ("Phạm Quốc", "Bảo")),
    (("Hoàng Thị", "Thu"), ("Vũ Đức", "Minh")),
]
APPLICANT_NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Đỗ Minh Đức", "Bùi Thị Hạnh"]

#: One set of answers per rating (option keys of the shipped templates, migration 0002).
#: Points of indices 3 / 4 / 7: set 0 = 2 / 2 / 2, set 1 = 1 / 2 / 1, set 2 = 2 / 1 / 2.
ANSWERS = [
    {
        "citizen_index__thoi-gian-giai-quyet": "truoc-han",
        "citizen_index__so-lan-lien-he": "khong-lan-nao",
        "citizen_index__so-co-quan-lien-he": "khong-co-quan-nao",
        "citizen_index__thai-do-can-bo": "tra-som-khong-phan-anh",
        "online_satisfaction__overall": "rat-hai-long",
        "online_satisfaction__ease_of_use": "hai-long",
        "online_satisfaction__timeliness": "rat-hai-long",
        "online_satisfaction__staff_support": "rat-hai-long",
    },
    {
        "citizen_index__thoi-gian-giai-quyet": "dung-han",
        "citizen_index__so-lan-lien-he": "mot-lan",
        "citizen_index__so-co-quan-lien-he": "khong-co-quan-nao",
        "citizen_index__thai-do-can-bo": "dung-han-khong-phan-anh",
        "online_satisfaction__overall": "hai-long",
        "online_satisfaction__ease_of_use": "chua-hai-long",
        "online_satisfaction__timeliness": "hai-long",
        "online_satisfaction__staff_support": "hai-long",
    },
    {
        "citizen_index__thoi-gian-giai-quyet": "truoc-han",
        "citizen_index__so-lan-lien-he": "khong-lan-nao",
        "citizen_index__so-co-quan-lien-he": "mot-co-quan",
        "citizen_index__thai-do-can-bo": "tra-som-khong-phan-anh",
        "online_satisfaction__overall": "rat-hai-long",
        "online_satisfaction__ease_of_use": "rat-hai-long",
        "online_satisfaction__timeliness": "rat-hai-long",
        "online_satisfaction__staff_support": "hai-long",
    },
]
COMMENTS = ["Cán bộ hướng dẫn tận tình.", "", "Nhận kết quả sớm hơn hẹn, cảm ơn."]

#: One self-assessment per agency (indices 5, 6, 8, 9; Circular 01/2018 Art 14). Points:
#: agency 1: 1 + 1 + 2 + 1 = 5; agency 2: 2 + 2 + 1 + 2 = 7; agency 3: 0 + 1 + 1 + 0 = 2.
SELF_ASSESSMENTS = [
    {
        5: {"option": "du-thu-tuc", "evidence": "Mọi thủ tục thuộc diện một cửa đều tiếp nhận tại Bộ phận Một cửa."},
        6: {"option": "mot-hinh-thuc", "evidence": "Niêm yết tại trụ sở; chưa cập nhật đủ trên Cổng."},
        8: {"option": "khong-co-hoac-dung-han", "evidence": "Không có phản ánh, kiến nghị trong quý."},
        9: {"option": "da-trien-khai", "evidence": "22% hồ sơ tiếp nhận trực tuyến."},
    },
    {
        5: {"option": "vuot-ty-le", "evidence": "Quyết định đưa thêm 12 thủ tục ra Bộ phận Một cửa."},
        6: {"option": "niem-yet-va-dien-tu", "evidence": "Niêm yết tại trụ sở và công khai trên Cổng Dịch vụ công."},
        8: {"option": "tu-90", "evidence": "19/20 phản ánh xử lý đúng hạn."},
        9: {"option": "dat", "evidence": "Toàn bộ thủ tục đủ điều kiện đã cung cấp trực tuyến."},
    },
    {
        5: {"option": "chua-du", "evidence": "Còn 3 thủ tục tiếp nhận tại phòng chuyên môn."},
        6: {"option": "mot-hinh-thuc", "evidence": "Niêm yết tại trụ sở."},
        8: {"option": "tu-90", "evidence": "9/10 phản ánh xử lý đúng hạn."},
        9: {"option": "con-lai", "evidence": "Chưa triển khai dịch vụ công trực tuyến."},
    },
]
#: The current quarter's draft of the first agency: index 9 not yet scored.
CURRENT_DRAFT = {**SELF_ASSESSMENTS[0], 9: {"option": "", "evidence": ""}}


@dataclass(frozen=True)
class DemoAgency:
    agency: Agency
    forms: list[OnlineServiceForm]
    desk: object
    leader: object


def _demo_user(username: str, group: str, agency: Agency, names: tuple[str, str]):
    """The demo officer ``username`` of ``agency`` (created once; a nameless one from an older demo is named)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    last_name, first_name = names
    if user is None:
        password = os.environ.get("DEMO_OFFICER_PASSWORD", "dichvucong-demo")
        user = User.objects.create_user(
            username=username,
            password=password,
            email=f"{username}@example.invalid",
            first_name=first_name,
            last_name=last_name,
        )
        user.groups.add(Group.objects.get(name=group))
        OfficerProfile.objects.create(user=user, agency=agency)
    elif not (user.first_name or user.last_name):
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
    return user


def _demo_agencies() -> list[DemoAgency]:
    """Up to ``AGENCIES`` agencies with live online forms (first form first), with their demo officers."""
    by_agency: dict[int, tuple[Agency, list[OnlineServiceForm]]] = {}
    for form in OnlineServiceForm.objects.live().order_by("pk")[:200]:
        agency = form.implementing_agency()
        if agency is None or not agency.identifier:
            continue
        by_agency.setdefault(agency.pk, (agency, []))[1].append(form)
    agencies = []
    for i, (agency, forms) in enumerate(list(by_agency.values())[:AGENCIES]):
        suffix = "" if i == 0 else f"-{i + 1}"
        desk_name, leader_name = OFFICER_NAMES[i % len(OFFICER_NAMES)]
        desk = _demo_user(f"motcua-demo{suffix}", DESK_GROUP, agency, desk_name)
        leader = _demo_user(f"lanhdao-demo{suffix}", LEADER_GROUP, agency, leader_name)
        # An officer from an older demo keeps its agency: use that one's forms.
        if desk.officer.agency_id != agency.pk or leader.officer.agency_id != agency.pk:
            continue
        agencies.append(DemoAgency(agency, forms, desk, leader))
    return agencies


def _local(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def _process(demo: DemoAgency, form: OnlineServiceForm, *, key: uuid.UUID, applicant: Applicant, moments) -> Dossier:
    """Files one dossier and takes it to status 10 (returned) at the five ``moments`` (submit,
    accept, assign, result ready, return), in one transaction."""
    submitted, accepted, assigned, ready, returned = moments
    with transaction.atomic():
        dossier = dossier_submit(
            form=form, applicant=applicant, answers=[], uploads=[], submission_key=key, now=submitted
        ).dossier
        dossier = workflow.dossier_accept(dossier=dossier, user=demo.desk, now=accepted)
        dossier = workflow.dossier_assign(dossier=dossier, user=demo.leader, assignee=demo.leader, now=assigned)
        dossier = workflow.dossier_result_ready(dossier=dossier, user=demo.leader, now=ready)
        return workflow.dossier_return(dossier=dossier, user=demo.desk, now=returned)


def _dossier(demo: DemoAgency, a: int, phase: int, slot: int, year: int, quarter: int, moments, created: dict):
    """The demo dossier (agency ``a``, ``phase`` 1 previous / 2 current quarter, ``slot``), filed once."""
    key = uuid.uuid5(KEY_NAMESPACE, f"evaluation-demo:{demo.agency.identifier}:{year}-{quarter}:{slot}")
    dossier = Dossier.objects.filter(submission_key=key).select_related("status").first()
    if dossier is not None:
        return dossier
    form = next(itertools.islice(itertools.cycle(demo.forms), slot, None))
    applicant = Applicant(
        name=APPLICANT_NAMES[(3 * a + slot + phase) % len(APPLICANT_NAMES)],
        id_type="cccd",
        id_number=f"06809{a}{phase}{slot + 1:05d}",  # 12 digits, like a CCCD number
        phone="0912000000",
    )
    created["dossiers"] += 1
    return _process(demo, form, key=key, applicant=applicant, moments=moments)


def _demo_admin():
    """The demo administrator (``DEMO_ADMIN_USER``, default ``admin``, made by ``load_demo``), else
    the first active superuser, else ``None`` (the system publishes, as the management command does)."""
    User = get_user_model()
    username = os.environ.get("DEMO_ADMIN_USER", "admin")
    admin = User.objects.filter(username=username, is_active=True).first()
    if admin is not None and admin.has_perm("evaluation.publish_results"):
        return admin
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def _previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def _rate(dossier: Dossier, answers_set: int, now: datetime, created: dict) -> None:
    if Evaluation.objects.filter(dossier=dossier).exists():
        return
    result = evaluation_submit(
        dossier=dossier,
        responses=ANSWERS[answers_set],
        comment=COMMENTS[answers_set],
        now=now,
    )
    created["evaluations"] += int(result.created)


def load_evaluation_demo(*, now: datetime | None = None) -> dict:
    """Builds the evaluation demo (module docstring) as of ``now`` (aware, default the current time).

    Returns ``{"dossiers": n, "evaluations": n, "self_assessments": n, "published": 0 or 1}``
    created by this call, and ``"to_rate": [(dossier code, applicant id number), …]``, the
    current quarter's returned dossiers still unrated. Safe to run twice: the second run creates
    nothing. Needs live online forms (``load_demo``); without any it creates nothing.
    """
    now = now or timezone.now()
    created = {"dossiers": 0, "evaluations": 0, "self_assessments": 0, "published": 0, "to_rate": []}
    agencies = _demo_agencies()
    if not agencies:
        return created
    today = timezone.localdate(now, timezone=LOCAL_TZ)
    year, quarter = quarter_of(today)
    previous = _previous_quarter(year, quarter)
    start, _end = period_dates(*previous)

    # 1. The previous quarter: filed, processed, mostly rated, self-assessed, published.
    if published_period(year=previous[0], quarter=previous[1]) is None:
        for a, demo in enumerate(agencies):
            for slot in range(PREVIOUS_DOSSIERS):
                day = start + timedelta(days=14 + 21 * slot + a)  # day 14..58 of a 90-day quarter
                moments = (
                    _local(day, 8, 30),
                    _local(day, 9),
                    _local(day + timedelta(days=1), 9),
                    _local(day + timedelta(days=2), 10),
                    _local(day + timedelta(days=3), 9),
                )
                dossier = _dossier(demo, a, 1, slot, *previous, moments, created)
                if slot < PREVIOUS_RATED:
                    _rate(dossier, (a + slot) % len(ANSWERS), moments[-1] + timedelta(hours=2), created)
            if not SelfAssessment.objects.filter(agency=demo.agency, year=previous[0], quarter=previous[1]).exists():
                entries = SELF_ASSESSMENTS[a % len(SELF_ASSESSMENTS)]
                assessment = self_assessment_save(
                    user=demo.leader, year=previous[0], quarter=previous[1], entries=entries
                )
                created["self_assessments"] += 1
            assessment = SelfAssessment.objects.get(agency=demo.agency, year=previous[0], quarter=previous[1])
            if assessment.status != SelfAssessmentStatus.SUBMITTED:
                self_assessment_submit(user=demo.leader, assessment=assessment, now=now)
        results_publish(year=previous[0], quarter=previous[1], user=_demo_admin(), today=today)
        created["published"] = 1

    # 2. The current quarter: returned dossiers left for a visitor to rate, and a draft.
    first = agencies[0]
    quarter_start = _local(period_dates(year, quarter)[0], 0, 5)
    begin = max(now - timedelta(days=6), quarter_start)
    span = max(now - timedelta(hours=1) - begin, timedelta(0))
    moments = tuple(begin + span * k / 4 for k in range(5))
    for slot in range(CURRENT_UNRATED):
        dossier = _dossier(first, 0, 2, slot, year, quarter, moments, created)
        if not Evaluation.objects.filter(dossier=dossier).exists():
            created["to_rate"].append((dossier.code, dossier.applicant_id_number))
    if not SelfAssessment.objects.filter(agency=first.agency, year=year, quarter=quarter).exists():
        self_assessment_save(user=first.leader, year=year, quarter=quarter, entries=CURRENT_DRAFT)
        created["self_assessments"] += 1
    return created
