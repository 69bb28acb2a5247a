"""Writes of the evaluation app: a citizen's evaluation of a dossier, anonymous feedback, an
agency's quarterly self-assessment (save, submit), feedback moderation.

Rules: Decree 61/2018 Art 28–32, Circular 01/2018 Art 13–14, Circular 32/2017 (DOMAIN.md §5).
Every function checks its input, writes in one transaction and leaves an audit trail (the
row's own who/when fields and, for staff actions, a Wagtail log entry).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from evaluation.forms import field_key
from evaluation.models import (
    Evaluation,
    EvaluationAnswer,
    EvaluationChannel,
    FeedbackStatus,
    GeneralFeedback,
    SelfAssessment,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
    SurveyKind,
    SurveyTemplate,
)
from evaluation.selectors import (
    assessment_years,
    can_see_all_self_assessments,
    officer_agency,
    quarter_last_day,
    rating_refusal,
    template_for,
    templates_for_dossier,
)
from services.models import Agency, Dossier, ProcedurePage


class EvaluationError(Exception):
    """The write is refused; ``str(error)`` is Vietnamese, meant for the person who tried."""

    def __init__(self, message: str, *, details: list[str] | None = None):
        super().__init__(message)
        self.details = details or []


@dataclass(frozen=True)
class EvaluationResult:
    """``evaluation``: the dossier's evaluation; ``created``: False when it had been rated before
    (the earlier evaluation is returned unchanged, nothing of the new answers is kept)."""

    evaluation: Evaluation
    created: bool


def _answers_for(template: SurveyTemplate, responses: Mapping[str, object]) -> tuple[list[dict], list[str]]:
    """Checks ``responses`` against the questions of ``template``; ``(answers, errors)``.

    Each question's form fields clean its values exactly as the citizen's form does (a required
    question left empty, an option the question does not offer, a text too long are errors),
    then the block scores it. ``answers`` are ``{kind, question_id, index, score, value}``.
    """
    answers, errors = [], []
    for block in template.questions:
        value = block.value
        key = field_key(template.kind, value["question_id"])
        cleaned, failed = {}, False
        for name, field in block.block.form_fields(value, key).items():
            try:
                cleaned[name] = field.clean(responses.get(name))
            except ValidationError as error:
                errors.append(f"{value['text']}: {' '.join(error.messages)}")
                failed = True
        if failed:
            continue
        score, answer = block.block.answer(value, key, cleaned)
        if answer is None:
            continue
        answers.append(
            {
                "kind": template.kind,
                "question_id": value["question_id"],
                "index": value.get("index"),
                "score": score,
                "value": answer,
            }
        )
    return answers, errors


@transaction.atomic
def evaluation_submit(
    *,
    dossier: Dossier,
    responses: Mapping[str, object],
    comment: str = "",
    channel: str = EvaluationChannel.ONLINE,
    entered_by=None,
    now: datetime | None = None,
) -> EvaluationResult:
    """Records the citizen's evaluation of ``dossier``: one per dossier (Decree 61/2018 Art 30).

    ``responses`` maps ``forms.field_key(kind, question_id)`` to the answer as a form sends it
    (option key, list of keys, rating number, text). The templates are the live ones that apply
    to the dossier on the local date of ``now`` (``selectors.templates_for_dossier``): the 9-index
    questions (Circular 01/2018) and, for a dossier filed online, the satisfaction questions
    (Circular 32/2017). Each answer keeps its official index and points (2 / 1 / 0); the
    evaluation keeps the template revisions that were answered.

    A dossier rated before is not rated again: the earlier evaluation is returned with
    ``created=False``, also when two answers race (the database's one-to-one key on
    ``Evaluation.dossier`` refuses the second insert; case C17).

    Raises:
        EvaluationError: the dossier has no result yet (status not 9 or 10), no evaluation
            template applies, or an answer is missing or invalid (``details`` lists them).
    """
    now = now or timezone.now()
    existing = Evaluation.objects.filter(dossier=dossier).first()
    if existing is not None:
        return EvaluationResult(existing, created=False)
    refusal = rating_refusal(dossier)
    if refusal:
        raise EvaluationError(refusal)
    if channel not in EvaluationChannel.values:
        raise EvaluationError(_("Kênh đánh giá không hợp lệ."))
    templates = templates_for_dossier(dossier, on=timezone.localdate(now))
    if templates.index is None:
        raise EvaluationError(_("Chưa có phiếu đánh giá áp dụng cho thủ tục này. Vui lòng quay lại sau."))
    answers, errors = [], []
    for template in templates.as_list():
        template_answers, template_errors = _answers_for(template, responses)
        answers += template_answers
        errors += template_errors
    if errors:
        raise EvaluationError(_("Phiếu đánh giá chưa đầy đủ hoặc chưa đúng."), details=errors)

    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                dossier=dossier,
                template=templates.index,
                template_revision=templates.index.live_revision,
                satisfaction_template=templates.satisfaction,
                satisfaction_revision=templates.satisfaction.live_revision if templates.satisfaction else None,
                agency=dossier.receiving_agency,
                procedure_code=dossier.procedure_code,
                submitted_at=now,
                channel=channel,
                comment=(comment or "").strip(),
                entered_by=entered_by,
            )
    except IntegrityError:
        # Another answer for this dossier committed first: that one is the evaluation.
        return EvaluationResult(Evaluation.objects.get(dossier=dossier), created=False)
    EvaluationAnswer.objects.bulk_create([EvaluationAnswer(evaluation=evaluation, **a) for a in answers])
    if entered_by is not None:
        log(instance=evaluation, action="evaluation.enter_paper", user=entered_by)
    return EvaluationResult(evaluation, created=True)


# -- anonymous feedback --------------------------------------------------------------------------


@transaction.atomic
def feedback_submit(
    *, text: str, agency: Agency | None = None, procedure: ProcedurePage | None = None, overall: int | None = None
) -> GeneralFeedback:
    """Stores anonymous feedback (góp ý chung) awaiting moderation.

    ``overall`` is the satisfaction on the Circular 32/2017 scale, 2 = Rất hài lòng,
    1 = Hài lòng, 0 = Chưa hài lòng, or None. Bot checks are the form's and view's
    (``forms.FeedbackForm``).

    Raises:
        EvaluationError: empty text or a rating outside 0–2.
    """
    text = (text or "").strip()
    if not text:
        raise EvaluationError(_("Nhập nội dung góp ý."))
    if overall is not None and overall not in (0, 1, 2):
        raise EvaluationError(_("Mức độ hài lòng không hợp lệ."))
    return GeneralFeedback.objects.create(
        text=text,
        agency=agency,
        procedure=procedure,
        ratings={"overall": overall} if overall is not None else {},
    )


@transaction.atomic
def feedback_moderate(*, feedback: GeneralFeedback, status: str, user) -> GeneralFeedback:
    """Sets the moderation ``status`` of ``feedback`` and records who did it and when.

    Raises:
        EvaluationError: ``user`` lacks ``evaluation.change_generalfeedback``, or an unknown status.
    """
    if not user.has_perm("evaluation.change_generalfeedback"):
        raise EvaluationError(_("Bạn không có quyền xem xét góp ý."))
    if status not in FeedbackStatus.values:
        raise EvaluationError(_("Tình trạng không hợp lệ."))
    feedback.status = status
    feedback.moderated_by = user
    feedback.moderated_at = timezone.now()
    feedback.save(update_fields=["status", "moderated_by", "moderated_at"])
    log(instance=feedback, action="evaluation.feedback_moderate", user=user, data={"status": status})
    return feedback


# -- agencies' self-assessment -----------------------------------------------------------------


def _entry_agency(user, agency: Agency | None) -> Agency:
    """The agency ``user`` enters a self-assessment for: their own (leaders), any for superusers."""
    own = officer_agency(user)
    if user.is_superuser and agency is not None:
        return agency
    if own is None or not (
        user.has_perm("evaluation.add_selfassessment") and user.has_perm("evaluation.change_selfassessment")
    ):
        raise EvaluationError(_("Chỉ lãnh đạo cơ quan mới nhập được tự đánh giá của cơ quan mình."))
    if agency is not None and agency.pk != own.pk:
        raise EvaluationError(_("Bạn chỉ nhập được tự đánh giá của cơ quan mình (%(agency)s).") % {"agency": own.name})
    return own


def self_assessment_template(*, agency: Agency, year: int, quarter: int) -> SurveyTemplate | None:
    """The live self-assessment template for ``agency`` on the quarter's last day (``template_for``)."""
    return template_for(kind=SurveyKind.SELF_ASSESSMENT, agency=agency, on=quarter_last_day(year, quarter))


