"""Resolving a record's reference data (levels, tiers, fields, agencies, subjects, documents).

One :class:`ReferenceCache` per import loads each reference table once and creates missing
fields of work, agencies and subjects on first use, so an import of N rows costs O(1) queries
for lookups instead of O(N).
"""

from wagtail.documents import get_document_model

from services.catalogue.records import RecordError
from services.models import AdministrativeTier, Agency, FieldOfWork, OnlineServiceLevel, ProcedureAgency, Subject
from services.text import fold


class ReferenceCache:
    def __init__(self, *, create_missing: bool = True):
        self.create_missing = create_missing
        self.levels = {lv.lookup_key: lv for lv in OnlineServiceLevel.objects.all()}
        self.tiers = {t.code: t for t in AdministrativeTier.objects.all()}
        self.fields = {f.lookup_key: f for f in FieldOfWork.objects.all()}
        self.agencies = {a.lookup_key: a for a in Agency.objects.all()}
        self.agencies_by_id = {a.identifier: a for a in self.agencies.values() if a.identifier}
        self.subjects = {s.lookup_key: s for s in Subject.objects.all()}
        self.documents = {}
        # A form template is named by its document's title (the loader titles documents with
        # their file name; storage may add a suffix to the stored name), else its file name.
        docs = list(get_document_model().objects.order_by("pk").only("pk", "file", "title"))
        for doc in docs:
            self.documents.setdefault(doc.title, doc.pk)
        for doc in docs:
            self.documents.setdefault(doc.filename, doc.pk)

    def level(self, label: str):
        if not label:
            return None
        try:
            return self.levels[fold(label)]
        except KeyError:
            known = ", ".join(sorted(lv.label for lv in self.levels.values()))
            raise RecordError(
                f"Mức độ dịch vụ không có trong bảng mức độ: {label!r}. Các nhãn đã khai báo: {known}."
            ) from None

    def tier(self, code: str):
        try:
            return self.tiers[code]
        except KeyError:
            raise RecordError(f"Cấp thực hiện không hợp lệ: {code!r} (dùng: {', '.join(self.tiers)}).") from None

    def _get_or_create(self, table: dict, name: str, make):
        key = fold(name)
        obj = table.get(key)
        if obj is None:
            obj = make()
            if self.create_missing:
                obj.save()
            table[key] = obj
        return obj

    def field(self, code: str, name: str):
        return self._get_or_create(self.fields, name, lambda: FieldOfWork(code=code, name=name))

    def agency(self, name: str, identifier: str = ""):
        if identifier and identifier in self.agencies_by_id:
            return self.agencies_by_id[identifier]
        obj = self._get_or_create(self.agencies, name, lambda: Agency(name=name, identifier=identifier))
        if identifier:
            self.agencies_by_id.setdefault(identifier, obj)
        return obj

    def subject(self, name: str):
        return self._get_or_create(self.subjects, name, lambda: Subject(name=name))

    def resolve(self, record: dict) -> dict:
        """``record`` as the catalogue will store it, so that its hash matches the saved page's.

        Field, agency and subject names take the spelling already on file for the same folded
        name ("Văn hoá" and "Văn hóa" are one agency); ``form_file`` is kept only where a
        document with that file name exists, otherwise the name moves to ``form_name`` so that
        nothing the file said is lost.
        """
        for item in record["fields_of_work"]:
            field = self.field(item["code"], item["name"])
            # The stored field wins: a row naming "Hộ tịch" without a code is the field H36-TP01.
            item["name"], item["code"] = field.name, field.code
        record["fields_of_work"] = _unique(sorted(record["fields_of_work"], key=lambda f: (f["name"], f["code"])))
        for item in record["agencies"]:
            agency = self.agency(item["name"], item["identifier"])
            item["name"], item["identifier"] = agency.name, agency.identifier
        record["agencies"] = _unique(record["agencies"])
        record["subjects"] = sorted({self.subject(name).name for name in record["subjects"]})
        for case in record["cases"]:
            for comp in case["components"]:
                if comp["form_file"] and comp["form_file"] not in self.documents:
                    comp["form_name"] = comp["form_name"] or comp["form_file"]
                    comp["form_file"] = ""
        return record


def apply_record(page, record: dict, refs: ReferenceCache) -> None:
    """Set every field of ``page`` (a ``ProcedurePage``) from a canonical ``record``.

    Reference rows are looked up (and created when missing) through ``refs``; nothing is saved
    to the page itself. Raises :class:`RecordError` for an unknown level or tier.
    """
    page.code = record["code"]
    page.title, page.full_name = shorten_title(record["name"])
    page.provincial_code = record["provincial_code"]
    page.procedure_type = record["procedure_type"]
    page.online_level = refs.level(record["online_level"])
    page.submission_address = record["submission_address"]
    page.results = record["results"]
    page.conditions = record["conditions"]
    page.keywords = record["keywords"]
    page.description = record["description"]
    page.related_codes = record["related_codes"]
    page.source = record["source"]
    page.source_url = record["source_url"]
    page.tiers = [refs.tier(code) for code in record["tiers"]]
    page.fields_of_work = [refs.field(f["code"], f["name"]) for f in record["fields_of_work"]]
    page.subjects = [refs.subject(name) for name in record["subjects"]]
    page.agency_roles = [
        ProcedureAgency(agency=refs.agency(a["name"], a["identifier"]), role=a["role"], sort_order=i)
        for i, a in enumerate(record["agencies"])
    ]
    page.decisions = [{"type": "decision", "value": d} for d in record["decisions"]]
    page.legal_bases = [{"type": "legal_basis", "value": b} for b in record["legal_bases"]]
    page.cases = [{"type": "case", "value": _case_stream_value(c, refs)} for c in record["cases"]]


def _unique(items: list) -> list:
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def shorten_title(name: str, limit: int = 250) -> tuple[str, str]:
    """(page title, full name): names over ``limit`` characters are cut at a word and end with "…"."""
    if len(name) <= limit:
        return name, ""
    cut = name[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…", name


def _case_stream_value(case: dict, refs: ReferenceCache) -> dict:
    components = []
    for comp in case["components"]:
        value = {k: v for k, v in comp.items() if k != "form_file"}
        value["form_document"] = refs.documents.get(comp["form_file"]) if comp["form_file"] else None
        components.append(value)
    return {
        "title": case["title"],
        "steps": list(case["steps"]),
        "channels": [dict(ch) for ch in case["channels"]],
        "components": components,
    }
