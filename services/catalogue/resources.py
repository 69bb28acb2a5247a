"""django-import-export resource of procedure pages: upsert by national base code.

The resource receives datasets of *loose* native records prepared by
``services.catalogue.services.catalogue_import`` (columns ``code``, ``_line``, ``_loose``,
``_partial``, ``_merge``) and does the row work: load the existing page of the catalogue in
one query per chunk, merge partial rows, compare content hashes (an unchanged row writes no
page and no revision), and create or update the page with a published revision.
"""

import json

import tablib
from django.db.models import Prefetch
from import_export import fields, resources
from import_export.instance_loaders import CachedInstanceLoader

from services.catalogue.records import NATIVE_COLUMNS, canonical_record, record_from_page, record_hash
from services.catalogue.references import ReferenceCache, apply_record
from services.catalogue.writer import PageWriter
from services.models import ProcedureAgency, ProcedurePage

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value):
    """Undo :func:`escape_formula` on import so that an export re-imports identically."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def merge_records(base: dict, extra: dict) -> dict:
    """``base`` with the list values of ``extra`` (tiers, fields, agencies, subjects) added."""
    merged = dict(base)
    for key in ("tiers", "fields_of_work", "agencies", "subjects"):
        values = list(base.get(key) or [])
        for item in extra.get(key) or []:
            if item not in values:
                values.append(item)
        merged[key] = values
    return merged


class ProcedureResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="code")

    class Meta:
        model = ProcedurePage
        fields = ("code",)
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        skip_diff = True
        use_transactions = True
        instance_loader_class = CachedInstanceLoader

    def __init__(self, *, catalogue, refs: ReferenceCache | None = None, user=None, extras=None, tabular=True):
        super().__init__()
        self.catalogue = catalogue
        self.refs = refs
        self.user = user
        self.extras = extras or {}
        self.tabular = tabular
        self.writer = None if refs is None else PageWriter(catalogue=catalogue, user=user)

    def get_queryset(self):
        return (
            ProcedurePage.objects.child_of(self.catalogue)
            .select_related("online_level")
            .prefetch_related(
                "tiers",
                "fields_of_work",
                "subjects",
                Prefetch("agency_roles", queryset=ProcedureAgency.objects.select_related("agency")),
            )
        )

    # -- import -----------------------------------------------------------------------------

    def init_instance(self, row=None):
        return ProcedurePage(live=True)

    def import_instance(self, instance, row, **kwargs):
        loose, partial = row["_loose"], row["_partial"]
        if partial and instance.pk:
            current = record_from_page(instance)
            loose = {**current, **{k: loose.get(k) for k in partial}}
        record = canonical_record(loose)
        if row["code"] in self.extras:
            record = canonical_record(merge_records(record, self.extras[row["code"]]))
        record = self.refs.resolve(record)
        instance._incoming_hash = record_hash(record)
        if instance.pk is None or instance.content_hash != instance._incoming_hash:
            apply_record(instance, record, self.refs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return bool(instance.pk) and instance.content_hash == instance._incoming_hash and not import_validation_errors

    def save_instance(self, instance, is_create, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        self.writer.save(instance, is_create=is_create)

    def save_m2m(self, instance, row, **kwargs):
        """Relations are cluster fields saved with the page itself."""

    # -- export -----------------------------------------------------------------------------

    def export(self, queryset=None, **kwargs):
        queryset = self.get_queryset().order_by("path") if queryset is None else queryset
        dataset = tablib.Dataset(headers=NATIVE_COLUMNS)
        for page in queryset.iterator(chunk_size=500) if not queryset._prefetch_related_lookups else queryset:
            record = record_from_page(page)
            dataset.append([self._cell(record[c]) for c in NATIVE_COLUMNS])
        return dataset

    def _cell(self, value):
        if not self.tabular:
            return value
        if isinstance(value, (list, dict)):
            return json.dumps(value, ensure_ascii=False) if value else ""
        return escape_formula("" if value is None else value)
