"""Demo data of the evaluation app: a few rated dossiers and an agency's self-assessment.

``load_evaluation_demo()`` is meant to run after the demo catalogue and its online forms are
loaded (``services.demo.loader.load_demo``). It rates the returned dossiers it finds (status 10);
when there are fewer than ``DOSSIERS``, it files demo dossiers with the first live online
forms and takes them through the one-stop workflow (accept, assign, result ready, return) as
demo officers of the receiving agency, so every dossier has a real history. Then the demo
leader submits the self-assessment of the previous quarter and keeps a draft of the current
one. Running it again adds nothing.

Demo accounts (password ``DEMO_OFFICER_PASSWORD``, default ``dichvucong-demo``):
``motcua-demo`` (desk officer) and ``lanhdao-demo`` (agency leader) of that agency.
"""

import itertools
import os
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from evaluation.models import Evaluation, SelfAssessment
from evaluation.selectors import quarter_of
from evaluation.services import EvaluationError, evaluation_submit, self_assessment_save, self_assessment_submit
from services.dossiers import workflow
from services.dossiers.services import Applicant, dossier_submit
from services.models import Dossier, OfficerProfile, OnlineServiceForm

DOSSIERS = 3

#: One set of answers per demo dossier (option keys of the shipped templates, migration 0002).
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

SELF_ASSESSMENT = {
    5: {"option": "du-thu-tuc", "evidence": "Mọi thủ tục thuộc diện một cửa đều tiếp nhận tại Bộ phận Một cửa."},
    6: {"option": "niem-yet-va-dien-tu", "evidence": "Niêm yết tại trụ sở và công khai trên Cổng Dịch vụ công."},
    8: {"option": "khong-co-hoac-dung-han", "evidence": "Không có phản ánh, kiến nghị trong quý."},
    9: {"option": "da-trien-khai", "evidence": "22% hồ sơ tiếp nhận trực tuyến."},
}


def _demo_user(username: str, group: str, agency):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        password = os.environ.get("DEMO_OFFICER_PASSWORD", "dichvucong-demo")
        user = User.objects.create_user(username=username, password=password, email=f"{username}@example.invalid")
        user.groups.add(Group.objects.get(name=group))
        OfficerProfile.objects.create(user=user, agency=agency)
    return user


def _returned_dossiers(needed: int) -> list[Dossier]:
    """Up to ``needed`` dossiers at status 10, filing and processing demo ones when there are too few."""
    returned = list(
        Dossier.objects.filter(status__code=10, evaluation__isnull=True)
        .select_related("status", "receiving_agency", "procedure")
        .order_by("submitted_at")[:needed]
    )
    if len(returned) >= needed:
        return returned
    # Demo dossiers go to the agency of the first live online form that can issue codes.
    candidates = [(form, form.implementing_agency()) for form in OnlineServiceForm.objects.live().order_by("pk")[:50]]
    candidates = [(form, agency) for form, agency in candidates if agency is not None and agency.identifier]
    if not candidates:
        return returned
    desk = _demo_user("motcua-demo", "Cán bộ Bộ phận Một cửa", candidates[0][1])
    leader = _demo_user("lanhdao-demo", "Lãnh đạo cơ quan", candidates[0][1])
    forms = [form for form, agency in candidates if agency.pk == desk.officer.agency_id]
    now = timezone.now()
    for i, form in enumerate(itertools.islice(itertools.cycle(forms), needed - len(returned))):
        applicant = Applicant(
            name=f"Người dân trình diễn {i + 1}", id_type="cccd", id_number=f"06809000{i + 1:04d}", phone="0912000000"
        )
        with transaction.atomic():
            dossier = dossier_submit(
                form=form, applicant=applicant, answers=[], uploads=[], now=now - timedelta(days=6)
            ).dossier
            dossier = workflow.dossier_accept(dossier=dossier, user=desk, now=now - timedelta(days=6))
            dossier = workflow.dossier_assign(
                dossier=dossier, user=leader, assignee=leader, now=now - timedelta(days=5)
            )
            dossier = workflow.dossier_result_ready(dossier=dossier, user=leader, now=now - timedelta(days=2))
            dossier = workflow.dossier_return(dossier=dossier, user=desk, now=now - timedelta(days=1))
        returned.append(dossier)
    return returned


def load_evaluation_demo() -> dict:
    """Rates up to three returned dossiers and enters the demo agency's self-assessments.

    Returns ``{"evaluations": n created, "self_assessments": n created}``; safe to run twice.
    """
    created = {"evaluations": 0, "self_assessments": 0}
    if Evaluation.objects.count() < DOSSIERS:
        for i, dossier in enumerate(_returned_dossiers(DOSSIERS - Evaluation.objects.count())):
            try:
                result = evaluation_submit(
                    dossier=dossier, responses=ANSWERS[i % len(ANSWERS)], comment=COMMENTS[i % len(COMMENTS)]
                )
            except EvaluationError:
                continue
            created["evaluations"] += int(result.created)

    leader = get_user_model().objects.filter(username="lanhdao-demo").select_related("officer__agency").first()
    if leader is None or not hasattr(leader, "officer"):
        return created
    year, quarter = quarter_of(timezone.localdate())
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    agency = leader.officer.agency
    if not SelfAssessment.objects.filter(agency=agency, year=previous[0], quarter=previous[1]).exists():
        assessment = self_assessment_save(user=leader, year=previous[0], quarter=previous[1], entries=SELF_ASSESSMENT)
        self_assessment_submit(user=leader, assessment=assessment)
        created["self_assessments"] += 1
    if not SelfAssessment.objects.filter(agency=agency, year=year, quarter=quarter).exists():
        draft = {**SELF_ASSESSMENT, 9: {"option": "", "evidence": ""}}
        self_assessment_save(user=leader, year=year, quarter=quarter, entries=draft)
        created["self_assessments"] += 1
    return created
