"""Reads of the evaluation app: which template applies, whether a dossier can be rated, what was
answered, and whose self-assessments an officer may see."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from evaluation.models import (
    Evaluation,
    SelfAssessment,
    SurveyKind,
    SurveyTemplate,
)
from services.models import Agency, Channel, Dossier, OfficerProfile, ProcedurePage

#: National statuses after which a dossier can be rated: 9 result ready (awaiting return),
#: 10 result returned (DOMAIN.md §4). A dossier still in progress, refused, withdrawn or
#: stopped has no result to rate.
RATEABLE_STATUS_CODES = (9, 10)


def template_for(
    *, kind: str, procedure: ProcedurePage | None = None, agency: Agency | None = None, on: date
) -> SurveyTemplate | None:
    """The live template of ``kind`` that applies to ``procedure`` and ``agency`` on ``on``, else None.

    Candidates are the live templates of ``kind`` valid on ``on`` (``valid_from`` ≤ on ≤
    ``valid_until``, open-ended when empty) whose procedure list is empty or holds
    ``procedure`` and whose agency list is empty or holds ``agency`` (a template limited to
    some procedures never applies when ``procedure`` is None; likewise for agencies).

    Most specific wins: a template naming the procedure (2 points) beats one naming the agency
    (1 point), which beats a template for all (0); a template naming both scores 3. Between
    equals the latest ``valid_from`` wins, then the most recently created (highest id).
    ``on`` is a calendar date (the local day of the rating, or the quarter's last day for a
    self-assessment).
    """
    candidates = list(
        SurveyTemplate.objects.live()
        .filter(kind=kind, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    )
    if not candidates:
        return None
    ids = [t.pk for t in candidates]
    procedures: dict[int, set[int]] = {}
    for template_id, procedure_id in SurveyTemplate.procedures.through.objects.filter(
        surveytemplate_id__in=ids
    ).values_list("surveytemplate_id", "procedurepage_id"):
        procedures.setdefault(template_id, set()).add(procedure_id)
    agencies: dict[int, set[int]] = {}
    for template_id, agency_id in SurveyTemplate.agencies.through.objects.filter(surveytemplate_id__in=ids).values_list(
        "surveytemplate_id", "agency_id"
    ):
        agencies.setdefault(template_id, set()).add(agency_id)

    ranked = []
    for template in candidates:
        specificity = 0
        named_procedures, named_agencies = procedures.get(template.pk), agencies.get(template.pk)
        if named_procedures:
            if procedure is None or procedure.pk not in named_procedures:
                continue
            specificity += 2
        if named_agencies:
            if agency is None or agency.pk not in named_agencies:
                continue
            specificity += 1
        ranked.append(((specificity, template.valid_from, template.pk), template))
    if not ranked:
        return None
    return max(ranked, key=lambda pair: pair[0])[1]


@dataclass(frozen=True)
class DossierTemplates:
    """The templates a citizen answers for one dossier: the 9-index questions and, for a dossier
    filed online, the Circular 32/2017 satisfaction questions (None when not asked or none live)."""

    index: SurveyTemplate | None
    satisfaction: SurveyTemplate | None

    def as_list(self) -> list[SurveyTemplate]:
        return [t for t in (self.index, self.satisfaction) if t is not None]


def templates_for_dossier(dossier: Dossier, *, on: date) -> DossierTemplates:
    """The templates that apply to ``dossier`` rated on ``on`` (see ``template_for``)."""
    procedure = dossier.procedure
    agency = dossier.receiving_agency
    satisfaction = None
    if dossier.channel == Channel.ONLINE:
        satisfaction = template_for(kind=SurveyKind.ONLINE_SATISFACTION, procedure=procedure, agency=agency, on=on)
    return DossierTemplates(
        index=template_for(kind=SurveyKind.CITIZEN_INDEX, procedure=procedure, agency=agency, on=on),
        satisfaction=satisfaction,
    )


def rating_refusal(dossier: Dossier) -> str | None:
    """Why ``dossier`` cannot be rated yet (a Vietnamese sentence), or None when it can.

    Only a dossier with a result (status 9, ready to collect, or 10, returned) is rated
    (Circular 01/2018 Art 13: the evaluation is of how the dossier was handled).
    """
    if dossier.status.code in RATEABLE_STATUS_CODES:
        return None
    return _(
        "Hồ sơ %(code)s chưa có kết quả giải quyết (tình trạng hiện tại: “%(status)s”). Chỉ đánh giá được "
        "hồ sơ đã có kết quả hoặc đã trả kết quả; vui lòng quay lại khi nhận kết quả."
    ) % {"code": dossier.code, "status": dossier.status.public_name}


def evaluation_of(dossier: Dossier) -> Evaluation | None:
    """The dossier's evaluation with its answers and templates, or None if it was not rated."""
    return (
        Evaluation.objects.select_related("template", "satisfaction_template", "template_revision")
        .prefetch_related("answers")
        .filter(dossier=dossier)
        .first()
    )


