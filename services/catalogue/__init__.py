"""The catalogue's native record format, source adapters, readers, import and export.

Flow: a reader streams raw rows from a file (CSV/XLSX/JSON/JSONL, gzip allowed) -> a source
adapter turns each raw row into a native record -> ``records.canonical_record`` normalises it ->
the django-import-export ``ProcedureResource`` upserts pages by code. Export runs the other way
(``records.record_from_page``), so an exported file re-imports into the identical catalogue.
"""
