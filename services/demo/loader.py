"""Load the team's demo catalogue (agencies, fields, form templates, procedures, guidance).

Idempotent: running it twice changes nothing the second time. Used by ``make demo`` through
``python manage.py load_demo``; the procedures go through the same importer as real files.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from wagtail.documents import get_document_model

from services.catalogue.services import catalogue_get_or_create, catalogue_import
from services.models import AdministrativeTier, Agency, FieldOfWork
from services.text import fold


def _load(name: str):
    return json.loads((Path(settings.DEMO_DATA_DIR) / name).read_text(encoding="utf-8"))


@transaction.atomic
def load_reference_data() -> None:
    tiers = {t.code: t for t in AdministrativeTier.objects.all()}
    by_identifier = {}
    for item in _load("agencies.json"):
        agency = (
            Agency.objects.filter(identifier=item["identifier"]).first()
            or Agency.objects.filter(lookup_key=fold(item["name"])).first()
            or Agency()
        )
        agency.name = item["name"]
        agency.identifier = item["identifier"]
        agency.tier = tiers.get(item.get("tier"))
        agency.address = item.get("address", "")
        agency.parent = by_identifier.get(item.get("parent"))
        agency.save()
        by_identifier[agency.identifier] = agency
    for item in _load("fields.json"):
        field = FieldOfWork.objects.filter(lookup_key=fold(item["name"])).first() or FieldOfWork()
        field.name, field.code = item["name"], item["code"]
        field.save()


def load_form_templates() -> int:
    Document = get_document_model()
    existing = {doc.title for doc in Document.objects.all()}
    created = 0
    for path in sorted((Path(settings.DEMO_DATA_DIR) / "forms").glob("*.docx")):
        if path.name in existing:
            continue
        with path.open("rb") as handle:
            Document.objects.create(title=path.name, file=File(handle, name=path.name))
        created += 1
    return created


def load_guidance(home) -> None:
    from home.models import GuidanceIndexPage, GuidancePage

    index = GuidanceIndexPage.objects.child_of(home).first()
    if index is None:
        index = GuidanceIndexPage(title="Hướng dẫn", slug="huong-dan", intro="Hướng dẫn sử dụng Cổng Dịch vụ công.")
        home.add_child(instance=index)
        index.save_revision().publish()
    for item in _load("guidance.json"):
        if GuidancePage.objects.child_of(index).filter(title=item["title"]).exists():
            continue
        page = GuidancePage(title=item["title"], summary=item.get("summary", ""), body=json.dumps(item["body"]))
        index.add_child(instance=page)
        page.save_revision().publish()


def load_demo():
    """Load everything; returns the import report of the demo procedures."""
    from home.models import HomePage

    load_reference_data()
    load_form_templates()
    catalogue = catalogue_get_or_create(scope="provincial")
    report = catalogue_import(
        source_file=Path(settings.DEMO_DATA_DIR) / "catalogue.json", catalogue=catalogue, source="native"
    )
    home = HomePage.objects.first()
    load_guidance(home)
    if not home.popular_procedures:
        from services.models import ProcedurePage

        popular = (
            ProcedurePage.objects.live()
            .child_of(catalogue)
            .filter(code__in=["1.001193", "1.000894", "2.000635", "1.013225", "3.000333", "1.012814"])
        )
        home.popular_procedures = [("procedure", page) for page in popular]
        home.save_revision().publish()
    load_online_forms(catalogue)
    return report


def load_online_forms(catalogue) -> int:
    """Publish an online form for every demo procedure that allows online filing (one per case).

    Forms are built from the procedure's components by ``online_form_draft_from_procedure``,
    with the questions of ``online_forms.json`` where the team wrote some. A procedure that
    already has a form for a case keeps it (editors' changes are never overwritten).
    """
    from services.dossiers.services import online_form_draft_from_procedure
    from services.models import OnlineServiceForm, ProcedurePage

    questions = {k: v for k, v in _load("online_forms.json").items() if not k.startswith("_")}
    created = 0
    procedures = ProcedurePage.objects.live().child_of(catalogue).filter(online_level__allows_online_filing=True)
    for procedure in procedures.order_by("code"):
        titles = [block.value.get("title") or "" for block in procedure.cases] or [""]
        for case_title in titles:
            if OnlineServiceForm.objects.filter(procedure=procedure, case_title=case_title).exists():
                continue
            form = online_form_draft_from_procedure(
                procedure=procedure, case_title=case_title, questions=questions.get(procedure.code)
            )
            form.save()
            form.save_revision().publish()
            created += 1
    return created
