"""Writes of the catalogue: import a file, export a catalogue. Commands and admin views call these.

Import is two streaming passes over the file:

1. *Validate*: every row goes through its source adapter and ``canonical_record``; reference
   labels (levels, tiers) are checked; codes seen twice are reported with both line numbers
   (case C12) — the same procedure named twice is merged into the first row, a different name
   under the same code is an error. Nothing is written.
2. *Import*: only when the file is clean, or when the caller accepts the valid rows, rows go
   in chunks through :class:`~services.catalogue.resources.ProcedureResource` inside one
   transaction: all rows or none.
"""

import logging
from dataclasses import dataclass, field

import tablib
from django.db import transaction
from import_export.results import RowResult

from services.catalogue.readers import ReaderError, read_rows
from services.catalogue.records import RecordError, base_code, canonical_record, record_hash
from services.catalogue.references import ReferenceCache
from services.catalogue.resources import ProcedureResource, unescape_formula
from services.catalogue.sources import ADAPTERS, detect_source
from services.models import ProcedureIndexPage, ProcedurePage
from services.text import fold, normalize_text

logger = logging.getLogger(__name__)

CHUNK_SIZE = 250
STATUSES = ("new", "updated", "unchanged", "skipped", "error")
_IMPORT_TYPES = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_ERROR: "error",
    RowResult.IMPORT_TYPE_INVALID: "error",
}


@dataclass
class RowReport:
    line: int
    code: str
    name: str
    status: str
    message: str = ""


@dataclass
class ImportReport:
    """Outcome of one import: counts per status and one entry per row (line numbers as in the file)."""

    source: str
    dry_run: bool
    rows: list[RowReport] = field(default_factory=list)
    written: bool = False
    aborted_reason: str = ""

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def errors(self) -> list[RowReport]:
        return [r for r in self.rows if r.status == "error"]

    def summary(self) -> str:
        c = self.counts
        return (
            f"mới: {c['new']}, cập nhật: {c['updated']}, không đổi: {c['unchanged']}, "
            f"bỏ qua: {c['skipped']}, lỗi: {c['error']}"
        )


class ImportAborted(Exception):
    """Raised inside the import transaction to roll it back."""


def _raw_code(raw: dict) -> str:
    """The code a raw row of any source carries, for error reports (empty when none)."""
    meta = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
    for value in (
        raw.get("code"),
        raw.get("Mã chuẩn"),
        raw.get("ma_thu_tuc"),
        raw.get("ma_so"),
        raw.get("Mã số"),
        meta.get("mã_thủ_tục"),
        raw.get("thu_tuc_id"),
    ):
        if value:
            return normalize_text(str(value))[:40]
    return ""


def _prepare(raw: dict, adapter, source: str):
    """(loose record, partial keys) of one raw row; raises RecordError."""
    issues = raw.pop("_issues", None)
    if issues:
        raise RecordError(" ".join(issues))
    if source == "native":
        raw = {k: unescape_formula(v) for k, v in raw.items()}
    loose, partial = adapter(raw)
    loose["code"] = base_code(loose.get("code") or "")
    return loose, partial


def _validate(loose: dict, partial, refs: ReferenceCache) -> dict:
    probe = dict(loose)
    if partial and "name" not in partial:
        probe["name"] = probe.get("name") or "…"
    record = canonical_record(probe)
    if not partial or "online_level" in partial:
        refs.level(record["online_level"])
    if not partial or "tiers" in partial:
        for tier in record["tiers"]:
            refs.tier(tier)
    return record


