"""``evaluation.demo.load_evaluation_demo``: rated dossiers with a real history, self-assessments, idempotent."""

import pytest

from evaluation.demo import load_evaluation_demo
from evaluation.models import Evaluation, SelfAssessment, SelfAssessmentStatus
from services.models import DossierEvent
from tests.services.workflow_builders import online_form

pytestmark = pytest.mark.django_db


def test_demo_rates_three_processed_dossiers_and_enters_two_quarters(catalogue):
    online_form(catalogue)  # the demo catalogue's online forms stand in for it
    assert load_evaluation_demo() == {"evaluations": 3, "self_assessments": 2}
    evaluations = list(Evaluation.objects.select_related("dossier__status"))
    assert [e.dossier.status.code for e in evaluations] == [10, 10, 10]
    # Each dossier went through the workflow: submit, accept, assign, result ready, return.
    actions = list(
        DossierEvent.objects.filter(dossier=evaluations[0].dossier)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["submit", "accept", "assign", "result_ready", "return"]
    statuses = sorted(SelfAssessment.objects.values_list("status", flat=True))
    assert statuses == [SelfAssessmentStatus.DRAFT, SelfAssessmentStatus.SUBMITTED]
    # Submitted quarter: 5 -> 1, 6 -> 2, 8 -> 2, 9 -> 1 (options chosen in evaluation/demo.py).
    submitted = SelfAssessment.objects.get(status=SelfAssessmentStatus.SUBMITTED)
    assert dict(submitted.answers.values_list("index", "score")) == {5: 1, 6: 2, 8: 2, 9: 1}
    assert load_evaluation_demo() == {"evaluations": 0, "self_assessments": 0}
    assert Evaluation.objects.count() == 3 and SelfAssessment.objects.count() == 2


def test_demo_command_reports_what_it_created(catalogue):
    from io import StringIO

    from django.core.management import call_command

    online_form(catalogue)
    out = StringIO()
    call_command("load_evaluation_demo", stdout=out)
    assert out.getvalue().strip() == "Đánh giá của người dân: 3 mới; tự đánh giá của cơ quan: 2 mới"
