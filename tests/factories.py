"""factory-boy factories for catalogue pages and reference data (built by hand, no importer)."""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from services.models import Agency, FieldOfWork, OnlineServiceLevel, ProcedureAgency, ProcedurePage, Subject


class FieldOfWorkFactory(DjangoModelFactory):
    class Meta:
        model = FieldOfWork

    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Cơ quan {n}")


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = Subject

    name = factory.Sequence(lambda n: f"Đối tượng {n}")


def level(label: str) -> OnlineServiceLevel:
    """A seeded online-service level by its label (migration 0002 seeds the real labels)."""
    return OnlineServiceLevel.objects.get(label=label)


def case(*, steps=1, channels=("in_person",), components=1, document=None, title="") -> dict:
    """One case (trường hợp) block with ``steps`` steps, the given channels and ``components`` components."""
    return {
        "type": "case",
        "value": {
            "title": title,
            "steps": [f"Bước {i + 1}: việc thứ {i + 1}." for i in range(steps)],
            "channels": [
                {
                    "channel": ch,
                    "time_limit": 10,
                    "time_unit": "working_days",
                    "time_text": "",
                    "fees": [{"amount_vnd": 50000, "description": "Lệ phí"}],
                    "note": "",
                }
                for ch in channels
            ],
            "components": [
                {
                    "name": f"Giấy tờ số {i + 1}",
                    "form_name": "",
                    "form_document": document.pk if document else None,
                    "originals": 1,
                    "copies": 0,
                    "note": "",
                }
                for i in range(components)
            ],
        },
    }


class ProcedurePageFactory(wagtail_factories.PageFactory):
    """A live procedure page; pass ``parent=<ProcedureIndexPage>``.

    Relations (``tiers``, ``fields_of_work``, ``subjects``, ``agency_roles``) may be passed as
    lists: modelcluster keeps them in memory and saves them with the page.
    """

    class Meta:
        model = ProcedurePage

    title = factory.Sequence(lambda n: f"Thủ tục thử nghiệm số {n}")
    slug = factory.Sequence(lambda n: f"thu-tuc-{n}")
    code = factory.Sequence(lambda n: f"9.{n:06d}")
    live = True


def agency_role(agency: Agency, role: str = "implementing", order: int = 0) -> ProcedureAgency:
    return ProcedureAgency(agency=agency, role=role, sort_order=order)