def catalogue_import(
    *,
    source_file,
    catalogue: ProcedureIndexPage,
    source: str | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    accept_valid_rows: bool = False,
    user=None,
) -> ImportReport:
    """Import a catalogue file into ``catalogue`` (upsert by national base code).

    ``source_file``: a path or a binary file object with a ``name``; ``source``: one of
    ``lamdong``, ``dvcqg``, ``bqp``, ``native`` (detected from the header when ``None``);
    ``fmt``: ``csv``/``xlsx``/``json``/``jsonl`` (from the file name when ``None``).

    With ``dry_run`` nothing is written and the report says what would happen. A file with
    errors writes nothing unless ``accept_valid_rows`` is true. Re-importing the same file
    reports every row unchanged and writes nothing. Raises ``ReaderError`` for an unreadable
    file or unknown source (Vietnamese message).
    """
    refs = ReferenceCache(create_missing=False)
    report_rows: dict[int, RowReport] = {}
    first_seen: dict[str, tuple[int, str]] = {}
    extras: dict[str, dict] = {}
    skip_lines: set[int] = set()
    incoming_hashes: dict[int, tuple[str, str]] = {}

    # Pass 1: validate, find duplicates. Nothing is written.
    detected = source
    for line, raw in read_rows(source_file, fmt):
        if detected is None:
            detected = detect_source(raw.keys())
            if detected is None:
                raise ReaderError(
                    "Không nhận ra nguồn dữ liệu từ dòng tiêu đề; chọn nguồn (lamdong, dvcqg, bqp, native)."
                )
        if detected not in ADAPTERS:
            raise ReaderError(f"Nguồn không hỗ trợ: {detected!r}.")
        name_hint = normalize_text(str(raw.get("name") or raw.get("Tên thủ tục") or raw.get("ten_thu_tuc") or ""))[:200]
        try:
            loose, partial = _prepare(dict(raw), ADAPTERS[detected], detected)
            record = _validate(loose, partial, refs)
        except RecordError as exc:
            report_rows[line] = RowReport(line, _raw_code(raw), name_hint, "error", str(exc))
            continue
        code = record["code"]
        if code in first_seen:
            first_line, first_name = first_seen[code]
            if fold(first_name) == fold(record["name"]) or (partial and "name" not in partial):
                extra = extras.setdefault(code, {})
                for key in ("tiers", "fields_of_work", "agencies", "subjects"):
                    extra.setdefault(key, []).extend(record[key])
                skip_lines.add(line)
                report_rows[line] = RowReport(
                    line,
                    code,
                    record["name"],
                    "skipped",
                    f"Trùng mã với dòng {first_line}: đã gộp vào dòng {first_line}.",
                )
            else:
                report_rows[line] = RowReport(
                    line,
                    code,
                    record["name"],
                    "error",
                    f"Trùng mã {code} với dòng {first_line} nhưng khác tên ({first_name!r}).",
                )
            continue
        first_seen[code] = (line, record["name"])
        if not partial:
            incoming_hashes[line] = (code, record_hash(refs.resolve(record)))

    report = ImportReport(source=detected or "", dry_run=dry_run)
    has_errors = any(r.status == "error" for r in report_rows.values())
    if has_errors and not accept_valid_rows and not dry_run:
        report.rows = sorted(report_rows.values(), key=lambda r: r.line)
        report.aborted_reason = (
            "Tệp có dòng lỗi: không ghi gì. Sửa các dòng lỗi hoặc xác nhận chỉ nhập các dòng hợp lệ."
        )
        return report

    # Rows whose content equals the page's are unchanged: no need to load or write them.
    stored = dict(
        ProcedurePage.objects.child_of(catalogue).filter(content_hash__gt="").values_list("code", "content_hash")
    )
    for line, (code, digest) in incoming_hashes.items():
        if code not in extras and stored.get(code) == digest:
            report_rows[line] = RowReport(line, code, "", "unchanged")

    # Pass 2: import the other valid rows in chunks, in one transaction.
    refs = ReferenceCache(create_missing=not dry_run)
    resource = ProcedureResource(catalogue=catalogue, refs=refs, user=user, extras=extras)
    try:
        with transaction.atomic():
            chunk = tablib.Dataset(headers=["code", "_line", "_loose", "_partial"])
            for line, raw in read_rows(source_file, fmt):
                if line in report_rows:
                    continue
                loose, partial = _prepare(dict(raw), ADAPTERS[detected], detected)
                chunk.append([loose["code"], line, loose, partial])
                if len(chunk) >= CHUNK_SIZE:
                    _import_chunk(resource, chunk, report_rows, dry_run)
                    chunk = tablib.Dataset(headers=chunk.headers)
            if len(chunk):
                _import_chunk(resource, chunk, report_rows, dry_run)
            if not dry_run:
                resource.writer.finish()
            if dry_run:
                raise ImportAborted
            if any(r.status == "error" for r in report_rows.values()) and not accept_valid_rows:
                report.aborted_reason = "Có lỗi khi ghi: đã hủy toàn bộ lần nhập."
                raise ImportAborted
    except ImportAborted:
        pass
    else:
        report.written = True
    report.rows = sorted(report_rows.values(), key=lambda r: r.line)
    return report