@dataclass(frozen=True)
class AnswerLine:
    """One answered question as the citizen saw it: section (template name), question, answer in words."""

    section: str
    question: str
    answer: str
    index: int | None
    score: int | None


def evaluation_lines(evaluation: Evaluation) -> list[AnswerLine]:
    """The evaluation's answers worded as the template revision the citizen answered on.

    Questions come from the stored revisions (``template_revision``/``satisfaction_revision``),
    so a template edited since shows the wording that was answered; an answer whose question is
    no longer in that revision is shown by its id.
    """
    lines = []
    answers = {(a.kind, a.question_id): a for a in evaluation.answers.all()}
    sections = [
        (evaluation.template, evaluation.template_revision),
        (evaluation.satisfaction_template, evaluation.satisfaction_revision),
    ]
    seen = set()
    for template, revision in sections:
        if template is None:
            continue
        shown = revision.as_object() if revision is not None else template
        for block in shown.questions:
            key = (template.kind, block.value["question_id"])
            answer = answers.get(key)
            if answer is None:
                continue
            seen.add(key)
            lines.append(
                AnswerLine(
                    section=shown.name,
                    question=block.value["text"],
                    answer=block.block.display(block.value, answer.value),
                    index=answer.index,
                    score=answer.score,
                )
            )
    for key, answer in answers.items():
        if key not in seen:
            lines.append(AnswerLine("", answer.question_id, str(answer.value), answer.index, answer.score))
    return lines


# -- agencies' self-assessment ------------------------------------------------------------------


def officer_agency(user) -> Agency | None:
    """The agency of ``user``'s officer profile, or None."""
    if user is None or not user.is_authenticated:
        return None
    profile = OfficerProfile.objects.select_related("agency").filter(user_id=user.pk).first()
    return profile.agency if profile else None


def can_see_all_self_assessments(user) -> bool:
    """Superusers and provincial administrators (``evaluation.view_all_selfassessments``)."""
    return bool(
        user and user.is_authenticated and (user.is_superuser or user.has_perm("evaluation.view_all_selfassessments"))
    )


def self_assessments_for_user(user) -> QuerySet[SelfAssessment]:
    """The self-assessments ``user`` may see.

    Every agency's for superusers and holders of ``evaluation.view_all_selfassessments``
    (provincial administrators); their own agency's (``OfficerProfile``) for holders of
    ``evaluation.view_selfassessment`` (agency leaders); none for anyone else. Decree 61/2018
    Art 29: each agency assesses itself; the province gathers them.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return SelfAssessment.objects.none()
    queryset = SelfAssessment.objects.select_related("agency", "submitted_by", "updated_by")
    if can_see_all_self_assessments(user):
        return queryset
    agency = officer_agency(user)
    if agency is None or not user.has_perm("evaluation.view_selfassessment"):
        return SelfAssessment.objects.none()
    return queryset.filter(agency=agency)


#: First year of the evaluation rules (Decree 61/2018, Circular 01/2018): no self-assessment before.
FIRST_ASSESSMENT_YEAR = 2018


def assessment_years(today: date | None = None) -> range:
    """The years a self-assessment may be opened for: 2018 (Decree 61/2018) to next year, both included.

    ``today`` is the local calendar date (default: today). Anything else in a URL or form is
    refused before it reaches ``date(year, …)`` (which raises ``OverflowError``/``ValueError``
    past year 9999) or the database (integer overflow).
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    return range(FIRST_ASSESSMENT_YEAR, today.year + 2)


def quarter_last_day(year: int, quarter: int) -> date:
    """The last calendar day of ``quarter`` (1–4) of ``year``: 31/3, 30/6, 30/9, 31/12.

    Raises ``ValueError`` for a year outside 1–9999 (``date``'s range) or a quarter outside 1–4.
    """
    if not 1 <= year <= 9999 or quarter not in (1, 2, 3, 4):
        raise ValueError(f"no quarter {quarter} of year {year}")
    return {1: date(year, 3, 31), 2: date(year, 6, 30), 3: date(year, 9, 30), 4: date(year, 12, 31)}[quarter]


def quarter_of(day: date) -> tuple[int, int]:
    """``(year, quarter)`` of a calendar date."""
    return day.year, (day.month - 1) // 3 + 1
