"""Survey templates: the three shipped by migration 0002, their validation, and ``template_for``."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from evaluation.blocks import SingleChoiceQuestionBlock
from evaluation.models import SurveyKind, SurveyTemplate
from evaluation.selectors import template_for
from tests.services.dossier_builders import online_procedure, receiving_agency

pytestmark = pytest.mark.django_db


def shipped(kind: str) -> SurveyTemplate:
    return SurveyTemplate.objects.get(kind=kind)


def options(template: SurveyTemplate) -> dict:
    """``{index or question_id: [(label, score)]}`` of a template's single-choice questions."""
    return {
        block.value.get("index") or block.value["question_id"]: [
            (o["label"], o["score"]) for o in block.value["options"]
        ]
        for block in template.questions
    }


def test_three_templates_are_shipped_live_with_a_first_revision():
    templates = SurveyTemplate.objects.live().order_by("kind")
    assert [t.kind for t in templates] == ["citizen_index", "online_satisfaction", "self_assessment"]
    for template in templates:
        assert template.live_revision_id is not None
        assert template.latest_revision_id == template.live_revision_id
        assert template.has_unpublished_changes is False
        # The revision reads back as the same template (what Wagtail's history and revert use).
        restored = template.live_revision.as_object()
        assert restored.name == template.name
        assert [b.value["question_id"] for b in restored.questions] == [
            b.value["question_id"] for b in template.questions
        ]
        template.full_clean()  # valid by the model's own rules


def test_citizen_template_asks_indices_1_3_4_7_with_the_official_points():
    template = shipped(SurveyKind.CITIZEN_INDEX)
    by_index = options(template)
    assert sorted(by_index) == [1, 3, 4, 7]
    # DOMAIN.md §5 table: 2 / 1 / 0 in that order for each citizen index.
    for index in (1, 3, 4, 7):
        assert [score for _label, score in by_index[index]] == [2, 1, 0]
    assert by_index[1][0][0].startswith("Trả kết quả trước hạn")  # shorter -> 2
    assert by_index[1][2][0].startswith("Trả kết quả quá hạn")  # longer -> 0
    assert by_index[3][0][0] == "Không phải liên hệ lần nào"  # 0 contacts -> 2
    assert by_index[4][2][0] == "Hơn 1 cơ quan, đơn vị"  # >1 agencies -> 0


def test_satisfaction_template_has_the_four_items_on_three_levels():
    template = shipped(SurveyKind.ONLINE_SATISFACTION)
    by_item = options(template)
    assert list(by_item) == ["overall", "ease_of_use", "timeliness", "staff_support"]
    for item in by_item.values():
        assert item == [("Rất hài lòng", 2), ("Hài lòng", 1), ("Chưa hài lòng", 0)]
    assert all(block.value.get("index") is None for block in template.questions)


def test_self_assessment_template_has_indices_5_6_8_9():
    template = shipped(SurveyKind.SELF_ASSESSMENT)
    by_index = options(template)
    assert sorted(by_index) == [5, 6, 8, 9]
    for index in (5, 6, 8, 9):
        assert [score for _label, score in by_index[index]] == [2, 1, 0]
    assert "Từ 90% đến dưới 100%" in by_index[8][1][0]  # ≥90% on time -> 1
    assert "20%" in by_index[9][0][0] and "30%" in by_index[9][0][0]


def _single(question_id, index=None, scores=(2, 1, 0)):
    return {
        "type": "single_choice",
        "value": {
            "question_id": question_id,
            "index": index,
            "text": f"Câu {question_id}",
            "help_text": "",
            "required": True,
            "options": [{"key": f"o{n}", "label": f"Lựa chọn {n}", "score": s} for n, s in enumerate(scores)],
        },
    }