def _import_chunk(resource, chunk, report_rows, dry_run):
    mark = None if dry_run else resource.writer.mark()
    result = resource.import_data(chunk, dry_run=dry_run, use_transactions=True, raise_errors=False)
    rolled_back = result.has_errors()  # import-export rolls the whole chunk back on a row error
    if not dry_run:
        if rolled_back:
            resource.writer.discard_since(mark)
            # Fields, agencies and subjects created in the rolled-back chunk no longer exist.
            resource.refs = ReferenceCache(create_missing=True)
        resource.writer.flush()
    lines = chunk.get_col(1)
    loose_rows = chunk.get_col(2)
    for index, row_result in enumerate(result.rows):
        line = lines[index]
        status = _IMPORT_TYPES.get(row_result.import_type, "error")
        message = ""
        if row_result.errors:
            message = "; ".join(str(e.error) for e in row_result.errors)
            logger.warning("Import row %s failed: %s", line, message)
        elif row_result.validation_error is not None:
            message = "; ".join(row_result.validation_error.messages)
        elif rolled_back and status in ("new", "updated"):
            failed = [lines[i] for i, r in enumerate(result.rows) if r.errors]
            status = "error"
            message = f"Không ghi: cùng nhóm với dòng lỗi {', '.join(map(str, failed[:5]))}; hãy nhập lại sau khi sửa."
        loose = loose_rows[index]
        report_rows[line] = RowReport(
            line, loose["code"], normalize_text(str(loose.get("name") or ""))[:200], status, message
        )


def catalogue_export(*, catalogue: ProcedureIndexPage, fmt: str) -> bytes:
    """The catalogue in the native format as ``csv`` (UTF-8 with BOM), ``xlsx``, ``json`` or ``jsonl``.

    Tabular formats hold list columns as JSON text and escape cells a spreadsheet would run as
    formulas; importing the result into an empty catalogue reproduces the same records.
    """
    import json

    tabular = fmt in ("csv", "xlsx")
    dataset = ProcedureResource(catalogue=catalogue, tabular=tabular).export()
    if fmt == "csv":
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    if fmt == "xlsx":
        return dataset.export("xlsx")
    records = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    raise ValueError(f"Định dạng xuất không hỗ trợ: {fmt!r}")


DEFAULT_CATALOGUES = {
    "provincial": ("thu-tuc-hanh-chinh", "Thủ tục hành chính"),
    "national": ("thu-tuc-quoc-gia", "Thủ tục hành chính cấp bộ, ngành"),
}
SOURCE_SCOPES = {"lamdong": "provincial", "native": "provincial", "dvcqg": "national", "bqp": "national"}


def catalogue_get_or_create(*, slug: str | None = None, scope: str = "provincial") -> ProcedureIndexPage:
    """The catalogue root with ``slug`` (or the default one of ``scope``), created under the home page if absent."""
    from home.models import HomePage

    default_slug, title = DEFAULT_CATALOGUES[scope]
    slug = slug or default_slug
    existing = ProcedureIndexPage.objects.filter(slug=slug).first()
    if existing:
        return existing
    home = HomePage.objects.first()
    if home is None:
        raise ReaderError("Chưa có trang chủ: hãy chạy 'python manage.py migrate' trước.")
    page = ProcedureIndexPage(title=title, slug=slug, scope=scope)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