@transaction.atomic
def self_assessment_save(
    *, user, year: int, quarter: int, entries: Mapping[int, Mapping[str, str]], agency: Agency | None = None
) -> SelfAssessment:
    """Creates or updates the draft self-assessment of the user's agency for ``quarter`` of ``year``.

    ``entries`` maps an index (5, 6, 8, 9) to ``{"option": option key, "evidence": text}``; an
    index whose option is empty is left unanswered (its earlier answer removed). Scores are the
    chosen option's 2 / 1 / 0 points in the template (Circular 01/2018 Art 14). The row is
    locked (``select_for_update``) so that a save never overwrites a submission made meanwhile.

    Raises:
        EvaluationError: not the agency's leader; quarter outside 1–4; a year outside 2018 to
            next year (``selectors.assessment_years``); no live template; an index or option the
            template does not have; already submitted (locked).

    A draft may be saved for any quarter of those years, also one not yet ended; only the
    submission waits for the quarter's end (``self_assessment_submit``).
    """
    agency = _entry_agency(user, agency)
    years = assessment_years()
    if quarter not in (1, 2, 3, 4) or year not in years:
        raise EvaluationError(
            _("Quý phải từ 1 đến 4 và năm từ %(first)s đến %(last)s.") % {"first": years[0], "last": years[-1]}
        )
    assessment = SelfAssessment.objects.select_for_update().filter(agency=agency, year=year, quarter=quarter).first()
    if assessment is not None and assessment.is_locked:
        raise EvaluationError(
            _("Tự đánh giá quý %(quarter)s/%(year)s đã được gửi ngày %(day)s nên không sửa được nữa.")
            % {"quarter": quarter, "year": year, "day": f"{timezone.localtime(assessment.submitted_at):%d/%m/%Y}"}
        )
    template = assessment.template if assessment and assessment.template else None
    template = template or self_assessment_template(agency=agency, year=year, quarter=quarter)
    if template is None:
        raise EvaluationError(_("Chưa có phiếu tự đánh giá áp dụng cho quý này."))
    questions = {b.value["index"]: b.value for b in template.questions if b.value.get("index") is not None}
    rows = []
    for index, entry in entries.items():
        question = questions.get(int(index))
        if question is None:
            raise EvaluationError(_("Phiếu tự đánh giá không có chỉ số %(index)s.") % {"index": index})
        key = entry.get("option") or ""
        if not key:
            continue
        option = next((o for o in question["options"] if o["key"] == key), None)
        if option is None:
            raise EvaluationError(_("Lựa chọn không hợp lệ cho chỉ số %(index)s.") % {"index": index})
        rows.append(
            SelfAssessmentAnswer(
                index=int(index),
                question_id=question["question_id"],
                score=option["score"],
                option={"option": option["key"], "label": option["label"]},
                evidence=(entry.get("evidence") or "").strip(),
            )
        )
    created = assessment is None
    if created:
        try:
            with transaction.atomic():
                assessment = SelfAssessment.objects.create(
                    agency=agency,
                    year=year,
                    quarter=quarter,
                    template=template,
                    template_revision=template.live_revision,
                    created_by=user,
                    updated_by=user,
                )
        except IntegrityError:
            raise EvaluationError(
                _("Tự đánh giá quý này vừa được người khác tạo. Vui lòng mở lại để xem và sửa.")
            ) from None
    else:
        assessment.updated_by = user
        assessment.save(update_fields=["updated_by", "updated_at"])
    assessment.answers.all().delete()
    for row in rows:
        row.self_assessment = assessment
    SelfAssessmentAnswer.objects.bulk_create(rows)
    log(
        instance=assessment,
        action="evaluation.self_assessment_save",
        user=user,
        data={"scores": {row.index: row.score for row in rows}},
    )
    return assessment


