"""What is indexed for a procedure, and keeping both indexes in step with the catalogue.

``prepare(page)`` is the one description of a procedure for search; the Elasticsearch
document and the database fallback entry are both built from it. Only live, public pages are
indexed (draft-only and private pages never are; case C14).
"""

import logging

from django.db import transaction
from django.db.models import Prefetch

from search.analysis import folded_words
from services.models import ProcedureAgency, ProcedurePage
from services.text import slugify_vi

logger = logging.getLogger(__name__)


def indexable_pages(ids=None):
    """Live, public procedure pages with what ``prepare`` reads loaded in bulk."""
    qs = ProcedurePage.objects.live().public()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.select_related("online_level").prefetch_related(
        "fields_of_work",
        "tiers",
        "subjects",
        Prefetch("agency_roles", queryset=ProcedureAgency.objects.select_related("agency")),
    )


def _case_text(page) -> str:
    parts = []
    for block in page.cases.raw_data or []:
        value = block.get("value", {})
        for step in value.get("steps") or []:
            parts.append(step.get("value", step) if isinstance(step, dict) else step)
        for comp in value.get("components") or []:
            comp = comp.get("value", comp) if comp.get("type") == "item" else comp
            parts.append(comp.get("name", ""))
    return "\n".join(str(p) for p in parts if p)


def prepare(page: ProcedurePage) -> dict:
    """The searchable description of ``page``: texts, facet keys and display values."""
    fields = list(page.fields_of_work.all())
    agencies = [role.agency for role in page.agency_roles.all()]
    agencies = list({a.pk: a for a in agencies}.values())
    subjects = list(page.subjects.all())
    level = page.online_level
    doc = {
        "id": page.pk,
        "code": page.code,
        "provincial_code": page.provincial_code,
        "name": page.name,
        "url": page.get_url() or page.url_path,
        "keywords": page.keywords,
        "fields": [f.name for f in fields],
        "field_slugs": [f.slug for f in fields],
        "agencies": [a.name for a in agencies],
        "agency_slugs": [a.slug for a in agencies],
        "tiers": [t.code for t in page.tiers.all()],
        "subjects": [s.name for s in subjects],
        "subject_keys": [slugify_vi(s.name, 80) for s in subjects],
        "level": level.classification if level else "",
        # The current classification (Decree 42/2022), not the catalogue's legacy label.
        "level_label": level.get_classification_display() if level else "",
        "online": bool(level and level.allows_online_filing),
        "body": "\n".join(x for x in [_case_text(page), page.results, page.conditions, page.description] if x),
    }
    # Everything searchable in one text (Elasticsearch's all_text field, the fallback's folded
    # text); built here because copy_to is not available on every server.
    doc["all_text"] = " ".join(
        [doc["name"], doc["keywords"], *doc["fields"], *doc["agencies"], *doc["subjects"], doc["body"]]
    )
    return doc


def entry_values(doc: dict) -> dict:
    """Database fallback entry fields from a prepared document."""
    text = folded_words(doc["all_text"])
    return {
        "code": doc["code"],
        "name": doc["name"],
        "url": doc["url"],
        # Padded with spaces so that " word " matches whole words only.
        "name_folded": f" {' '.join(folded_words(doc['name']))} ",
        "text_folded": f" {' '.join(text)} ",
        "words_folded": f" {' '.join(sorted(set(text)))} ",
        "level": doc["level"],
        "level_label": doc["level_label"],
        "agency_names": "; ".join(doc["agencies"]),
        "field_names": "; ".join(doc["fields"]),
        "facets": {
            "field": doc["field_slugs"],
            "agency": doc["agency_slugs"],
            "tier": doc["tiers"],
            "level": [doc["level"]] if doc["level"] else [],
            "subject": doc["subject_keys"],
        },
    }


def sync_pages(page_ids: list[int]) -> None:
    """Bring both indexes in line with the pages ``page_ids``: index the live, public ones,
    remove the others. Raises the search server's error after the database part is done, so
    that the caller's retry covers only Elasticsearch."""
    from search.backends import elasticsearch_backend
    from search.models import ProcedureSearchEntry

    docs = [prepare(page) for page in indexable_pages(page_ids)]
    live_ids = {d["id"] for d in docs}
    gone = [pk for pk in page_ids if pk not in live_ids]
    with transaction.atomic():
        ProcedureSearchEntry.objects.filter(page_id__in=gone).delete()
        existing = {e.page_id: e for e in ProcedureSearchEntry.objects.filter(page_id__in=live_ids)}
        new, changed = [], []
        for doc in docs:
            values = entry_values(doc)
            entry = existing.get(doc["id"])
            if entry is None:
                new.append(ProcedureSearchEntry(page_id=doc["id"], **values))
            else:
                for key, value in values.items():
                    setattr(entry, key, value)
                changed.append(entry)
        ProcedureSearchEntry.objects.bulk_create(new, batch_size=500)
        if changed:
            ProcedureSearchEntry.objects.bulk_update(changed, list(entry_values(docs[0]).keys()), batch_size=500)
    backend = elasticsearch_backend()
    if backend is not None:
        backend.index_documents(docs)
        backend.delete_documents(gone)
