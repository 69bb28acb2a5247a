"""Builders for the citizen evaluation and self-assessment tests.

Dossiers are filed through ``dossier_submit`` (``tests.services.workflow_builders``) and put at a
status directly. The answers use the question and option keys of the templates shipped by
migration ``evaluation/0002`` (written from DOMAIN.md §5), so a test also proves those keys.
"""

from services.models import Channel, Dossier
from tests.services.workflow_builders import applicant, filed_dossier, online_form, set_status, vn

APPLICANT_ID = "068190004321"  # workflow_builders.applicant()'s id number

#: Citizen answers (Circular 01/2018): index 1 early (2), 3 one contact (1), 4 more than one
#: agency (0), 7 on time without complaint (1).
INDEX_ANSWERS = {
    "citizen_index__thoi-gian-giai-quyet": "truoc-han",
    "citizen_index__so-lan-lien-he": "mot-lan",
    "citizen_index__so-co-quan-lien-he": "hon-mot-co-quan",
    "citizen_index__thai-do-can-bo": "dung-han-khong-phan-anh",
}
#: Expected points, from the rule table (DOMAIN.md §5): {index: score}.
INDEX_SCORES = {1: 2, 3: 1, 4: 0, 7: 1}

#: Circular 32/2017 answers: Rất hài lòng (2), Hài lòng (1), Chưa hài lòng (0), Rất hài lòng (2).
SATISFACTION_ANSWERS = {
    "online_satisfaction__overall": "rat-hai-long",
    "online_satisfaction__ease_of_use": "hai-long",
    "online_satisfaction__timeliness": "chua-hai-long",
    "online_satisfaction__staff_support": "rat-hai-long",
}
SATISFACTION_SCORES = {"overall": 2, "ease_of_use": 1, "timeliness": 0, "staff_support": 2}


def dossier_at(catalogue, code: int, *, channel: str = Channel.ONLINE, form=None) -> Dossier:
    """A dossier filed on 2/3/2026 09:00 and put at national status ``code`` (10 = returned)."""
    form = form or online_form(catalogue)
    dossier = filed_dossier(form, now=vn(2026, 3, 2), applicant_=applicant())
    fields = {"channel": channel}
    if code in (9, 10):
        fields["finished_at"] = vn(2026, 3, 5)
    if code == 10:
        fields["returned_at"] = vn(2026, 3, 6)
    return set_status(dossier, code, **fields)


def all_answers(*, satisfaction: bool = True) -> dict:
    return {**INDEX_ANSWERS, **(SATISFACTION_ANSWERS if satisfaction else {})}