def test_clean_refuses_repeated_ids_foreign_indices_and_a_reversed_period():
    template = SurveyTemplate(
        name="Thử",
        kind=SurveyKind.CITIZEN_INDEX,
        valid_from=date(2026, 6, 1),
        valid_until=date(2026, 5, 31),
        questions=[_single("a", index=1), _single("a", index=1), _single("b", index=5)],
    )
    with pytest.raises(ValidationError) as caught:
        template.clean()
    errors = caught.value.message_dict
    assert "valid_until" in errors
    text = " ".join(errors["questions"])
    assert "Mã câu hỏi “a” bị trùng" in text
    assert "Chỉ số 1 được hỏi hơn một lần" in text
    assert "không chấm chỉ số 5" in text  # 5 is a unit index, not a citizen one


def test_index_question_options_must_be_worth_2_1_or_0():
    block = SingleChoiceQuestionBlock()
    value = block.to_python(_single("a", index=3, scores=(3, 1, 0))["value"])
    with pytest.raises(ValidationError):
        block.clean(value)
    # Without an index any points are allowed (a province's own question).
    block.clean(block.to_python(_single("b", scores=(3, 1, 0))["value"]))


def _template(name, *, kind=SurveyKind.CITIZEN_INDEX, valid_from=date(2026, 1, 1), valid_until=None):
    template = SurveyTemplate(
        name=name, kind=kind, valid_from=valid_from, valid_until=valid_until, questions=[_single("q", index=1)]
    )
    template.save()
    return template


def _publish(template, *, procedures=(), agencies=()):
    template.procedures.set(procedures)
    template.agencies.set(agencies)
    template.save()
    template.save_revision().publish()
    template.refresh_from_db()
    return template


def test_template_for_prefers_the_most_specific_live_template(catalogue):
    SurveyTemplate.objects.all().delete()
    agency = receiving_agency()
    procedure = online_procedure(catalogue, agency=agency)
    on = date(2026, 3, 15)
    general = _publish(_template("Chung"))
    assert template_for(kind=SurveyKind.CITIZEN_INDEX, procedure=procedure, agency=agency, on=on) == general
    by_agency = _publish(_template("Theo cơ quan"), agencies=[agency])
    assert template_for(kind=SurveyKind.CITIZEN_INDEX, procedure=procedure, agency=agency, on=on) == by_agency
    by_procedure = _publish(_template("Theo thủ tục"), procedures=[procedure])
    assert template_for(kind=SurveyKind.CITIZEN_INDEX, procedure=procedure, agency=agency, on=on) == by_procedure
    # Another agency: the agency-limited template does not apply; the procedure one still does.
    other = receiving_agency("000.00.99.H36", "Sở Khác")
    assert template_for(kind=SurveyKind.CITIZEN_INDEX, procedure=procedure, agency=other, on=on) == by_procedure
    # No procedure: only templates for all procedures remain; the agency one is more specific.
    assert template_for(kind=SurveyKind.CITIZEN_INDEX, procedure=None, agency=agency, on=on) == by_agency


def test_template_for_reads_the_period_and_only_live_templates(catalogue):
    SurveyTemplate.objects.all().delete()
    old = _publish(_template("2025", valid_from=date(2025, 1, 1), valid_until=date(2025, 12, 31)))
    new = _publish(_template("2026", valid_from=date(2026, 1, 1)))
    draft = _template("Nháp", valid_from=date(2026, 2, 1))
    SurveyTemplate.objects.filter(pk=draft.pk).update(live=False)  # as the admin's "save draft" leaves a new one
    kind = SurveyKind.CITIZEN_INDEX
    assert template_for(kind=kind, on=date(2025, 12, 31)) == old  # last day included
    assert template_for(kind=kind, on=date(2026, 1, 1)) == new
    assert template_for(kind=kind, on=date(2026, 3, 1)) == new  # the draft is never chosen
    assert template_for(kind=kind, on=date(2024, 12, 31)) is None
    assert template_for(kind=SurveyKind.SELF_ASSESSMENT, on=date(2026, 3, 1)) is None
