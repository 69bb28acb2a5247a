"""Builders for the results tests: a small first quarter of 2026 whose scores are worked out by hand.

Dates are Vietnamese local dates. Scores per dossier (``index_1`` against the original due
date; ``index_2`` the lowest unit, else index 1):

Agency A (provincial tier), self-assessment Q1 submitted: 5 = 2, 6 = 2, 8 = 1, 9 = 1.

=====  =======  ===========  ===========================  ===  ===  =====  =====  =====
 code   proc.    due          finished                     i1   i2   i3     i4     i7
=====  =======  ===========  ===========================  ===  ===  =====  =====  =====
 A1     1.001    10/3         9/3 10:00                     2    2    2      1      2     online, officer X, satisfaction 2, 1
 A2     1.001    10/3         10/3 16:00                    1    0    1      2      0     online, officer X, unit due 5/3 ended 6/3; satisfaction 0
 A3     1.001    10/3 (->20/3 apology)  15/3              0    2    -      -      -     consultation due 12/3 answered 11/3
 A4     1.002    2/4          31/3 23:30 (16:30 UTC)        2    2    -      -      -
 A5     1.002    -            20/3                          -    -    -      -      -     no due date
 A6     1.002    10/4         1/4 00:30 (Q2)                not in Q1
 A7     1.002    10/3         9/3, status 3 refused         never scored
=====  =======  ===========  ===========================  ===  ===  =====  =====  =====

Agency B (commune tier), self-assessment Q1 only a draft (excluded):

 B1     2.001    20/3         16/3                          2    2    2      2      2
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from evaluation.models import (
    Evaluation,
    EvaluationAnswer,
    SelfAssessment,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
    SurveyKind,
    SurveyTemplate,
)
from services.models import AdministrativeTier, Agency, Consultation, Dossier, DossierEvent, DossierStatus

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(month, day, hour=10, minute=0, year=2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def tier(code: str, name: str) -> AdministrativeTier:
    return AdministrativeTier.objects.get_or_create(code=code, defaults={"name": name})[0]


def agency(name: str, slug: str, tier_: AdministrativeTier) -> Agency:
    return Agency.objects.create(name=name, lookup_key=slug, slug=slug, tier=tier_)


def status(code: int) -> DossierStatus:
    return DossierStatus.objects.get(code=code)


def dossier(
    code, agency_, procedure_code, *, due, finished, status_code=10, channel="in_person", officer=None, **extra
):
    return Dossier.objects.create(
        code=code,
        procedure_code=procedure_code,
        procedure_name=f"Thủ tục {procedure_code}",
        receiving_agency=agency_,
        channel=channel,
        applicant_name="Nguyễn Văn An",
        applicant_id_type="cccd",
        applicant_id_number="068190001234",
        status=status(status_code),
        submitted_at=vn(3, 1, 8),
        due_date=due,
        original_due_date=extra.pop("original_due_date", due),
        finished_at=finished,
        returned_at=finished,
        assigned_to=officer,
        **extra,
    )


def evaluate(dossier_, *, indices: dict[int, int], satisfaction: list[int] = ()) -> Evaluation:
    """An evaluation of ``dossier_`` with one answer per index and the Circular 32 answers given."""
    citizen = SurveyTemplate.objects.filter(kind=SurveyKind.CITIZEN_INDEX).first()
    evaluation = Evaluation.objects.create(
        dossier=dossier_,
        template=citizen,
        agency=dossier_.receiving_agency,
        procedure_code=dossier_.procedure_code,
        submitted_at=vn(4, 1, 9),
    )
    for index, score in indices.items():
        EvaluationAnswer.objects.create(
            evaluation=evaluation, kind=SurveyKind.CITIZEN_INDEX, question_id=f"q{index}", index=index, score=score
        )
    for number, score in enumerate(satisfaction):
        EvaluationAnswer.objects.create(
            evaluation=evaluation, kind=SurveyKind.ONLINE_SATISFACTION, question_id=f"s{number}", score=score
        )
    return evaluation


def self_assessment(agency_, *, year=2026, quarter=1, scores: dict[int, int], submitted=True) -> SelfAssessment:
    assessment = SelfAssessment.objects.create(
        agency=agency_,
        year=year,
        quarter=quarter,
        status=SelfAssessmentStatus.SUBMITTED if submitted else SelfAssessmentStatus.DRAFT,
    )
    for index, score in scores.items():
        SelfAssessmentAnswer.objects.create(self_assessment=assessment, index=index, score=score)
    return assessment


def first_quarter() -> dict:
    """The data of the module docstring; returns the agencies, the officer and the dossiers by code."""
    province, commune = tier("province", "Cấp tỉnh"), tier("commune", "Cấp xã")
    a = agency("Sở Xây dựng", "so-xay-dung", province)
    b = agency("UBND xã Lạc Dương", "ubnd-xa-lac-duong", commune)
    officer = get_user_model().objects.create_user(username="xuly-x", first_name="Lan", last_name="Trần")
    d = {}
    d["A1"] = dossier("A1", a, "1.001", due=date(2026, 3, 10), finished=vn(3, 9), channel="online", officer=officer)
    d["A2"] = dossier(
        "A2", a, "1.001", due=date(2026, 3, 10), finished=vn(3, 10, 16), channel="online", officer=officer
    )
    DossierEvent.objects.create(
        dossier=d["A2"],
        at=vn(3, 2),
        to_status=status(4),
        action="assign",
        handed_to=officer,
        step_due_date=date(2026, 3, 5),
    )
    DossierEvent.objects.create(dossier=d["A2"], at=vn(3, 6), to_status=status(9), action="result_ready")
    d["A3"] = dossier(
        "A3",
        a,
        "1.001",
        due=date(2026, 3, 20),
        original_due_date=date(2026, 3, 10),
        due_date_extended=True,
        finished=vn(3, 15),
    )
    Consultation.objects.create(
        dossier=d["A3"],
        agency=b,
        question="Ý kiến?",
        requested_at=vn(3, 5),
        due_date=date(2026, 3, 12),
        answered_at=vn(3, 11),
    )
    d["A4"] = dossier("A4", a, "1.002", due=date(2026, 4, 2), finished=vn(3, 31, 23, 30))
    d["A5"] = dossier("A5", a, "1.002", due=None, finished=vn(3, 20))
    d["A6"] = dossier("A6", a, "1.002", due=date(2026, 4, 10), finished=vn(4, 1, 0, 30))
    d["A7"] = dossier("A7", a, "1.002", due=date(2026, 3, 10), finished=vn(3, 9), status_code=3)
    d["B1"] = dossier("B1", b, "2.001", due=date(2026, 3, 20), finished=vn(3, 16))
    evaluate(d["A1"], indices={3: 2, 4: 1, 7: 2}, satisfaction=[2, 1])
    evaluate(d["A2"], indices={3: 1, 4: 2, 7: 0}, satisfaction=[0])
    evaluate(d["B1"], indices={3: 2, 4: 2, 7: 2})
    self_assessment(a, scores={5: 2, 6: 2, 8: 1, 9: 1})
    self_assessment(b, scores={5: 0, 6: 0, 8: 0, 9: 0}, submitted=False)
    return {"a": a, "b": b, "officer": officer, "dossiers": d}