@transaction.atomic
def self_assessment_submit(*, user, assessment: SelfAssessment, now: datetime | None = None) -> SelfAssessment:
    """Submits ``assessment``: from now on it is locked (no edit, no second submission).

    **Only a quarter that has ended is submitted**: the local date of ``now`` (default: the
    current time) must be after the quarter's last calendar day (31/3, 30/6, 30/9, 31/12), so a
    leader cannot lock a still-open or future quarter before its work is done (Circular 01/2018
    Art 14: the agency assesses the quarter's work; drafts may be saved at any time).
    Every index question of its template must be answered. Records who submitted and when
    (``submitted_by``, ``submitted_at`` = ``now``) and a Wagtail log entry.

    Raises:
        EvaluationError: not the agency's leader; already submitted; the quarter has not ended;
            indices left unanswered.
    """
    now = now or timezone.now()
    _entry_agency(user, assessment.agency)
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_locked:
        raise EvaluationError(_("Tự đánh giá này đã được gửi, không gửi lại được."))
    last_day = quarter_last_day(assessment.year, assessment.quarter)
    if timezone.localdate(now) <= last_day:
        raise EvaluationError(
            _(
                "Quý %(quarter)s/%(year)s chưa kết thúc (đến hết ngày %(day)s): chỉ gửi được tự đánh giá "
                "sau khi quý kết thúc. Bạn có thể lưu bản nháp và gửi sau."
            )
            % {"quarter": assessment.quarter, "year": assessment.year, "day": f"{last_day:%d/%m/%Y}"}
        )
    expected = sorted(
        b.value["index"] for b in (assessment.template.questions if assessment.template else []) if b.value.get("index")
    )
    answered = set(assessment.answers.values_list("index", flat=True))
    missing = [i for i in expected if i not in answered]
    if missing:
        raise EvaluationError(
            _("Chưa chấm điểm chỉ số: %(indices)s. Hãy chấm đủ rồi mới gửi.")
            % {"indices": ", ".join(map(str, missing))}
        )
    assessment.status = SelfAssessmentStatus.SUBMITTED
    assessment.submitted_at = now
    assessment.submitted_by = user
    assessment.updated_by = user
    assessment.save(update_fields=["status", "submitted_at", "submitted_by", "updated_by", "updated_at"])
    log(instance=assessment, action="evaluation.self_assessment_submit", user=user)
    return assessment


def self_assessment_can_view(user, assessment: SelfAssessment) -> bool:
    """True when ``user`` may read ``assessment`` (own agency's, or every one for the province)."""
    if can_see_all_self_assessments(user):
        return True
    agency = officer_agency(user)
    return bool(agency and agency.pk == assessment.agency_id and user.has_perm("evaluation.view_selfassessment"))
