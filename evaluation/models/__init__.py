"""Models of the evaluation app, split by kind and re-exported here (explicitly).

``surveys``: survey templates (snippets with drafts and revisions); ``responses``: citizen
evaluations of dossiers, their answers, anonymous feedback; ``self_assessment``: agencies'
quarterly self-assessments. Published results live in ``results`` (scoring and publication).
"""

from evaluation.models.responses import (
    Evaluation,
    EvaluationAnswer,
    EvaluationChannel,
    FeedbackStatus,
    GeneralFeedback,
)
from evaluation.models.results import AgencyResult, OfficerResult, PeriodStatus, ProcedureResult, ResultPeriod  # noqa: F401 (issue 6 part B)
from evaluation.models.self_assessment import SelfAssessment, SelfAssessmentAnswer, SelfAssessmentStatus
from evaluation.models.surveys import KIND_INDICES, SurveyKind, SurveyTemplate

__all__ = [
    "KIND_INDICES",
    "Evaluation",
    "EvaluationAnswer",
    "EvaluationChannel",
    "FeedbackStatus",
    "GeneralFeedback",
    "SelfAssessment",
    "SelfAssessmentAnswer",
    "SelfAssessmentStatus",
    "SurveyKind",
    "SurveyTemplate",
]
